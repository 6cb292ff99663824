import { CatdataError } from "../errors.js";

/**
 * The SQL engine over the curated lake (the Athena role). One interface, one file per engine:
 * `duckdb-engine.ts` (local, default) and `athena-engine.ts` (AWS).
 */
export interface QueryResult {
  columns: string[];
  rows: Record<string, unknown>[];
  /** True when the row limit cut the result. */
  truncated: boolean;
  /** The engine's own id for the run, when it has one (Athena's QueryExecutionId). */
  queryId?: string;
}

export type QueryParams = Record<string, string | number | boolean | null> | (string | number | boolean | null)[];

export interface QueryOptions {
  /** At most this many rows come back (default 10,000). */
  maxRows?: number;
  /** Bound parameters ($1, $2… or $name for DuckDB; positional `?` for Athena). */
  params?: QueryParams;
  /** The query is stopped and fails after this many milliseconds (default 30 s). */
  timeoutMs?: number;
}

export interface QueryEngine {
  readonly kind: "duckdb" | "athena";
  /** Tables the engine can see (the catalog's tables). */
  tables(): Promise<string[]>;
  query(sql: string, options?: QueryOptions): Promise<QueryResult>;
  close(): Promise<void>;
}

export const DEFAULT_MAX_ROWS = 10_000;
export const DEFAULT_TIMEOUT_MS = 30_000;

/** The error every engine throws when a query runs past its timeout. */
export function queryTimedOut(timeoutMs: number): CatdataError {
  return new CatdataError("BAD_INPUT", `the query was stopped after ${timeoutMs / 1000} s (its timeout)`, {
    hint: "narrow it (WHERE, fewer columns, an aggregate) or allow more time with --timeout <seconds>",
  });
}
