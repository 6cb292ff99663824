import os from "node:os";
import type { Command } from "commander";
import { createSavedQueries } from "../../runtime.js";
import { type QueryRun, runQuery } from "../../sql/query-service.js";
import { assertQueryName } from "../../sql/saved-queries.js";
import { type CliContext, CliError, type GetContext } from "../context.js";
import { csv, table } from "../format.js";
import { withRuntime } from "../with-runtime.js";

/**
 * `catdata query "<sql>"`: one read-only SQL query over the lake's tables (intakes, outcomes, tnr,
 * complaints, …) through the query service, so its CSV also lands under athena-query-results/.
 * `--save <name>` keeps it as a named query once it has run (see `catdata queries`).
 */
export interface RunFlags {
  format: string;
  maxRows: string;
  timeout: string;
}

export interface RunSettings {
  format: "table" | "csv" | "json";
  maxRows: number;
  timeoutMs: number;
}

export function registerQueryCommand(program: Command, getContext: GetContext): void {
  withRunOptions(
    program
      .command("query")
      .description("run a read-only SQL query over the lake")
      .argument("<sql>", 'e.g. "SELECT intake_type, count(*) FROM intakes GROUP BY 1"'),
  )
    .option("--save <name>", "also save the query under this name ([a-z0-9-], see `catdata queries`)")
    .option("--description <text>", "with --save: what the query answers")
    .action(async (sql: string, opts: RunFlags & { save?: string; description?: string }) => {
      const ctx = getContext();
      const settings = runSettings(opts);
      const saved = createSavedQueries(ctx.config);
      if (opts.save !== undefined) {
        assertQueryName(opts.save);
        if ((await saved.list()).some((q) => q.name === opts.save))
          throw new CliError(`a saved query named ${opts.save} already exists; delete it first or choose another name`);
      }
      printRun(ctx, await runInRuntime(ctx, sql, settings), settings);
      if (opts.save !== undefined) {
        const description = opts.description ?? "";
        await saved.save({ name: opts.save, sql, description, createdBy: currentUser() });
        ctx.err.write(`saved as ${opts.save} (run it again with \`catdata queries run ${opts.save}\`)\n`);
      }
    });
}

/** The options every command that runs SQL shares. */
export function withRunOptions(command: Command): Command {
  return command
    .option("-f, --format <format>", "table | csv | json", "table")
    .option("--max-rows <n>", "at most this many rows", "1000")
    .option("--timeout <seconds>", "stop the query after this many seconds", "30");
}

export function runSettings(opts: RunFlags): RunSettings {
  if (opts.format !== "table" && opts.format !== "csv" && opts.format !== "json")
    throw new CliError(`--format must be table, csv or json (got ${opts.format})`, 2);
  const maxRows = Number(opts.maxRows);
  if (!Number.isInteger(maxRows) || maxRows < 1) throw new CliError("--max-rows must be a positive whole number", 2);
  const timeout = Number(opts.timeout);
  if (!Number.isFinite(timeout) || timeout <= 0 || timeout > 3600)
    throw new CliError("--timeout must be a number of seconds between 0 and 3600", 2);
  return { format: opts.format, maxRows, timeoutMs: Math.round(timeout * 1000) };
}

export function runInRuntime(ctx: CliContext, sql: string, settings: RunSettings): Promise<QueryRun> {
  return withRuntime(ctx, async (r) => {
    if ((await r.query.tables()).length === 0)
      throw new CliError("the lake is empty: load data first with `catdata ingest <file>`");
    return runQuery(r, sql, { maxRows: settings.maxRows, timeoutMs: settings.timeoutMs });
  });
}

/** Rows to stdout; the result's location under the table (to stderr for csv/json, which are piped). */
export function printRun(ctx: CliContext, run: QueryRun, settings: RunSettings): void {
  if (settings.format === "json") ctx.out.write(`${JSON.stringify(run.rows, null, 2)}\n`);
  else if (settings.format === "csv") ctx.out.write(csv(run.rows));
  else ctx.out.write(table(run.rows, run.columns));
  if (run.truncated) ctx.err.write(`(cut at ${settings.maxRows} rows; raise --max-rows for more)\n`);
  const where = `result: ${run.resultKey} (query ${run.queryId})\n`;
  (settings.format === "table" ? ctx.out : ctx.err).write(where);
}

export function currentUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return process.env.USER ?? "unknown";
  }
}
