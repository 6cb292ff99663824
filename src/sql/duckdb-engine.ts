import path from "node:path";
import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { DATASETS } from "../cats/model.js";
import { ident, literal } from "../duckdb/duckdb.js";
import { badInput, CatdataError } from "../errors.js";
import { type CatalogState, HIVE_OPTIONS, type Lake } from "../lake/lake.js";
import {
  DEFAULT_MAX_ROWS,
  DEFAULT_TIMEOUT_MS,
  type QueryEngine,
  type QueryOptions,
  type QueryResult,
  queryTimedOut,
} from "./query-engine.js";

/**
 * DuckDB over the lake's Parquet files: one in-memory database per process with a view per dataset
 * (`intakes`, `outcomes`, …) over the local files of the parts the lake's catalog lists, with Hive
 * partitions. Views are refreshed when the catalog stamp changes, so parts committed by another
 * process show up.
 *
 * Locked down at open, before any user SQL: `allowed_directories` = the lake's local roots only (the
 * dataset folders or the S3 lake's download cache; not the trail, staging or store), then `enable_external_access = false` (no other file, URL, ATTACH,
 * COPY elsewhere, INSTALL/LOAD, replacement scans) and `lock_configuration = true` (no SET can undo
 * it). Views created later still read their Parquet: they lie inside the allowed folders.
 * Each query runs alone on its own connection, wrapped as `SELECT * FROM (<sql>) LIMIT n` and
 * prepared as exactly one statement, and is interrupted at its timeout.
 */
/**
 * How often, at most, the parts behind already registered views are checked again while the catalog
 * is unchanged (a new catalog is always checked in full before its views are made). LIMIT: a part
 * changed in place after a check can be read for up to this long before queries refuse it; checking
 * before every query cost one stat per part per query (≈ 4 ms a query on the demo lake, −25% API
 * throughput). A fresh process, `catdata lake verify` and every new catalog check at once.
 */
export const PART_RECHECK_MS = 2_000;

export interface DuckDbEngineOptions {
  /** The clock, in ms (injected in tests). */
  now?: () => number;
  recheckPartsMs?: number;
}

export class DuckDbQueryEngine implements QueryEngine {
  readonly kind = "duckdb" as const;
  private registered = new Set<string>();
  private catalogStamp = "";
  private catalog: CatalogState | undefined;
  /** When the views' parts were last checked (the clock of `options.now`). */
  private checkedAt = Number.NEGATIVE_INFINITY;

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly admin: DuckDBConnection,
    private readonly lake: Lake,
    private readonly now: () => number,
    private readonly recheckMs: number,
  ) {}

  static async open(lake: Lake, options: DuckDbEngineOptions = {}): Promise<DuckDbQueryEngine> {
    const instance = await DuckDBInstance.create(":memory:");
    const admin = await instance.connect();
    const allowed = lake.localRoots.map((root) => literal(`${root}${path.sep}`));
    await admin.run(`SET allowed_directories = [${allowed.join(", ")}]`);
    await admin.run("SET enable_external_access = false");
    await admin.run("SET lock_configuration = true");
    return new DuckDbQueryEngine(
      instance,
      admin,
      lake,
      options.now ?? (() => Date.now()),
      options.recheckPartsMs ?? PART_RECHECK_MS,
    );
  }

  /**
   * Views follow the catalog, not a glob: a job's files become visible only once the catalog lists
   * them (its commit point), so a crash mid-commit never shows a partial job. The catalog is re-read
   * only when its stamp changed.
   */
  private async refresh(): Promise<void> {
    const stamp = await this.lake.catalogStamp();
    if (stamp === this.catalogStamp) {
      // The views' parts are checked again (one stat each while unchanged), at most every
      // PART_RECHECK_MS: a part changed in place is refused from then on.
      const t = this.now();
      if (t - this.checkedAt < this.recheckMs) return;
      await this.recheckParts();
      this.checkedAt = t;
      return;
    }
    const state = await this.lake.readCatalog();
    const next = new Set<string>();
    for (const dataset of DATASETS) {
      const files = await this.lake.localFiles(dataset, state);
      if (files.length === 0) {
        if (this.registered.has(dataset)) await this.admin.run(`DROP VIEW IF EXISTS ${ident(dataset)}`);
        continue;
      }
      await this.admin.run(
        `CREATE OR REPLACE VIEW ${ident(dataset)} AS SELECT * FROM read_parquet([${files.map(literal).join(", ")}], ${HIVE_OPTIONS}, union_by_name = true)`,
      );
      next.add(dataset);
    }
    this.registered = next;
    this.catalogStamp = stamp;
    this.catalog = state;
    this.checkedAt = this.now();
  }

  private async recheckParts(): Promise<void> {
    const state = this.catalog;
    for (const dataset of DATASETS)
      if (state && this.registered.has(dataset)) await this.lake.localFiles(dataset, state);
  }

  async tables(): Promise<string[]> {
    await this.refresh();
    return [...this.registered].sort();
  }

  async query(sql: string, options: QueryOptions = {}): Promise<QueryResult> {
    await this.refresh();
    const maxRows = options.maxRows ?? DEFAULT_MAX_ROWS;
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const body = sql.trim().replace(/;+$/, "");
    const connection = await this.instance.connect();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      connection.interrupt();
    }, timeoutMs);
    try {
      const statements = await connection.extractStatements(`SELECT * FROM (\n${body}\n) AS q LIMIT ${maxRows + 1}`);
      if (statements.count !== 1) throw badInput("only one SELECT statement is allowed per query");
      const prepared = await statements.prepare(0);
      if (options.params !== undefined) prepared.bind(options.params);
      if (timedOut) throw queryTimedOut(timeoutMs);
      const reader = await prepared.runAndReadAll();
      const rows = reader.getRowObjectsJson() as Record<string, unknown>[];
      const truncated = rows.length > maxRows;
      if (truncated) rows.pop();
      return { columns: reader.columnNames(), rows, truncated };
    } catch (error) {
      if (timedOut) throw queryTimedOut(timeoutMs);
      throw error instanceof CatdataError ? error : queryFailed(error);
    } finally {
      clearTimeout(timer);
      connection.closeSync();
    }
  }

  async close(): Promise<void> {
    this.admin.closeSync();
    this.instance.closeSync();
  }
}

const USER_ERROR = /^(Parser|Binder|Catalog|Permission|Conversion|Invalid Input|Out of Range|Not implemented) Error/i;

/** DuckDB's parser/binder/permission errors are the user's to fix: BAD_INPUT with DuckDB's words. */
function queryFailed(error: unknown): unknown {
  const message = (error instanceof Error ? error.message : String(error)).replace(
    /^Failed to extract statements: /,
    "",
  );
  if (!USER_ERROR.test(message)) return error;
  return new CatdataError("BAD_INPUT", `the query failed: ${message}`, {
    hint: "check the table and column names, e.g. SELECT * FROM intakes LIMIT 5",
    cause: error,
  });
}
