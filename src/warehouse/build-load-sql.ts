import type { SqlDialect } from "../sql/dialect/dialect.js";
import type { Mart } from "./marts.js";

/**
 * Pure builders for creating and loading a mart table: the DDL from the catalog's column types,
 * multi-row INSERTs with one bound parameter per value, and the drop-and-rename that swaps a freshly
 * loaded `<mart>__new` in for the old table (run inside one transaction by the caller).
 */
export interface Statement {
  sql: string;
  params: unknown[];
}

export const NEW_SUFFIX = "__new";

export function buildCreateTableSql(d: SqlDialect, mart: Mart, table: string, schema?: string): string {
  const columns = mart.columns.map((c) => `${d.ident(c.name)} ${d.type(c.type)}`).join(", ");
  return `CREATE TABLE ${d.table(table, schema)} (${columns})`;
}

/** The SELECT of `mart` inserted into `table` (used where the engine computes the mart itself). */
export function buildInsertSelectSql(d: SqlDialect, mart: Mart, select: string, table: string, schema?: string) {
  const columns = mart.columns.map((c) => d.ident(c.name)).join(", ");
  return `INSERT INTO ${d.table(table, schema)} (${columns})\nSELECT ${columns} FROM (\n${select}\n) AS q`;
}

/**
 * Multi-row INSERTs of `rows` (objects keyed by column name), at most `maxParams` bound values per
 * statement (Postgres allows 65,535; Redshift's statement size limit is 16 MB).
 */
export function buildInsertBatches(
  d: SqlDialect,
  columns: readonly string[],
  rows: readonly Record<string, unknown>[],
  table: string,
  schema?: string,
  maxParams = 30_000,
): Statement[] {
  if (columns.length === 0) throw new Error("no columns to insert");
  const perBatch = Math.max(1, Math.floor(maxParams / columns.length));
  const head = `INSERT INTO ${d.table(table, schema)} (${columns.map(d.ident).join(", ")}) VALUES `;
  const out: Statement[] = [];
  for (let start = 0; start < rows.length; start += perBatch) {
    const params: unknown[] = [];
    const tuples = rows.slice(start, start + perBatch).map((row) => {
      const slots = columns.map((c) => {
        params.push(row[c] ?? null);
        return d.param(params.length);
      });
      return `(${slots.join(", ")})`;
    });
    out.push({ sql: head + tuples.join(", "), params });
  }
  return out;
}

/** Replaces `name` by `name__new` (both in `schema`): run inside the transaction that loaded it. */
export function buildSwapSql(d: SqlDialect, name: string, schema: string): string[] {
  return [
    `DROP TABLE IF EXISTS ${d.table(name, schema)}`,
    `ALTER TABLE ${d.table(name + NEW_SUFFIX, schema)} RENAME TO ${d.ident(name)}`,
  ];
}
