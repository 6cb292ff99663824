import type { MartColumnType, SqlDialect } from "../sql/dialect/dialect.js";
import { buildBreakdownSql, complaintsByCategory, intakesByType, outcomesByType } from "./build-breakdown-sql.js";
import { buildKpiSql } from "./build-kpi-sql.js";
import type { SourceTables } from "./sql-parts.js";

/**
 * The catalog of marts: name, columns (with their meaning), key and the pure builder of the SELECT
 * that computes it. The DuckDB and Postgres warehouses create, load and read marts from this list
 * only; docs/warehouse.md explains each figure.
 */
export interface MartColumn {
  name: string;
  type: MartColumnType;
  doc: string;
}

export interface Mart {
  name: MartName;
  doc: string;
  columns: readonly MartColumn[];
  /** Columns that identify a row (unique); the order rows are read in. */
  key: readonly string[];
  select(d: SqlDialect, src: SourceTables): string;
}

export type MartName =
  | "mart_kpi_month"
  | "mart_kpi_fiscal_year"
  | "mart_intakes_by_type"
  | "mart_outcomes_by_type"
  | "mart_complaints_by_category";

const col = (name: string, type: MartColumnType, doc: string): MartColumn => ({ name, type, doc });
const count = (name: string, doc: string) => col(name, "integer", doc);

const KPI_COLUMNS: readonly MartColumn[] = [
  count("intakes", "cats taken in (intake date in the period)"),
  count("intakes_kitten", "of which age class kitten"),
  count("intakes_adult", "of which age class adult (the rest are unknown)"),
  count("outcomes", "all outcomes (outcome date in the period), the denominator of both rates"),
  count("live_outcomes", "adoption + return to owner + transfer out + return to field (LIVE_OUTCOMES)"),
  count("adoptions", "adoptions"),
  count("returns_to_owner", "returns to owner"),
  count("transfers_out", "transfers out"),
  count("return_to_field", "returns to field (TNR/RTF of shelter cats)"),
  count("euthanasia", "euthanasia, owner-requested included"),
  count("died_in_care", "died in care"),
  col("live_release_rate", "double", "live_outcomes / outcomes; null when there were no outcomes"),
  col("euthanasia_rate", "double", "euthanasia / outcomes; null when there were no outcomes"),
  col("median_stay_days", "double", "median days in shelter of the cats that left in the period"),
  count("stays_measured", "outcomes whose length of stay is known (and not negative)"),
  count("tnr_operations", "sum of the TNR records' count (cats spayed or neutered)"),
  col("tnr_subsidy", "double", "sum of subsidy amounts (local currency); null when none reported"),
  count("complaints", "complaints received (or whose reporting period starts) in the period"),
];

const municipality = col("municipality", "text", "municipality code (全国地方公共団体コード or slug)");
const fiscalYear = col("fiscal_year", "integer", "fiscal year, named by the calendar year it starts in");
const periodType = col("period_type", "text", "'month' or 'fiscal_year'");
const period = col("period", "text", "'YYYY-MM' for months, the fiscal year ('2023') for fiscal years");
const longKey = ["municipality", "period_type", "period", "fiscal_year"];

export const MARTS: readonly Mart[] = [
  {
    name: "mart_kpi_month",
    doc: "headline KPIs per municipality and calendar month",
    columns: [municipality, fiscalYear, col("month", "text", "calendar month, 'YYYY-MM'"), ...KPI_COLUMNS],
    key: ["municipality", "fiscal_year", "month"],
    select: (d, src) => buildKpiSql(d, src, "month"),
  },
  {
    name: "mart_kpi_fiscal_year",
    doc: "headline KPIs per municipality and fiscal year",
    columns: [
      municipality,
      fiscalYear,
      ...KPI_COLUMNS,
      col(
        "basis",
        "text",
        "where the figures came from: 'records', 'aggregates' (a yearly table only), 'both→records' (both, records won) or 'mixed' (some datasets from each)",
      ),
      col(
        "basis_aggregates",
        "text",
        "the source datasets whose figures came from the aggregates, space-separated ('outcomes tnr'); '' when none",
      ),
    ],
    key: ["municipality", "fiscal_year"],
    select: (d, src) => buildKpiSql(d, src, "fiscal_year"),
  },
  {
    name: "mart_intakes_by_type",
    doc: "intakes by intake type and age class",
    columns: [
      municipality,
      periodType,
      period,
      fiscalYear,
      col("intake_type", "text", "canonical intake type"),
      col("age_class", "text", "adult, kitten or unknown"),
      count("intakes", "cats taken in"),
    ],
    key: [...longKey, "intake_type", "age_class"],
    select: (d, src) => buildBreakdownSql(d, src, intakesByType(d)),
  },
  {
    name: "mart_outcomes_by_type",
    doc: "outcomes by outcome type, with the Shelter Animals Count group (live / other)",
    columns: [
      municipality,
      periodType,
      period,
      fiscalYear,
      col("outcome_type", "text", "canonical outcome type"),
      col("outcome_group", "text", "'live' or 'other'"),
      count("outcomes", "outcomes"),
    ],
    key: [...longKey, "outcome_type"],
    select: (d, src) => buildBreakdownSql(d, src, outcomesByType(d)),
  },
  {
    name: "mart_complaints_by_category",
    doc: "complaints by category",
    columns: [
      municipality,
      periodType,
      period,
      fiscalYear,
      col("category", "text", "complaint category"),
      count("complaints", "complaints"),
    ],
    key: [...longKey, "category"],
    select: (d, src) => buildBreakdownSql(d, src, complaintsByCategory(d)),
  },
];

export function getMart(name: MartName): Mart {
  const mart = MARTS.find((m) => m.name === name);
  if (!mart) throw new Error(`unknown mart ${name}`);
  return mart;
}
