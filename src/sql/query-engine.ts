/**
 * The SQL engine over the curated lake (the Athena role). One interface, one file per engine:
 * `duckdb-engine.ts` (local, default) and `athena-engine.ts` (AWS).
 */
export interface QueryResult {
  columns: string[];
  rows: Record<string, unknown>[];
  /** True when the row limit cut the result. */
  truncated: boolean;
}

export interface QueryOptions {
  /** At most this many rows come back (default 10,000). */
  maxRows?: number;
  /** Bound parameters ($1, $2… or $name). */
  params?: Record<string, string | number | boolean | null> | (string | number | boolean | null)[];
}

export interface QueryEngine {
  readonly kind: "duckdb" | "athena";
  /** Tables the engine can see (the catalog's tables). */
  tables(): Promise<string[]>;
  query(sql: string, options?: QueryOptions): Promise<QueryResult>;
  close(): Promise<void>;
}
