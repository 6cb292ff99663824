import { LIVE_OUTCOMES } from "../cats/model.js";
import type { SqlDialect } from "../sql/dialect/dialect.js";
import { inList, periodKeys, type SourceTables } from "./sql-parts.js";

/**
 * The long by-type marts: one row per municipality × period × category, months and fiscal years
 * in one table (`period_type` 'month' with `period` '2023-04', or 'fiscal_year' with '2023').
 */
export interface BreakdownSpec {
  source: keyof SourceTables;
  dateColumn: string;
  /** Category columns: name → SQL expression over the source. */
  dimensions: [name: string, expr: string][];
  /** The count column's name. */
  measure: string;
}

export function buildBreakdownSql(d: SqlDialect, src: SourceTables, spec: BreakdownSpec): string {
  const dims = spec.dimensions;
  const dimSelect = dims.map(([name, expr]) => `${expr} AS ${d.ident(name)}`).join(", ");
  const dimGroup = dims.map(([, expr]) => expr).join(", ");
  const count = `${d.cast("COUNT(*)", "integer")} AS ${d.ident(spec.measure)}`;
  const month = periodKeys(d, "month", spec.dateColumn);
  const monthLabel = d.monthLabel(d.ident(spec.dateColumn));
  const [m, fy] = [d.ident("municipality"), d.ident("fiscal_year")];
  const order = Array.from({ length: 4 + dims.length }, (_, i) => i + 1).join(", ");
  return `SELECT ${m}, ${d.literal("month")} AS ${d.ident("period_type")}, ${monthLabel} AS ${d.ident("period")}, ${fy}, ${dimSelect}, ${count}
FROM ${src[spec.source]} GROUP BY ${month.groupBy}, ${dimGroup}
UNION ALL
SELECT ${m}, ${d.literal("fiscal_year")}, ${d.cast(fy, "text")}, ${fy}, ${dimSelect}, ${count}
FROM ${src[spec.source]} GROUP BY ${m}, ${fy}, ${dimGroup}
ORDER BY ${order}`;
}

export const intakesByType = (d: SqlDialect): BreakdownSpec => ({
  source: "intakes",
  dateColumn: "intake_at",
  dimensions: [
    ["intake_type", d.ident("intake_type")],
    ["age_class", d.ident("age_class")],
  ],
  measure: "intakes",
});

export const outcomesByType = (d: SqlDialect): BreakdownSpec => ({
  source: "outcomes",
  dateColumn: "outcome_at",
  dimensions: [
    ["outcome_type", d.ident("outcome_type")],
    [
      "outcome_group",
      `CASE WHEN ${inList(d, d.ident("outcome_type"), LIVE_OUTCOMES)} THEN ${d.literal("live")} ELSE ${d.literal("other")} END`,
    ],
  ],
  measure: "outcomes",
});

export const complaintsByCategory = (d: SqlDialect): BreakdownSpec => ({
  source: "complaints",
  dateColumn: "received_on",
  dimensions: [["category", d.ident("category")]],
  measure: "complaints",
});
