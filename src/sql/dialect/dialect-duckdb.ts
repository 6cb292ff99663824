import { qualify, quoteIdent, quoteLiteral, type SqlDialect } from "./dialect.js";

/** DuckDB: the local warehouse file, the engine that computes every mart from the lake, and the trail lake's reader. */
export const duckdbDialect: SqlDialect = {
  name: "duckdb",
  ident: quoteIdent,
  table: qualify,
  literal: quoteLiteral,
  type: (type) => ({ text: "VARCHAR", integer: "INTEGER", double: "DOUBLE" })[type],
  cast: (expr, type) => `CAST(${expr} AS ${duckdbDialect.type(type)})`,
  monthLabel: (expr) => `strftime(${expr}, '%Y-%m')`,
  daysBetween: (from, to) => `date_diff('day', CAST(${from} AS DATE), CAST(${to} AS DATE))`,
  median: (expr) => `median(${expr})`,
  param: (n) => `$${n}`,
  epochMs: (expr) => `epoch_ms(${expr})`,
};
