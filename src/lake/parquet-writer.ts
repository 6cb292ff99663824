import { mkdir, readdir, rm } from "node:fs/promises";
import path from "node:path";
import type { DuckDBAppender } from "@duckdb/node-api";
import type { Dataset } from "../cats/model.js";
import { type Column, SCHEMAS } from "../cats/schema.js";
import { DuckDb, ident, literal } from "../duckdb/duckdb.js";

/**
 * Writes canonical records of one dataset as Parquet, partitioned by municipality and fiscal year,
 * into the job's staging folder (from `Lake.openStaging`): rows are appended to an in-memory DuckDB
 * table and flushed every `flushEvery` rows to `<staging>/<dataset>/municipality=…/fiscal_year=…/`.
 * `finish()` returns the staged files for `Lake.commitJob`, which publishes them; nothing written
 * here is visible to readers before that commit.
 */
export class ParquetDatasetWriter {
  private appender: DuckDBAppender | undefined;
  private pending = 0;
  private flushes = 0;
  rowsWritten = 0;

  private constructor(
    private readonly db: DuckDb,
    private readonly staging: string,
    readonly dataset: Dataset,
    private readonly jobId: string,
    private readonly columns: Column[],
    private readonly flushEvery: number,
  ) {}

  /** `staging` is the job's staging folder; this writer owns its `<dataset>` subfolder. */
  static async open(staging: string, dataset: Dataset, jobId: string, flushEvery = 250_000) {
    const db = await DuckDb.open(":memory:");
    const columns = SCHEMAS[dataset];
    const defs = columns.map((c) => `${ident(c.column)} ${stagingType(c)}`).join(", ");
    await db.run(`CREATE TABLE staged (${defs})`);
    const writer = new ParquetDatasetWriter(db, staging, dataset, jobId, columns, flushEvery);
    await rm(writer.stagingDir, { recursive: true, force: true });
    return writer;
  }

  private get stagingDir(): string {
    return path.join(this.staging, this.dataset);
  }

  async append(record: object): Promise<void> {
    this.appender ??= await this.db.connection.createAppender("staged");
    const values = record as Record<string, unknown>;
    for (const c of this.columns) appendValue(this.appender, c, values[c.field]);
    this.appender.endRow();
    this.pending += 1;
    if (this.pending >= this.flushEvery) await this.flush();
  }

  /** Writes what is pending to the staging folder. */
  async flush(): Promise<void> {
    if (this.appender) {
      this.appender.closeSync();
      this.appender = undefined;
    }
    if (this.pending === 0) return;
    const select = this.columns
      .map((c) =>
        c.type === "TIMESTAMP" || c.type === "DATE"
          ? `CAST(${ident(c.column)} AS ${c.type}) AS ${ident(c.column)}`
          : ident(c.column),
      )
      .join(", ");
    await mkdir(this.stagingDir, { recursive: true });
    await this.db.run(
      `COPY (SELECT ${select} FROM staged) TO ${literal(this.stagingDir)}
       (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (municipality, fiscal_year),
        FILENAME_PATTERN ${literal(`part-${this.jobId}-${this.flushes}-{i}`)}, OVERWRITE_OR_IGNORE)`,
    );
    await this.db.run("DELETE FROM staged");
    this.rowsWritten += this.pending;
    this.pending = 0;
    this.flushes += 1;
  }

  /** Flushes and returns the staged files, relative to `<staging>/<dataset>` (as `commitJob` takes them). */
  async finish(): Promise<string[]> {
    await this.flush();
    this.db.close();
    return (await listParquet(this.stagingDir)).map((file) => path.relative(this.stagingDir, file));
  }

  async abort(): Promise<void> {
    this.appender?.closeSync();
    await rm(this.stagingDir, { recursive: true, force: true });
    this.db.close();
  }
}

function stagingType(c: Column): string {
  return c.type === "TIMESTAMP" || c.type === "DATE" ? "VARCHAR" : c.type;
}

function appendValue(appender: DuckDBAppender, c: Column, value: unknown): void {
  if (value === null || value === undefined) appender.appendNull();
  else if (c.type === "INTEGER") appender.appendInteger(Number(value));
  else if (c.type === "DOUBLE") appender.appendDouble(Number(value));
  else if (c.type === "BOOLEAN") appender.appendBoolean(Boolean(value));
  else appender.appendVarchar(String(value));
}

export async function listParquet(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { recursive: true, withFileTypes: true });
    return entries
      .filter((e) => e.isFile() && e.name.endsWith(".parquet"))
      .map((e) => path.join(e.parentPath, e.name))
      .sort();
  } catch {
    return [];
  }
}
