import type { SqlDialect } from "../sql/dialect/dialect.js";

/**
 * Small SQL fragments the mart builders share: the period keys of a grouping, conditional counts
 * and the source tables. Pure string functions, no engine branches (those live in the dialects).
 */
export type Period = "month" | "fiscal_year";
export const PERIODS: readonly Period[] = ["month", "fiscal_year"];

/** The lake datasets the marts read (aggregates only fill mart_kpi_fiscal_year, see build-kpi-sql.ts). */
export type SourceDataset = "intakes" | "outcomes" | "tnr" | "complaints" | "aggregates";
export const SOURCE_DATASETS: readonly SourceDataset[] = ["intakes", "outcomes", "tnr", "complaints", "aggregates"];

/** Table references of the sources, e.g. `"intakes"` or `"lake"."intakes"`. */
export type SourceTables = Record<SourceDataset, string>;

export const sourceTables = (d: SqlDialect, schema?: string): SourceTables => ({
  intakes: d.table("intakes", schema),
  outcomes: d.table("outcomes", schema),
  tnr: d.table("tnr", schema),
  complaints: d.table("complaints", schema),
  aggregates: d.table("aggregates", schema),
});

/** `SUM(CASE WHEN cond THEN 1 ELSE 0 END)`: a conditional count every engine runs (no FILTER). */
export const countIf = (cond: string): string => `SUM(CASE WHEN ${cond} THEN 1 ELSE 0 END)`;

/** `col IN ('a', 'b')` over constants written by code. */
export const inList = (d: SqlDialect, expr: string, values: Iterable<string>): string =>
  `${expr} IN (${[...values].map((v) => d.literal(v)).join(", ")})`;

export interface PeriodKeys {
  /** Names of the key columns: municipality, fiscal_year and, per month, month. */
  names: string[];
  /** `<expr> AS <name>, …` for a SELECT list. */
  select: string;
  /** The key expressions for GROUP BY. */
  groupBy: string;
}

/** The keys of one row per municipality × period, the month taken from `dateColumn`. */
export function periodKeys(d: SqlDialect, period: Period, dateColumn: string): PeriodKeys {
  const keys: [string, string][] = [
    ["municipality", d.ident("municipality")],
    ["fiscal_year", d.ident("fiscal_year")],
  ];
  if (period === "month") keys.push(["month", d.monthLabel(d.ident(dateColumn))]);
  return {
    names: keys.map(([name]) => name),
    select: keys.map(([name, expr]) => `${expr} AS ${d.ident(name)}`).join(", "),
    groupBy: keys.map(([, expr]) => expr).join(", "),
  };
}
