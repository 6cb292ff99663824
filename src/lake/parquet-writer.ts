import { mkdir, readdir, rename, rm } from "node:fs/promises";
import path from "node:path";
import type { DuckDBAppender } from "@duckdb/node-api";
import type { Dataset } from "../cats/model.js";
import { type Column, SCHEMAS } from "../cats/schema.js";
import { DuckDb, ident, literal } from "../sql/duckdb.js";
import { lakePaths } from "./layout.js";

/**
 * Writes canonical records of one dataset into the lake as Parquet, partitioned by municipality and
 * fiscal year. Rows are appended to an in-memory DuckDB table and flushed every `flushEvery` rows
 * to a staging folder; `commit()` renames the staged files into the lake (a rename is atomic, so
 * readers never see a half-written file). Files are named after the job, so a rerun of the same
 * job replaces its own files instead of adding duplicates.
 */
export class ParquetDatasetWriter {
  private appender: DuckDBAppender | undefined;
  private pending = 0;
  private flushes = 0;
  rowsWritten = 0;

  private constructor(
    private readonly db: DuckDb,
    private readonly home: string,
    readonly dataset: Dataset,
    private readonly jobId: string,
    private readonly columns: Column[],
    private readonly flushEvery: number,
  ) {}

  static async open(home: string, dataset: Dataset, jobId: string, flushEvery = 250_000) {
    const db = await DuckDb.open(":memory:");
    const columns = SCHEMAS[dataset];
    const defs = columns.map((c) => `${ident(c.column)} ${stagingType(c)}`).join(", ");
    await db.run(`CREATE TABLE staged (${defs})`);
    const writer = new ParquetDatasetWriter(db, home, dataset, jobId, columns, flushEvery);
    await rm(writer.stagingDir, { recursive: true, force: true });
    return writer;
  }

  private get stagingDir(): string {
    return path.join(lakePaths(this.home).staging, this.jobId, this.dataset);
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

  /** Moves staged files into the lake, replacing this job's files from an earlier (crashed) run. */
  async commit(): Promise<string[]> {
    await this.flush();
    const target = lakePaths(this.home).dataset(this.dataset);
    const staged = await listParquet(this.stagingDir);
    const committed: string[] = [];
    for (const file of staged) {
      const rel = path.relative(this.stagingDir, file);
      const dest = path.join(target, rel);
      await mkdir(path.dirname(dest), { recursive: true });
      await rename(file, dest);
      committed.push(dest);
    }
    const keep = new Set(committed);
    for (const old of await listParquet(target)) {
      if (path.basename(old).startsWith(`part-${this.jobId}-`) && !keep.has(old)) await rm(old, { force: true });
    }
    await rm(path.join(lakePaths(this.home).staging, this.jobId), { recursive: true, force: true });
    this.db.close();
    return committed;
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
