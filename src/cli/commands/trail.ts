import { Presets, SingleBar } from "cli-progress";
import type { Command } from "commander";
import { runStdioServer } from "../../mcp/stdio.js";
import { type LookupAttribute, lookupEvents } from "../../trail/lookup-events.js";
import { type LoadSummary, loadTrailFolder } from "../../trail/trail-lake.js";
import { formatEventsTable, formatLoadSummary } from "../../trail/trail-text.js";
import { CliError, type GetContext } from "../context.js";

/**
 * `catdata trail load <folder>` and `catdata trail lookup …`: CloudTrail files into the lake, and
 * LookupEvents over it. `catdata mcp` (registered by `registerMcpCommand`) serves the same lake
 * to MCP clients over stdio.
 */
interface LoadOptions {
  json?: boolean;
}

interface LookupOptions {
  eventName?: string;
  eventSource?: string;
  username?: string;
  eventId?: string;
  accessKeyId?: string;
  start?: string;
  end?: string;
  max?: string;
  nextToken?: string;
  insights?: boolean;
  json?: boolean;
}

export function registerTrailCommands(program: Command, getContext: GetContext): void {
  const trail = program.command("trail").description("CloudTrail logs: load folders into the lake, look events up");

  trail
    .command("load")
    .description(
      "load every CloudTrail file under a folder (.json, .json.gz, .jsonl, .cloudtrail); already loaded files are skipped",
    )
    .argument("<folder>", "folder (or single file) of CloudTrail logs")
    .option("--json", "print the summary as JSON")
    .action(async (folder: string, options: LoadOptions) => {
      const ctx = getContext();
      const bar = ctx.interactive && !options.json ? progressBar(ctx.err) : undefined;
      let started = false;
      const onProgress = (done: number, total: number) => {
        if (!bar) return;
        if (!started) bar.start(total, done);
        started = true;
        bar.update(done);
      };
      let summary: LoadSummary;
      try {
        summary = await loadTrailFolder(ctx.config.home, folder, { onProgress });
      } finally {
        if (started) bar?.stop();
      }
      ctx.out.write(options.json ? `${JSON.stringify(summary, null, 2)}\n` : formatLoadSummary(summary, folder));
    });

  trail
    .command("lookup")
    .description("look events up like CloudTrail's LookupEvents (newest first)")
    .option("--event-name <name>", "EventName, e.g. ConsoleLogin")
    .option("--event-source <source>", "EventSource, e.g. iam.amazonaws.com")
    .option("--username <name>", "user name, role session name or principal id (iam-user:<account>/<name>)")
    .option("--event-id <id>", "EventId")
    .option("--access-key-id <key>", "AccessKeyId")
    .option("--start <iso>", "only events at or after this time (ISO 8601)")
    .option("--end <iso>", "only events at or before this time (ISO 8601)")
    .option("--max <n>", "events per page, 1–50", "50")
    .option("--next-token <token>", "continue from the previous page")
    .option("--insights", "CloudTrail Insights events instead of API events")
    .option("--json", "print { events, nextToken } as JSON")
    .action(async (options: LookupOptions) => {
      const ctx = getContext();
      const maxResults = Number(options.max);
      if (!Number.isInteger(maxResults)) throw new CliError(`--max must be a whole number, not ${options.max}`, 2);
      const result = await lookupEvents(ctx.config.home, {
        lookupAttributes: attributesOf(options),
        ...(options.start ? { startTime: options.start } : {}),
        ...(options.end ? { endTime: options.end } : {}),
        ...(options.nextToken ? { nextToken: options.nextToken } : {}),
        ...(options.insights ? { eventCategory: "insight" as const } : {}),
        maxResults,
      });
      if (options.json) {
        ctx.out.write(`${JSON.stringify(result, null, 2)}\n`);
        return;
      }
      ctx.out.write(formatEventsTable(result.events));
      if (result.nextToken) ctx.err.write(`more events: add --next-token ${result.nextToken}\n`);
    });
}

const progressBar = (stream: NodeJS.WritableStream) =>
  new SingleBar(
    { stream, format: "loading {bar} {value}/{total} files", hideCursor: true, noTTYOutput: true },
    Presets.shades_classic,
  );

function attributesOf(options: LookupOptions): LookupAttribute[] {
  const pairs: [LookupAttribute["attributeKey"], string | undefined][] = [
    ["EventName", options.eventName],
    ["EventSource", options.eventSource],
    ["Username", options.username],
    ["EventId", options.eventId],
    ["AccessKeyId", options.accessKeyId],
  ];
  return pairs.flatMap(([attributeKey, attributeValue]) => (attributeValue ? [{ attributeKey, attributeValue }] : []));
}

/** `catdata mcp`: the MCP server over stdio, for desktop clients and agents started as a process. */
export function registerMcpCommand(program: Command, getContext: GetContext): void {
  program
    .command("mcp")
    .description("run the MCP server (tool lookup_events) over stdio until the client disconnects")
    .action(async () => {
      const ctx = getContext();
      await runStdioServer({ home: ctx.config.home, version: program.version() ?? "0.0.0" });
    });
}
