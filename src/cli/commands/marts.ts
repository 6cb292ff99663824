import type { Command } from "commander";
import { createLake, createWarehouse } from "../../runtime.js";
import type { Warehouse } from "../../warehouse/index.js";
import type { KpiRow } from "../../warehouse/warehouse.js";
import { type CliContext, CliError, type GetContext } from "../context.js";
import { fmt, table } from "../format.js";

/** Opens the configured warehouse for one command and always closes it. */
async function withWarehouse<T>(ctx: CliContext, fn: (warehouse: Warehouse) => Promise<T>): Promise<T> {
  const warehouse = createWarehouse(ctx.config, ctx.logger);
  try {
    return await fn(warehouse);
  } finally {
    await warehouse.close();
  }
}

const pct = (rate: number | null) => (rate === null ? "" : `${(rate * 100).toFixed(1)}%`);

function kpiTable(rows: KpiRow[]): string {
  return table(
    rows.map((r) => ({
      municipality: r.municipality,
      period: r.month ?? `FY${r.fiscalYear}`,
      intakes: fmt(r.intakes),
      outcomes: fmt(r.outcomes),
      "live release": pct(r.liveReleaseRate),
      euthanasia: pct(r.euthanasiaRate),
      RTF: fmt(r.returnToField),
      "median stay (d)": r.medianStayDays ?? "",
      TNR: fmt(r.tnrOperations),
      complaints: fmt(r.complaints),
    })),
  );
}

/** `catdata marts rebuild` and `catdata marts show`: the warehouse's KPI marts. */
export function registerMartsCommands(program: Command, getContext: GetContext): void {
  const marts = program
    .command("marts")
    .description("KPI marts in the warehouse (DuckDB file by default, or Postgres/Redshift)");

  marts
    .command("rebuild")
    .description("recompute every mart from the lake and switch to them at once")
    .option("--json", "print the rebuild summary as JSON")
    .action(async (opts: { json?: boolean }) => {
      const ctx = getContext();
      const summary = await withWarehouse(ctx, (w) => w.rebuild(createLake(ctx.config)));
      if (opts.json) return void ctx.out.write(`${JSON.stringify(summary, null, 2)}\n`);
      const read = Object.entries(summary.sources).map(([d, n]) => `${d} ${fmt(n)}`);
      const rows = Object.entries(summary.marts).map(([mart, n]) => ({ mart, rows: fmt(n) }));
      ctx.out.write(`Rebuilt the ${summary.kind} warehouse in ${fmt(summary.durationMs)} ms: ${summary.target}\n`);
      ctx.out.write(`  lake rows read: ${read.join(", ")}\n${table(rows)}`);
    });

  marts
    .command("show")
    .description("headline KPIs per municipality and month or fiscal year")
    .option("-m, --municipality <code>", "only this municipality (e.g. 131041)")
    .option("--period <period>", "month | fiscal_year", "fiscal_year")
    .option("--fiscal-year <year>", "only this fiscal year (named by its start year)")
    .option("--json", "print the rows as JSON")
    .action(async (opts: { municipality?: string; period: string; fiscalYear?: string; json?: boolean }) => {
      const ctx = getContext();
      if (opts.period !== "month" && opts.period !== "fiscal_year")
        throw new CliError(`--period must be month or fiscal_year (got ${opts.period})`, 2);
      const fiscalYear = opts.fiscalYear === undefined ? undefined : Number(opts.fiscalYear);
      if (fiscalYear !== undefined && !Number.isInteger(fiscalYear))
        throw new CliError(`--fiscal-year must be a year such as 2024 (got ${opts.fiscalYear})`, 2);
      const period = opts.period;
      const rows = await withWarehouse(ctx, (w) => w.kpis({ period, municipality: opts.municipality, fiscalYear }));
      if (opts.json) return void ctx.out.write(`${JSON.stringify(rows, null, 2)}\n`);
      if (rows.length === 0) ctx.err.write("no marts rows: load data, then run `catdata marts rebuild`\n");
      ctx.out.write(kpiTable(rows));
    });
}
