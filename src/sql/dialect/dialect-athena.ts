import { qualify, quoteIdent, quoteLiteral, type SqlDialect } from "./dialect.js";

/**
 * Athena engine v3 (Trino) over the same Parquet parts registered as a Glue table: `?` execution
 * parameters, `to_unixtime` for epochs, `date_format` for month labels. Its median is
 * `approx_percentile(…, 0.5)` (Trino has no exact median aggregate).
 */
export const athenaDialect: SqlDialect = {
  name: "athena",
  ident: quoteIdent,
  table: qualify,
  literal: quoteLiteral,
  type: (type) => ({ text: "VARCHAR", integer: "INTEGER", double: "DOUBLE" })[type],
  cast: (expr, type) => `CAST(${expr} AS ${athenaDialect.type(type)})`,
  monthLabel: (expr) => `date_format(${expr}, '%Y-%m')`,
  daysBetween: (from, to) => `date_diff('day', CAST(${from} AS DATE), CAST(${to} AS DATE))`,
  median: (expr) => `approx_percentile(${expr}, 0.5)`,
  param: () => "?",
  epochMs: (expr) => `CAST(to_unixtime(${expr}) * 1000 AS BIGINT)`,
};
