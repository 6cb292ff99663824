import type pg from "pg";
import { DuckDb } from "../duckdb/duckdb.js";
import type { Lake } from "../lake/lake.js";
import type { Logger } from "../log/logger.js";
import { silentLogger } from "../log/logger.js";
import type { SqlDialect } from "../sql/dialect/dialect.js";
import { duckdbDialect } from "../sql/dialect/dialect-duckdb.js";
import { buildCreateTableSql, buildInsertBatches, buildSwapSql, NEW_SUFFIX } from "./build-load-sql.js";
import { computeMarts } from "./compute-marts.js";
import { MARTS } from "./marts.js";
import {
  createPool,
  describeTarget,
  detectDialect,
  isCreateRace,
  isMissingRelation,
  type WarehouseTarget,
} from "./postgres-connection.js";
import { type RunQuery, readBreakdown, readKpis } from "./read-marts.js";
import type { BreakdownFilter, KpiFilter, RebuildSummary, Warehouse } from "./warehouse.js";
import { warehouseNotBuilt } from "./warehouse-errors.js";

/**
 * The warehouse in Postgres or Redshift (schema `catdata`). A rebuild computes every mart with
 * DuckDB from the lake, then, in ONE transaction: locks `catdata.rebuild_lock` (so concurrent
 * rebuilds queue), loads each mart into `<mart>__new` with multi-row INSERTs of bound parameters,
 * drops the old tables and renames the new ones. Readers see all the old marts or all the new ones.
 * The pool opens on first use (a server target first fetches its credentials).
 */
export type PostgresWarehouseOptions = WarehouseTarget & {
  schema?: string;
  logger?: Logger;
  now?: () => Date;
};

export class PostgresWarehouse implements Warehouse {
  readonly kind = "postgres" as const;
  readonly schema: string;
  private opened: Promise<pg.Pool> | undefined;
  private readonly logger: Logger;
  private dialect: Promise<SqlDialect> | undefined;

  constructor(private readonly options: PostgresWarehouseOptions) {
    this.schema = options.schema ?? "catdata";
    this.logger = options.logger ?? silentLogger;
  }

  private pool(): Promise<pg.Pool> {
    this.opened ??= createPool(this.options, this.logger).catch((error: unknown) => {
      this.opened = undefined;
      throw error;
    });
    return this.opened;
  }

  private getDialect(): Promise<SqlDialect> {
    this.dialect ??= this.pool()
      .then(detectDialect)
      .catch((error: unknown) => {
        this.dialect = undefined;
        throw error;
      });
    return this.dialect;
  }

  async rebuild(lake: Lake): Promise<RebuildSummary> {
    const started = (this.options.now ?? (() => new Date()))();
    const t0 = performance.now();
    const db = await DuckDb.open(":memory:");
    const loaded: { name: string; columns: string[]; rows: Record<string, unknown>[] }[] = [];
    let computed: Awaited<ReturnType<typeof computeMarts>>;
    try {
      computed = await computeMarts(db, lake);
      for (const mart of MARTS) {
        const columns = mart.columns.map((c) => c.name);
        const sql = `SELECT ${columns.map(duckdbDialect.ident).join(", ")} FROM ${duckdbDialect.ident(mart.name)}`;
        loaded.push({ name: mart.name, columns, rows: await db.all(sql) });
      }
    } finally {
      db.close();
    }
    const d = await this.getDialect();
    await this.ensureSchema(d);
    const client = await (await this.pool()).connect();
    try {
      await client.query("BEGIN");
      await client.query(`LOCK TABLE ${d.table("rebuild_lock", this.schema)}`);
      for (const [i, mart] of MARTS.entries()) {
        const { columns, rows } = loaded[i]!;
        await client.query(`DROP TABLE IF EXISTS ${d.table(mart.name + NEW_SUFFIX, this.schema)}`);
        await client.query(buildCreateTableSql(d, mart, mart.name + NEW_SUFFIX, this.schema));
        for (const batch of buildInsertBatches(d, columns, rows, mart.name + NEW_SUFFIX, this.schema)) {
          await client.query(batch.sql, batch.params);
        }
      }
      for (const mart of MARTS) for (const sql of buildSwapSql(d, mart.name, this.schema)) await client.query(sql);
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
    const target = `${describeTarget(this.options)} schema ${this.schema}`;
    const durationMs = Math.round(performance.now() - t0);
    this.logger.info({ warehouse: target, durationMs, marts: computed.marts }, "warehouse rebuilt");
    return { kind: this.kind, target, builtAt: started.toISOString(), durationMs, ...computed };
  }

  /** The schema and the lock table; a concurrent creator winning the race is not an error. */
  private async ensureSchema(d: SqlDialect): Promise<void> {
    const statements = [
      `CREATE SCHEMA IF NOT EXISTS ${d.ident(this.schema)}`,
      `CREATE TABLE IF NOT EXISTS ${d.table("rebuild_lock", this.schema)} (${d.ident("id")} INTEGER)`,
    ];
    const pool = await this.pool();
    for (const sql of statements) {
      await pool.query(sql).catch((error: unknown) => {
        if (!isCreateRace(error)) throw error;
      });
    }
  }

  /** Runs `sql` in a READ ONLY transaction, so a query can never change the marts. */
  async query(sql: string, params: readonly (string | number | boolean | null)[] = []) {
    const rows = await this.readOnly(sql, [...params]);
    if (rows === null) throw warehouseNotBuilt();
    return rows;
  }

  private async readOnly(sql: string, params: unknown[]): Promise<Record<string, unknown>[] | null> {
    const client = await (await this.pool()).connect();
    try {
      await client.query("BEGIN READ ONLY");
      return (await client.query(sql, params)).rows as Record<string, unknown>[];
    } catch (error) {
      if (isMissingRelation(error)) return null;
      throw error;
    } finally {
      await client.query("ROLLBACK").catch(() => undefined);
      client.release();
    }
  }

  private readonly run: RunQuery = (sql, params) => this.readOnly(sql, params);

  async kpis(filter: KpiFilter) {
    return readKpis(this.run, await this.getDialect(), filter, this.schema);
  }

  async breakdown(filter: BreakdownFilter) {
    return readBreakdown(this.run, await this.getDialect(), filter, this.schema);
  }

  async close(): Promise<void> {
    const opened = this.opened;
    this.opened = undefined;
    if (opened) await (await opened.catch(() => undefined))?.end();
  }
}
