import type { SqlDialect } from "../sql/dialect/dialect.js";
import { getMart, type MartName } from "./marts.js";
import type { Period } from "./sql-parts.js";

/**
 * Pure builders for the warehouse's typed getters: a mart's columns, filtered by bound parameters
 * (never by string concatenation of a value), in key order.
 */
export interface MartFilter {
  municipality?: string | undefined;
  fiscalYear?: number | undefined;
}

export type Breakdown = "intakes" | "outcomes" | "complaints";

export const KPI_MART: Record<Period, MartName> = { month: "mart_kpi_month", fiscal_year: "mart_kpi_fiscal_year" };
export const BREAKDOWN_MART: Record<Breakdown, MartName> = {
  intakes: "mart_intakes_by_type",
  outcomes: "mart_outcomes_by_type",
  complaints: "mart_complaints_by_category",
};

export function buildMartReadSql(
  d: SqlDialect,
  name: MartName,
  filter: MartFilter & { periodType?: Period },
  schema?: string,
): { sql: string; params: (string | number)[] } {
  const mart = getMart(name);
  const params: (string | number)[] = [];
  const where: string[] = [];
  const add = (column: string, value: string | number | undefined) => {
    if (value === undefined) return;
    params.push(value);
    where.push(`${d.ident(column)} = ${d.param(params.length)}`);
  };
  add("municipality", filter.municipality);
  add("fiscal_year", filter.fiscalYear);
  add("period_type", filter.periodType);
  const columns = mart.columns.map((c) => d.ident(c.name)).join(", ");
  const order = mart.key.map(d.ident).join(", ");
  const whereSql = where.length ? ` WHERE ${where.join(" AND ")}` : "";
  return { sql: `SELECT ${columns} FROM ${d.table(name, schema)}${whereSql} ORDER BY ${order}`, params };
}

/** `live_release_rate` → `liveReleaseRate`, for the typed rows the getters return. */
export const camelRow = <T>(row: Record<string, unknown>): T =>
  Object.fromEntries(
    Object.entries(row).map(([k, v]) => [k.replace(/_([a-z])/g, (_, ch: string) => ch.toUpperCase()), v]),
  ) as T;
