import { qualify, quoteIdent, quoteLiteral, type SqlDialect } from "./dialect.js";

/**
 * PostgreSQL. `percentile_cont(0.5) WITHIN GROUP` is its median (there is no MEDIAN aggregate);
 * subtracting two DATEs gives whole days.
 */
export const postgresDialect: SqlDialect = {
  name: "postgres",
  ident: quoteIdent,
  table: qualify,
  literal: quoteLiteral,
  type: (type) => ({ text: "TEXT", integer: "INTEGER", double: "DOUBLE PRECISION" })[type],
  cast: (expr, type) => `CAST(${expr} AS ${postgresDialect.type(type)})`,
  monthLabel: (expr) => `to_char(${expr}, 'YYYY-MM')`,
  daysBetween: (from, to) => `(CAST(${to} AS DATE) - CAST(${from} AS DATE))`,
  median: (expr) => `percentile_cont(0.5) WITHIN GROUP (ORDER BY ${expr})`,
  param: (n) => `$${n}`,
  epochMs: (expr) => `CAST(EXTRACT(EPOCH FROM ${expr}) * 1000 AS BIGINT)`,
};
