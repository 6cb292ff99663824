import type { Dataset } from "./model.js";

/**
 * The column layout of each curated dataset in the lake (Parquet) and the warehouse: the canonical
 * field name, its snake_case column name and SQL type. Partition columns come first.
 */
export type ColumnType = "VARCHAR" | "INTEGER" | "DOUBLE" | "BOOLEAN" | "TIMESTAMP" | "DATE";

export interface Column {
  field: string;
  column: string;
  type: ColumnType;
}

/**
 * The limits a value must meet to be stored in a column of each type (Parquet and DuckDB INTEGER is
 * a signed 32-bit integer). The ETL checks every value against them before it is appended, so one
 * out-of-range cell quarantines its row instead of failing the whole file.
 */
export const INTEGER_MIN = -(2 ** 31);
export const INTEGER_MAX = 2 ** 31 - 1;
/** A TIMESTAMP value as the lake stores it: zone-less ISO `YYYY-MM-DDTHH:mm:ss`. */
export const TIMESTAMP_PATTERN = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d$/;
/** A DATE value as the lake stores it: `YYYY-MM-DD`. */
export const DATE_PATTERN = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

const col = (field: string, type: ColumnType): Column => ({
  field,
  column: field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`),
  type,
});

/**
 * The lake's Hive partition columns, in path order: parts live under
 * `<dataset>/municipality=…/fiscal_year=…/` (the writer's `PARTITION_BY (municipality, fiscal_year)`, the
 * readers' `hive_types` in src/lake/lake.ts). They are the first columns of every schema and are kept in the
 * path, not in the Parquet files; the Glue tables (infra/lib/glue-tables.ts) declare them as partition keys.
 */
export const PARTITION_COLUMNS = ["municipality", "fiscal_year"] as const;

const base = [col("municipality", "VARCHAR"), col("fiscalYear", "INTEGER")];
const lineage = [col("sourceJob", "VARCHAR"), col("sourceRow", "INTEGER")];

export const SCHEMAS: Record<Dataset, Column[]> = {
  intakes: [
    ...base,
    col("animalId", "VARCHAR"),
    col("intakeAt", "TIMESTAMP"),
    col("intakeType", "VARCHAR"),
    col("intakeTypeOriginal", "VARCHAR"),
    col("condition", "VARCHAR"),
    col("ageDays", "INTEGER"),
    col("ageClass", "VARCHAR"),
    col("sex", "VARCHAR"),
    col("altered", "BOOLEAN"),
    col("foundLocation", "VARCHAR"),
    col("intakeSubtypeOriginal", "VARCHAR"),
    col("stayId", "VARCHAR"),
    col("jurisdiction", "VARCHAR"),
    ...lineage,
  ],
  outcomes: [
    ...base,
    col("animalId", "VARCHAR"),
    col("outcomeAt", "TIMESTAMP"),
    col("outcomeType", "VARCHAR"),
    col("outcomeTypeOriginal", "VARCHAR"),
    col("outcomeSubtypeOriginal", "VARCHAR"),
    col("daysInShelter", "INTEGER"),
    col("stayId", "VARCHAR"),
    col("jurisdiction", "VARCHAR"),
    col("area", "VARCHAR"),
    ...lineage,
  ],
  tnr: [
    ...base,
    col("operatedOn", "DATE"),
    col("area", "VARCHAR"),
    col("sex", "VARCHAR"),
    col("count", "INTEGER"),
    col("subsidyAmount", "DOUBLE"),
    ...lineage,
  ],
  complaints: [
    ...base,
    col("receivedOn", "DATE"),
    col("periodEnd", "DATE"),
    col("category", "VARCHAR"),
    col("area", "VARCHAR"),
    col("location", "VARCHAR"),
    col("categoryOriginal", "VARCHAR"),
    /** 'cat': a complaint loads only when its mapping says how species is known (species-rule.ts). */
    col("species", "VARCHAR"),
    /** The source's own request / case number, when it has one (dedup of re-delivered exports). */
    col("requestId", "VARCHAR"),
    ...lineage,
  ],
  aggregates: [
    ...base,
    col("region", "VARCHAR"),
    col("metric", "VARCHAR"),
    col("value", "DOUBLE"),
    col("species", "VARCHAR"),
    col("outcomeType", "VARCHAR"),
    col("metricOriginal", "VARCHAR"),
    ...lineage,
  ],
  sightings: [
    ...base,
    col("seenAt", "TIMESTAMP"),
    col("location", "VARCHAR"),
    col("note", "VARCHAR"),
    col("reportType", "VARCHAR"),
    col("reportTypeOriginal", "VARCHAR"),
    col("animalId", "VARCHAR"),
    col("area", "VARCHAR"),
    ...lineage,
  ],
};

/** The column holding each dataset's event date, for date filters and ordering. */
export const DATE_COLUMN: Record<Dataset, string> = {
  intakes: "intake_at",
  outcomes: "outcome_at",
  tnr: "operated_on",
  complaints: "received_on",
  aggregates: "fiscal_year",
  sightings: "seen_at",
};
