import { qualify, quoteIdent, quoteLiteral, type SqlDialect } from "./dialect.js";

/**
 * Amazon Redshift (Postgres wire protocol, Postgres 8 heritage). It has `MEDIAN()` and
 * `DATEDIFF(day, …)`; its TEXT is VARCHAR(256) *bytes*, too short for Japanese labels, so text
 * columns are VARCHAR(1024). Parameters are `$n` as in Postgres (the `pg` driver binds them).
 */
export const redshiftDialect: SqlDialect = {
  name: "redshift",
  ident: quoteIdent,
  table: qualify,
  literal: quoteLiteral,
  type: (type) => ({ text: "VARCHAR(1024)", integer: "INTEGER", double: "DOUBLE PRECISION" })[type],
  cast: (expr, type) => `CAST(${expr} AS ${redshiftDialect.type(type)})`,
  monthLabel: (expr) => `to_char(${expr}, 'YYYY-MM')`,
  daysBetween: (from, to) => `DATEDIFF(day, CAST(${from} AS DATE), CAST(${to} AS DATE))`,
  median: (expr) => `MEDIAN(${expr})`,
  param: (n) => `$${n}`,
  epochMs: (expr) => `CAST(EXTRACT(EPOCH FROM ${expr}) * 1000 AS BIGINT)`,
};
