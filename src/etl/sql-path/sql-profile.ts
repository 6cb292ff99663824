import type { Dataset } from "../../cats/model.js";

/**
 * A mapping profile compiled to SQL, for the DuckDB ingest path (sql-path.ts). It reads the raw
 * cells of one CSV row (VARCHAR, '' for an empty cell) through `cell(header)` and gives, for its one
 * dataset, an expression per canonical field plus the row's verdict — a chain of steps run in the
 * JS profile's order. Each step may first say the SQL cannot decide this row the way the JS profile
 * would (`fallback`: then the whole file goes to the JS path), else reject it with the JS reason.
 */
export interface SqlStep {
  /** SQL condition: this row's value is in a form the SQL does not decide identically: fall back. */
  fallback?: string;
  /** SQL condition: the JS profile rejects the row here… */
  reject?: string;
  /** …with this reason (a SQL VARCHAR expression, the same text as the JS profile's). */
  reason?: string;
  /** The JS path writes this reason after `row N: ` (a record's column check, not the profile's own reason). */
  rowPrefix?: boolean;
}

export interface SqlCompileContext {
  /** SQL expression for a header's cell: coalesce(column, '') or '' when the file has no such header. */
  cell: (header: string) => string;
  /**
   * SQL for JS `.trim()` of a raw cell (`cell(h)`, or a derived name equal to one): exact, and
   * nearly free on the lines the copy's scan found no whitespace at a cell's edge on (scan-csv.ts).
   */
  trimCell: (cell: string) => string;
  municipality: string;
  fiscalYearStartMonth: number;
  jobId: string;
}

export interface SqlProfile {
  /** The JS profile this stands for (MappingProfile.name). */
  name: string;
  dataset: Dataset;
  /**
   * Derived values, computed once per row before the steps and fields, in layers: each layer's
   * expressions (name → SQL) may use the cells and the names of earlier layers.
   */
  derived: (ctx: SqlCompileContext) => [string, string][][];
  /**
   * SQL condition on a row: not a cat (counted as skipped, never checked). It may use the cells and
   * the first derived layer only: the later layers are computed for the rows it keeps.
   */
  skip: (ctx: SqlCompileContext) => string;
  /** The JS path's skip reason and label (its species filter's raw cell) of a skipped row, for the job's `skippedBy`. */
  skipReason: string;
  skipLabel: (ctx: SqlCompileContext) => string;
  /** The checks, in the JS profile's order (the record's column checks included). */
  steps: (ctx: SqlCompileContext) => SqlStep[];
  /** Canonical column → SQL expression (columns not named are NULL; `source_row` is the file row, set by sql-path.ts). */
  fields: (ctx: SqlCompileContext) => Record<string, string>;
  /** Output columns of the dedup key (first row wins), or none. */
  dedupColumns: string[];
  /**
   * The JS profile's `dedupKey` text of a good row, as SQL over the output columns (e.g.
   * `animal_id || '|' || strftime(intake_at, …)` for `${animalId}|${intakeAt}`): checked against the job's key set.
   */
  dedupKey?: string;
}
