import { LIVE_OUTCOMES } from "../cats/model.js";
import type { SqlDialect } from "../sql/dialect/dialect.js";
import { countIf, inList, type Period, periodKeys, type SourceTables } from "./sql-parts.js";

/**
 * The wide KPI mart, one row per municipality × period (`mart_kpi_month`, `mart_kpi_fiscal_year`):
 * every headline figure of docs/warehouse.md in one SELECT. Each dataset is aggregated on its own
 * (intakes by intake date, outcomes and stays by outcome date, TNR by operation date, complaints by
 * the day received or the first day of their period), the union of their keys gives the rows, and
 * each aggregate is LEFT JOINed to it, so a period with TNR but no intakes still has a row.
 * A stay is the outcome's `days_in_shelter` when given, else the calendar days since the latest
 * intake of the same animal in the same municipality at or before the outcome; only outcomes with
 * missing stays are joined (a join filtered inside ON made DuckDB fall back to a slow plan).
 */
export function buildKpiSql(d: SqlDialect, src: SourceTables, period: Period): string {
  const c = d.ident;
  const k = (date: string) => periodKeys(d, period, date);
  const names = k("x").names;
  const type = c("outcome_type");
  const live = inList(d, type, LIVE_OUTCOMES);
  const is = (value: string) => `${type} = ${d.literal(value)}`;
  const int = (expr: string) => d.cast(`COALESCE(${expr}, 0)`, "integer");
  const dbl = (expr: string) => d.cast(expr, "double");
  // Stays are outcomes, so their keys are among the outcome keys.
  const aggs = ["intake_agg", "outcome_agg", "tnr_agg", "complaint_agg"] as const;
  const on = (alias: string) => names.map((n) => `${alias}.${c(n)} = k.${c(n)}`).join(" AND ");
  const keyList = names.map(c).join(", ");

  return `WITH
intake_agg AS (
  SELECT ${k("intake_at").select}, COUNT(*) AS intakes,
    ${countIf(`${c("age_class")} = ${d.literal("kitten")}`)} AS intakes_kitten,
    ${countIf(`${c("age_class")} = ${d.literal("adult")}`)} AS intakes_adult
  FROM ${src.intakes} GROUP BY ${k("intake_at").groupBy}
),
outcome_agg AS (
  SELECT ${k("outcome_at").select}, COUNT(*) AS outcomes, ${countIf(live)} AS live_outcomes,
    ${countIf(is("adoption"))} AS adoptions, ${countIf(is("return_to_owner"))} AS returns_to_owner,
    ${countIf(is("transfer_out"))} AS transfers_out, ${countIf(is("return_to_field"))} AS return_to_field,
    ${countIf(is("euthanasia"))} AS euthanasia, ${countIf(is("died_in_care"))} AS died_in_care
  FROM ${src.outcomes} GROUP BY ${k("outcome_at").groupBy}
),
stays AS (
  SELECT ${c("municipality")}, ${c("fiscal_year")}, ${c("outcome_at")}, ${c("days_in_shelter")} AS stay_days
  FROM ${src.outcomes} WHERE ${c("days_in_shelter")} IS NOT NULL
  UNION ALL
  SELECT o.${c("municipality")}, o.${c("fiscal_year")}, o.${c("outcome_at")},
    ${d.daysBetween(`MAX(i.${c("intake_at")})`, `o.${c("outcome_at")}`)}
  FROM ${src.outcomes} AS o LEFT JOIN ${src.intakes} AS i
    ON i.${c("municipality")} = o.${c("municipality")} AND i.${c("animal_id")} = o.${c("animal_id")}
    AND i.${c("intake_at")} <= o.${c("outcome_at")}
  WHERE o.${c("days_in_shelter")} IS NULL
  GROUP BY o.${c("municipality")}, o.${c("fiscal_year")}, o.${c("outcome_at")}, o.${c("animal_id")},
    o.${c("source_job")}, o.${c("source_row")}
),
stay_agg AS (
  SELECT ${k("outcome_at").select}, ${d.median("stay_days")} AS median_stay_days, COUNT(*) AS stays_measured
  FROM stays WHERE stay_days >= 0 GROUP BY ${k("outcome_at").groupBy}
),
tnr_agg AS (
  SELECT ${k("operated_on").select}, SUM(${c("count")}) AS tnr_operations, SUM(${c("subsidy_amount")}) AS tnr_subsidy
  FROM ${src.tnr} GROUP BY ${k("operated_on").groupBy}
),
complaint_agg AS (
  SELECT ${k("received_on").select}, COUNT(*) AS complaints
  FROM ${src.complaints} GROUP BY ${k("received_on").groupBy}
),
keys AS (
  ${aggs.map((a) => `SELECT ${keyList} FROM ${a}`).join("\n  UNION ")}
)
SELECT ${names.map((n) => `k.${c(n)}`).join(", ")},
  ${int("i.intakes")} AS intakes, ${int("i.intakes_kitten")} AS intakes_kitten, ${int("i.intakes_adult")} AS intakes_adult,
  ${int("o.outcomes")} AS outcomes, ${int("o.live_outcomes")} AS live_outcomes, ${int("o.adoptions")} AS adoptions,
  ${int("o.returns_to_owner")} AS returns_to_owner, ${int("o.transfers_out")} AS transfers_out,
  ${int("o.return_to_field")} AS return_to_field, ${int("o.euthanasia")} AS euthanasia,
  ${int("o.died_in_care")} AS died_in_care,
  ${dbl("o.live_outcomes")} / NULLIF(o.outcomes, 0) AS live_release_rate,
  ${dbl("o.euthanasia")} / NULLIF(o.outcomes, 0) AS euthanasia_rate,
  ${dbl("s.median_stay_days")} AS median_stay_days, ${int("s.stays_measured")} AS stays_measured,
  ${int("t.tnr_operations")} AS tnr_operations, ${dbl("t.tnr_subsidy")} AS tnr_subsidy,
  ${int("m.complaints")} AS complaints
FROM keys AS k
  LEFT JOIN intake_agg AS i ON ${on("i")}
  LEFT JOIN outcome_agg AS o ON ${on("o")}
  LEFT JOIN stay_agg AS s ON ${on("s")}
  LEFT JOIN tnr_agg AS t ON ${on("t")}
  LEFT JOIN complaint_agg AS m ON ${on("m")}
ORDER BY ${names.map((n) => `k.${c(n)}`).join(", ")}`;
}
