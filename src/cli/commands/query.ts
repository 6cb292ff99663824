import type { Command } from "commander";
import { CliError, type GetContext } from "../context.js";
import { csv, table } from "../format.js";
import { withRuntime } from "../with-runtime.js";

/** `catdata query "<sql>"`: SQL over the lake's tables (intakes, outcomes, tnr, complaints, …). */
export function registerQueryCommand(program: Command, getContext: GetContext): void {
  program
    .command("query")
    .description("run a read-only SQL query over the lake")
    .argument("<sql>", 'e.g. "SELECT intake_type, count(*) FROM intakes GROUP BY 1"')
    .option("-f, --format <format>", "table | csv | json", "table")
    .option("--max-rows <n>", "at most this many rows", "1000")
    .action(async (sql: string, opts: { format: string; maxRows: string }) => {
      const ctx = getContext();
      if (!["table", "csv", "json"].includes(opts.format))
        throw new CliError(`--format must be table, csv or json (got ${opts.format})`, 2);
      const maxRows = Number(opts.maxRows);
      if (!Number.isInteger(maxRows) || maxRows < 1)
        throw new CliError("--max-rows must be a positive whole number", 2);
      const result = await withRuntime(ctx, async (r) => {
        const tables = await r.query.tables();
        if (tables.length === 0) throw new CliError("the lake is empty: load data first with `catdata ingest <file>`");
        return r.query.query(sql, { maxRows });
      });
      if (opts.format === "json") ctx.out.write(`${JSON.stringify(result.rows, null, 2)}\n`);
      else if (opts.format === "csv") ctx.out.write(csv(result.rows));
      else ctx.out.write(table(result.rows));
      if (result.truncated) ctx.err.write(`(cut at ${maxRows} rows; raise --max-rows for more)\n`);
    });
}
