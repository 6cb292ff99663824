/**
 * The few places where DuckDB and Athena (Trino) SQL differ for the behaviour queries. Everything
 * else the builders write is common to both: window functions, CASE, LIKE, VALUES, UNION ALL.
 */
export interface SqlDialect {
  readonly name: "duckdb" | "athena";
  /** Epoch milliseconds (BIGINT) of a TIMESTAMP column holding UTC. */
  epochMs(column: string): string;
  /** The n-th (1-based) bound parameter. */
  param(n: number): string;
  /** A string literal. */
  text(value: string): string;
}

const quote = (value: string) => `'${value.replaceAll("'", "''")}'`;

export const duckdbDialect: SqlDialect = {
  name: "duckdb",
  epochMs: (column) => `epoch_ms(${column})`,
  param: (n) => `$${n}`,
  text: quote,
};

/** Athena engine v3 over the same Parquet parts registered as a Glue table; `?` execution parameters. */
export const athenaDialect: SqlDialect = {
  name: "athena",
  epochMs: (column) => `CAST(to_unixtime(${column}) * 1000 AS BIGINT)`,
  param: () => "?",
  text: quote,
};
