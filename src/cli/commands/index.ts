import type { Command } from "commander";
import type { GetContext } from "../context.js";

/**
 * The command table: every top-level command's name, its line in `catdata --help`, and the module
 * that registers it, loaded only when that command runs. `catdata --help` and `--version` load
 * none of them (they pull in the AWS SDK, DuckDB, ExcelJS, the MCP SDK…). One file per command
 * group beside this one; `command-table.test.ts` checks that `term` and `summary` match what each
 * module really registers.
 */
export type RegisterGroup = (program: Command, getContext: GetContext) => void;

export interface CommandGroup {
  /** Loads the group's module and returns its register function. */
  load: () => Promise<RegisterGroup>;
  commands: { name: string; term: string; summary: string }[];
}

export const COMMAND_GROUPS: readonly CommandGroup[] = [
  {
    load: async () => (await import("./ingest.js")).registerIngestCommands,
    commands: [
      {
        name: "ingest",
        term: "ingest [options] <files...>",
        summary:
          "upload CSV, Excel (.xlsx) or JSON lines files into the store; each put runs process-cat-data and loads the lake",
      },
      { name: "jobs", term: "jobs [options]", summary: "list ETL jobs, newest first" },
      {
        name: "quarantine",
        term: "quarantine [options] <job>",
        summary: "show the rows a job quarantined, with the reason for each",
      },
    ],
  },
  {
    load: async () => (await import("./loads.js")).registerLoadsCommands,
    commands: [
      {
        name: "loads",
        term: "loads",
        summary: "the loads in the lake and their corrections: history, retract (replace: `ingest --replaces`)",
      },
    ],
  },
  {
    load: async () => (await import("./query.js")).registerQueryCommand,
    commands: [{ name: "query", term: "query [options] <sql>", summary: "run a read-only SQL query over the lake" }],
  },
  {
    load: async () => (await import("./queries.js")).registerQueriesCommands,
    commands: [
      { name: "queries", term: "queries", summary: "saved named queries (save one with `catdata query --save`)" },
    ],
  },
  {
    load: async () => (await import("./marts.js")).registerMartsCommands,
    commands: [
      {
        name: "marts",
        term: "marts",
        summary: "KPI marts in the warehouse (DuckDB file by default, or Postgres/Redshift)",
      },
    ],
  },
  {
    load: async () => (await import("./store.js")).registerStoreCommands,
    commands: [
      {
        name: "versions",
        term: "versions [options] <key>",
        summary: "list every version of a stored object (newest first), or the objects under a prefix",
      },
      {
        name: "restore",
        term: "restore <key> <version>",
        summary: "make an older version the latest again (copied as a new version; nothing is lost)",
      },
    ],
  },
  {
    load: async () => (await import("./lake.js")).registerLakeCommands,
    commands: [
      {
        name: "lake",
        term: "lake",
        summary: "the lakes' integrity at rest: check every Parquet part against the checksum recorded at commit",
      },
    ],
  },
  {
    load: async () => (await import("./users.js")).registerUsersCommands,
    commands: [{ name: "users", term: "users", summary: "manage the local user pool (cat-data-users)" }],
  },
  {
    load: async () => {
      const [{ registerTrailCommands }, { registerBehaviourCommands }] = await Promise.all([
        import("./trail.js"),
        import("./behaviour.js"),
      ]);
      return (program, getContext) => {
        registerTrailCommands(program, getContext);
        const trail = program.commands.find((c) => c.name() === "trail");
        if (trail) registerBehaviourCommands(trail, getContext);
      };
    },
    commands: [
      {
        name: "trail",
        term: "trail",
        summary:
          "CloudTrail behaviour intelligence: load logs, look events up, profile principals, predict, flag anomalies, evaluate",
      },
    ],
  },
  {
    load: async () => (await import("./trail.js")).registerMcpCommand,
    commands: [
      {
        name: "mcp",
        term: "mcp",
        summary:
          "run the CloudTrail MCP server over stdio (lookup_events, lake_query, get_event_name_counts, the behaviour tools, …; tools/list names them all)",
      },
    ],
  },
  {
    load: async () => (await import("./ask.js")).registerAskCommand,
    commands: [
      {
        name: "ask",
        term: "ask [options] <question...>",
        summary: "ask the AI agent about the CloudTrail data (and cat KPIs); the answer streams as it is written",
      },
    ],
  },
  {
    load: async () => (await import("./audit.js")).registerAuditCommands,
    commands: [
      { name: "audit", term: "audit", summary: "the platform's own audit trail (CloudTrail format, in the store)" },
    ],
  },
  {
    load: async () => (await import("./suggest.js")).registerSuggestCommand,
    commands: [
      {
        name: "suggest-mapping",
        term: "suggest-mapping [options] <file>",
        summary: "propose a column mapping for an unknown file; edit it, then load with `ingest --mapping`",
      },
    ],
  },
  {
    load: async () => (await import("./template.js")).registerTemplateCommand,
    commands: [
      {
        name: "template",
        term: "template [options] <dataset>",
        summary: "write the upload template of a dataset (CSV header row, or .xlsx with an instructions sheet)",
      },
    ],
  },
];

/** The group that registers the command `name`, if any. */
export const groupOf = (name: string): CommandGroup | undefined =>
  COMMAND_GROUPS.find((group) => group.commands.some((c) => c.name === name));

/**
 * Registers the commands in table order: the groups in `load` for real (their modules imported),
 * every other command as a placeholder that only lists its name and summary in `--help`.
 * The help of a placeholder shows its table `term`, so the listing reads as if all were loaded.
 */
export async function registerCommands(
  program: Command,
  getContext: GetContext,
  load: readonly CommandGroup[] = COMMAND_GROUPS,
): Promise<void> {
  const terms = new Map<Command, string>();
  const registers = await Promise.all(COMMAND_GROUPS.map((group) => (load.includes(group) ? group.load() : undefined)));
  for (const [i, group] of COMMAND_GROUPS.entries()) {
    const register = registers[i];
    if (register) {
      register(program, getContext);
      continue;
    }
    for (const command of group.commands) {
      const placeholder = program.command(command.name).description(command.summary);
      terms.set(placeholder, command.term);
    }
  }
  if (terms.size === 0) return;
  const help = program.createHelp();
  program.configureHelp({ subcommandTerm: (cmd) => terms.get(cmd) ?? help.subcommandTerm(cmd) });
}
