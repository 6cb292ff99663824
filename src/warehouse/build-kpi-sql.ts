import { LIVE_OUTCOMES, type OutcomeType } from "../cats/model.js";
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
  // Aggregates (yearly tables) have no month: only the fiscal-year mart reads them.
  const yearly = period === "fiscal_year";
  // Stays are outcomes, so their keys are among the outcome keys.
  const aggs = ["intake_agg", "outcome_agg", "tnr_agg", "complaint_agg", ...(yearly ? ["yearly_agg"] : [])];
  const on = (alias: string) => names.map((n) => `${alias}.${c(n)} = k.${c(n)}`).join(" AND ");
  const keyList = names.map(c).join(", ");
  // THE RULE (docs/warehouse.md, "Aggregates"): per municipality × fiscal year × source dataset, records
  // win when any record of that dataset exists; otherwise the aggregate figure fills in. Never both.
  const has = (alias: string) => `${alias}.${c("municipality")} IS NOT NULL`;
  const pick = (alias: string, rec: string, agg: string) =>
    yearly ? `CASE WHEN ${has(alias)} THEN ${rec} ELSE ${agg} END` : rec;
  const fig = (alias: string, field: string) => pick(alias, `${alias}.${field}`, `y.${field}`);
  const outcomeFig = (field: string) => fig("o", field);

  const metric = c("metric");
  const yearSum = (metrics: readonly string[]) => `SUM(CASE WHEN ${inList(d, metric, metrics)} THEN ${c("value")} END)`;
  const outcomeMetrics = YEARLY_OUTCOME_METRICS.map(([m]) => m);
  const yearlyCte = yearly
    ? `,
yearly_agg AS (
  SELECT ${k("fiscal_year").select}, ${yearSum(["intakes"])} AS intakes,
    ${yearSum(outcomeMetrics)} AS outcomes,
    ${yearSum(YEARLY_OUTCOME_METRICS.filter(([, o]) => LIVE_OUTCOMES.has(o)).map(([m]) => m))} AS live_outcomes,
    ${YEARLY_OUTCOME_METRICS.map(([m]) => `${yearSum([m])} AS ${m}`).join(", ")},
    ${yearSum(["tnr_operations"])} AS tnr_operations, ${yearSum(["complaints"])} AS complaints
  FROM ${src.aggregates}
  WHERE ${c("species")} = ${d.literal("cat")} AND ${inList(d, metric, ["intakes", ...outcomeMetrics, "tnr_operations", "complaints"])}
  GROUP BY ${k("fiscal_year").groupBy}
)`
    : "";
  // Which figures came from the aggregates: per dataset, no records but an aggregate figure.
  const sources: [string, string, string][] = [
    ["intakes", "i", "y.intakes"],
    ["outcomes", "o", "y.outcomes"],
    ["tnr", "t", "y.tnr_operations"],
    ["complaints", "m", "y.complaints"],
  ];
  const filled = (alias: string, agg: string) => `${alias}.${c("municipality")} IS NULL AND ${agg} IS NOT NULL`;
  const anyFilled = sources.map(([, a, agg]) => `(${filled(a, agg)})`).join(" OR ");
  const anyRecords = sources.map(([, a]) => has(a)).join(" OR ");
  const basis = yearly
    ? `,
  CASE WHEN y.${c("municipality")} IS NULL THEN ${d.literal("records")}
    WHEN NOT (${anyRecords}) THEN ${d.literal("aggregates")}
    WHEN NOT (${anyFilled}) THEN ${d.literal("both→records")}
    ELSE ${d.literal("mixed")} END AS basis,
  RTRIM(${sources.map(([name, a, agg]) => `CASE WHEN ${filled(a, agg)} THEN ${d.literal(`${name} `)} ELSE '' END`).join(" || ")}) AS basis_aggregates`
    : "";
  const yearlyJoin = yearly ? `\n  LEFT JOIN yearly_agg AS y ON ${on("y")}` : "";

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
)${yearlyCte},
keys AS (
  ${aggs.map((a) => `SELECT ${keyList} FROM ${a}`).join("\n  UNION ")}
)
SELECT ${names.map((n) => `k.${c(n)}`).join(", ")},
  ${int(fig("i", "intakes"))} AS intakes, ${int("i.intakes_kitten")} AS intakes_kitten, ${int("i.intakes_adult")} AS intakes_adult,
  ${int(outcomeFig("outcomes"))} AS outcomes, ${int(outcomeFig("live_outcomes"))} AS live_outcomes, ${int(outcomeFig("adoptions"))} AS adoptions,
  ${int(outcomeFig("returns_to_owner"))} AS returns_to_owner, ${int(outcomeFig("transfers_out"))} AS transfers_out,
  ${int(outcomeFig("return_to_field"))} AS return_to_field, ${int(outcomeFig("euthanasia"))} AS euthanasia,
  ${int(outcomeFig("died_in_care"))} AS died_in_care,
  ${dbl(outcomeFig("live_outcomes"))} / NULLIF(${outcomeFig("outcomes")}, 0) AS live_release_rate,
  ${dbl(outcomeFig("euthanasia"))} / NULLIF(${outcomeFig("outcomes")}, 0) AS euthanasia_rate,
  ${dbl("s.median_stay_days")} AS median_stay_days, ${int("s.stays_measured")} AS stays_measured,
  ${int(fig("t", "tnr_operations"))} AS tnr_operations, ${dbl("t.tnr_subsidy")} AS tnr_subsidy,
  ${int(fig("m", "complaints"))} AS complaints${basis}
FROM keys AS k
  LEFT JOIN intake_agg AS i ON ${on("i")}
  LEFT JOIN outcome_agg AS o ON ${on("o")}
  LEFT JOIN stay_agg AS s ON ${on("s")}
  LEFT JOIN tnr_agg AS t ON ${on("t")}
  LEFT JOIN complaint_agg AS m ON ${on("m")}${yearlyJoin}
ORDER BY ${names.map((n) => `k.${c(n)}`).join(", ")}`;
}

/** The aggregates metrics that are outcomes, with the outcome type each counts. */
export const YEARLY_OUTCOME_METRICS: readonly (readonly [string, OutcomeType])[] = [
  ["adoptions", "adoption"],
  ["returns_to_owner", "return_to_owner"],
  ["transfers_out", "transfer_out"],
  ["return_to_field", "return_to_field"],
  ["euthanasia", "euthanasia"],
  ["died_in_care", "died_in_care"],
];
