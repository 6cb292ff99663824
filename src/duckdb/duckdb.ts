import { mkdirSync } from "node:fs";
import path from "node:path";
import { type DuckDBConnection, DuckDBInstance, type DuckDBValue } from "@duckdb/node-api";

export type SqlParams = Record<string, DuckDBValue> | DuckDBValue[];
export type Row = Record<string, unknown>;

/**
 * A DuckDB database file (or `:memory:`) and one connection to it. One instance per file per
 * process (DuckDBInstance.fromCache), prepared statements with bound parameters, JSON-safe rows.
 */
export class DuckDb {
  private constructor(
    readonly file: string,
    readonly connection: DuckDBConnection,
    private readonly instance: DuckDBInstance,
  ) {}

  static async open(file: string): Promise<DuckDb> {
    if (file !== ":memory:") mkdirSync(path.dirname(file), { recursive: true });
    const instance = file === ":memory:" ? await DuckDBInstance.create(file) : await DuckDBInstance.fromCache(file);
    const connection = await instance.connect();
    return new DuckDb(file, connection, instance);
  }

  /** Runs a statement (DDL/DML); returns the number of rows changed where DuckDB reports one. */
  async run(sql: string, params?: SqlParams): Promise<number> {
    const result = await this.connection.run(sql, params);
    return Number(result.rowsChanged ?? 0);
  }

  /** Runs a query and returns JSON-safe row objects (BIGINT as number when safe, dates as ISO strings). */
  async all<T extends Row = Row>(sql: string, params?: SqlParams): Promise<T[]> {
    const reader = await this.connection.runAndReadAll(sql, params);
    return reader.getRowObjectsJson() as unknown as T[];
  }

  async one<T extends Row = Row>(sql: string, params?: SqlParams): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0];
  }

  /** Runs `fn` inside a transaction; rolls back if it throws. */
  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    await this.connection.run("BEGIN TRANSACTION");
    try {
      const out = await fn();
      await this.connection.run("COMMIT");
      return out;
    } catch (error) {
      await this.connection.run("ROLLBACK");
      throw error;
    }
  }

  close(): void {
    this.connection.closeSync();
    if (this.file === ":memory:") this.instance.closeSync();
  }
}

/** Quotes an identifier for DuckDB/Postgres SQL. */
export const ident = (name: string): string => `"${name.replaceAll('"', '""')}"`;
/** Quotes a string literal (for paths in read_csv etc., where parameters are not allowed). */
export const literal = (value: string): string => `'${value.replaceAll("'", "''")}'`;
