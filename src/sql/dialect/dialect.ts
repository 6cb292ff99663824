/**
 * What differs between the SQL engines catdata speaks — the warehouse's (DuckDB, Postgres, Redshift)
 * and the behaviour queries' (DuckDB, Athena): quoting, type names, casts, month labels, day
 * differences, the median aggregate, epoch milliseconds and parameter placeholders. One file per
 * engine (`dialect-duckdb.ts`, `dialect-postgres.ts`, `dialect-redshift.ts`, `dialect-athena.ts`);
 * the SQL builders are written once against this interface and never test which engine they render for.
 *
 * Everything else the builders use is the common core of the engines on purpose:
 * `SUM(CASE WHEN … THEN 1 ELSE 0 END)` instead of `FILTER (WHERE …)` (Redshift has no FILTER),
 * `COALESCE`, `NULLIF`, `LEFT JOIN`, `UNION`, `GROUP BY <expression>`, no `GROUP BY ALL`.
 */

/** The three column types a mart holds. Counts are INTEGER (never BIGINT, so drivers return numbers). */
export type MartColumnType = "text" | "integer" | "double";

export type DialectName = "duckdb" | "postgres" | "redshift" | "athena";

export interface SqlDialect {
  readonly name: DialectName;
  /** A quoted identifier: `"name"`, embedded quotes doubled. */
  ident(name: string): string;
  /** A table reference, schema-qualified when a schema is given. */
  table(name: string, schema?: string): string;
  /** A string literal for constants written by code (never for user values: those are parameters). */
  literal(value: string): string;
  /** The engine's name for a mart column type. */
  type(type: MartColumnType): string;
  cast(expr: string, type: MartColumnType): string;
  /** `YYYY-MM` of a DATE or TIMESTAMP expression. */
  monthLabel(expr: string): string;
  /** Calendar days from the date of `from` to the date of `to` (time of day ignored). */
  daysBetween(from: string, to: string): string;
  /** The median of a numeric expression, interpolated between the two middle values (a DOUBLE). */
  median(expr: string): string;
  /** The placeholder of the n-th (1-based) bound parameter. */
  param(n: number): string;
  /** Epoch milliseconds (BIGINT) of a TIMESTAMP expression holding UTC. */
  epochMs(expr: string): string;
}

/** Standard SQL quoting, shared by the dialects. */
export const quoteIdent = (name: string): string => `"${name.replaceAll('"', '""')}"`;
export const quoteLiteral = (value: string): string => `'${value.replaceAll("'", "''")}'`;
export const qualify = (name: string, schema?: string): string =>
  schema === undefined ? quoteIdent(name) : `${quoteIdent(schema)}.${quoteIdent(name)}`;
