import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import { DuckDb, literal } from "../duckdb/duckdb.js";
import type { Lake } from "../lake/lake.js";
import { type LockOptions, withFileLock } from "../local/file-lock.js";
import type { Logger } from "../log/logger.js";
import { silentLogger } from "../log/logger.js";
import { duckdbDialect } from "../sql/dialect/dialect-duckdb.js";
import { computeMarts } from "./compute-marts.js";
import { MartsFileReader } from "./marts-file-reader.js";
import { martsFileName, readPointer, removeOldMarts, writePointer } from "./marts-pointer.js";
import { readBreakdown, readKpis } from "./read-marts.js";
import type { BreakdownFilter, KpiFilter, RebuildSummary, Warehouse } from "./warehouse.js";
import { warehouseNotBuilt } from "./warehouse-errors.js";

/**
 * The default warehouse: marts in a DuckDB file in its folder (DataDir.warehouse). Each rebuild writes a NEW
 * file (attached to an in-memory DuckDB that reads the lake, detached and so closed when done),
 * then renames the `current` pointer onto it and removes files older than the previous one. Readers
 * open the current file READ_ONLY (marts-file-reader.ts), so they never block or see a rebuild.
 * Rebuilds take a lock file first, so concurrent ones (any process) run one after the other.
 */
export interface DuckDbWarehouseOptions {
  /** Where the marts files live (DataDir.warehouse). */
  dir: string;
  logger?: Logger;
  now?: () => Date;
  lock?: LockOptions;
}

export class DuckDbWarehouse implements Warehouse {
  readonly kind = "duckdb" as const;
  private readonly reader: MartsFileReader;
  private readonly now: () => Date;
  private readonly logger: Logger;

  constructor(private readonly options: DuckDbWarehouseOptions) {
    this.reader = new MartsFileReader(options.dir);
    this.now = options.now ?? (() => new Date());
    this.logger = options.logger ?? silentLogger;
  }

  async rebuild(lake: Lake): Promise<RebuildSummary> {
    const dir = this.options.dir;
    await mkdir(dir, { recursive: true });
    return withFileLock(
      path.join(dir, "rebuild.lock"),
      async () => {
        const started = this.now();
        const t0 = performance.now();
        const name = martsFileName(started);
        const file = path.join(dir, name);
        const db = await DuckDb.open(":memory:");
        let computed: Awaited<ReturnType<typeof computeMarts>>;
        try {
          await db.run(`ATTACH ${literal(file)} AS marts`);
          computed = await computeMarts(db, lake, "marts");
          await db.run("DETACH marts");
        } catch (error) {
          await rm(file, { force: true });
          await rm(`${file}.wal`, { force: true });
          throw error;
        } finally {
          db.close();
        }
        const previous = await readPointer(dir);
        await writePointer(dir, name);
        const removed = await removeOldMarts(dir, new Set([name, ...(previous ? [previous] : [])]));
        const summary: RebuildSummary = {
          kind: this.kind,
          target: file,
          builtAt: started.toISOString(),
          durationMs: Math.round(performance.now() - t0),
          ...computed,
        };
        this.logger.info({ file, durationMs: summary.durationMs, marts: summary.marts, removed }, "warehouse rebuilt");
        return summary;
      },
      { what: "a warehouse rebuild", ...this.options.lock },
    );
  }

  async query(sql: string, params: readonly (string | number | boolean | null)[] = []) {
    const rows = await this.reader.all(sql, params);
    if (rows === null) throw warehouseNotBuilt();
    return rows;
  }

  kpis(filter: KpiFilter) {
    return readKpis((sql, params) => this.reader.all(sql, params), duckdbDialect, filter);
  }

  breakdown(filter: BreakdownFilter) {
    return readBreakdown((sql, params) => this.reader.all(sql, params), duckdbDialect, filter);
  }

  /** The file the pointer names now (null before the first rebuild). */
  async currentFile(): Promise<string | null> {
    const name = await readPointer(this.options.dir);
    return name === null ? null : path.join(this.options.dir, name);
  }

  async close(): Promise<void> {
    this.reader.close();
  }
}
