import type { SqlDialect } from "../sql/dialect/dialect.js";
import { BREAKDOWN_MART, buildMartReadSql, camelRow, KPI_MART } from "./build-read-sql.js";
import { type BreakdownFilter, type BreakdownRow, type KpiFilter, type KpiRow, toBreakdownRow } from "./warehouse.js";

/**
 * The typed getters, written once for both warehouses: each gives its own way to run a query and
 * its dialect; "not built yet" is the caller's to detect (it returns null rows then).
 */
export type RunQuery = (sql: string, params: (string | number)[]) => Promise<Record<string, unknown>[] | null>;

export async function readKpis(run: RunQuery, d: SqlDialect, filter: KpiFilter, schema?: string): Promise<KpiRow[]> {
  const { sql, params } = buildMartReadSql(d, KPI_MART[filter.period], filter, schema);
  return ((await run(sql, params)) ?? []).map((row) => camelRow<KpiRow>(row));
}

export async function readBreakdown(
  run: RunQuery,
  d: SqlDialect,
  filter: BreakdownFilter,
  schema?: string,
): Promise<BreakdownRow[]> {
  const read = { municipality: filter.municipality, fiscalYear: filter.fiscalYear, periodType: filter.period };
  const { sql, params } = buildMartReadSql(d, BREAKDOWN_MART[filter.breakdown], read, schema);
  return ((await run(sql, params)) ?? []).map((row) => toBreakdownRow(filter.breakdown, row));
}
