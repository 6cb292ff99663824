import { mkdir, readdir, rm } from "node:fs/promises";
import path from "node:path";
import { type DuckDBAppender, type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import type { Dataset } from "../cats/model.js";
import { type Column, SCHEMAS } from "../cats/schema.js";
import { ident, literal } from "../duckdb/duckdb.js";
import { CatdataError } from "../errors.js";

/** Records held in the in-memory staging table before they are written out as one set of Parquet parts. */
export const FLUSH_EVERY_RECORDS = 250_000;

type AppendFn = (appender: DuckDBAppender, value: unknown) => void;

/**
 * Writes canonical records of one dataset as Parquet, partitioned by municipality and fiscal year,
 * into the job's staging folder (from `Lake.openStaging`): rows are appended to an in-memory DuckDB
 * table and flushed every `flushEvery` rows to `<staging>/<dataset>/municipality=…/fiscal_year=…/`.
 * Two staging tables take turns: while one is copied to Parquet (on a second connection, in
 * DuckDB's threads), the next rows go into the other, so reading never waits for a copy unless the
 * previous one is still running when the next table is full (at most one copy in flight).
 * `finish()` returns the staged files for `Lake.commitJob`, which publishes them; nothing written
 * here is visible to readers before that commit. Values are checked against the schema before they
 * get here (src/etl/validate-record.ts); what the appender still refuses names its row and column.
 */
export class ParquetDatasetWriter {
  private pending = 0;
  private flushes = 0;
  /** Source rows of what is pending (for an error that names them). */
  private firstRow = 0;
  private lastRow = 0;
  /** The staging table being filled (0 or 1); the other one may be being copied. */
  private table = 0;
  /** The copy of the other table to Parquet, running while this one fills. */
  private copying: Promise<void> = Promise.resolve();
  private readonly appends: AppendFn[];
  private readonly fields: string[];
  rowsWritten = 0;

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly appendConnection: DuckDBConnection,
    private readonly copyConnection: DuckDBConnection,
    private appender: DuckDBAppender | undefined,
    private readonly staging: string,
    readonly dataset: Dataset,
    private readonly jobId: string,
    private readonly columns: Column[],
    private readonly flushEvery: number,
  ) {
    this.appends = columns.map(appenderFor);
    this.fields = columns.map((c) => c.field);
  }

  /** `staging` is the job's staging folder; this writer owns its `<dataset>` subfolder. */
  static async open(staging: string, dataset: Dataset, jobId: string, flushEvery = FLUSH_EVERY_RECORDS) {
    const instance = await DuckDBInstance.create(":memory:");
    const [appendConnection, copyConnection] = [await instance.connect(), await instance.connect()];
    const columns = SCHEMAS[dataset];
    const defs = columns.map((c) => `${ident(c.column)} ${stagingType(c)}`).join(", ");
    for (const t of [0, 1]) await appendConnection.run(`CREATE TABLE staged_${t} (${defs})`);
    const appender = await appendConnection.createAppender("staged_0");
    const writer = new ParquetDatasetWriter(
      instance,
      appendConnection,
      copyConnection,
      appender,
      staging,
      dataset,
      jobId,
      columns,
      flushEvery,
    );
    await rm(writer.stagingDir, { recursive: true, force: true });
    return writer;
  }

  private get stagingDir(): string {
    return path.join(this.staging, this.dataset);
  }

  /**
   * Appends one record; `sourceRow` is the file's row, named in the error if a value cannot be
   * written. Returns a promise only when the append filled the table and it is being flushed.
   */
  append(record: object, sourceRow = 0): Promise<void> | undefined {
    const appender = this.appender ?? this.reopen();
    const values = record as Record<string, unknown>;
    const { appends, fields } = this;
    let i = 0;
    try {
      for (; i < fields.length; i++) (appends[i] as AppendFn)(appender, values[fields[i] as string]);
      appender.endRow();
    } catch (error) {
      throw this.valueError(error, values, i, sourceRow);
    }
    if (this.pending === 0) this.firstRow = sourceRow;
    this.lastRow = sourceRow;
    this.pending += 1;
    return this.pending >= this.flushEvery ? this.flush() : undefined;
  }

  private reopen(): DuckDBAppender {
    throw new Error(`the ${this.dataset} writer is finished; no more records can be appended`);
  }

  private valueError(error: unknown, values: Record<string, unknown>, i: number, sourceRow: number) {
    const c = this.columns[i];
    const what = c ? `column ${c.column} (${c.type}) value ${String(values[c.field])}` : "the record";
    return new CatdataError(
      "BAD_INPUT",
      `row ${sourceRow}: ${what} could not be written to the ${this.dataset} Parquet file: ${(error as Error).message}`,
      { hint: "fix that value and upload again; nothing of this file was loaded", cause: error },
    );
  }

  /**
   * Starts writing what is pending to the staging folder and switches to the other table (after
   * its own copy finished); `last` waits for every copy instead. A copy's error surfaces here.
   */
  async flush(last = false): Promise<void> {
    if (this.appender) {
      this.appender.closeSync();
      this.appender = undefined;
    }
    if (this.pending > 0) {
      const copy = this.copyOut(this.table, this.flushes, this.pending, this.firstRow, this.lastRow);
      const previous = this.copying;
      this.copying = previous.then(() => copy());
      this.copying.catch(() => {}); // surfaced by the next flush or finish, never unhandled
      this.flushes += 1;
      this.pending = 0;
      this.table = 1 - this.table;
      // The table to fill next was copied by `previous`: it must be empty again first.
      await previous;
    }
    if (last) return this.copying;
    this.appender = await this.appendConnection.createAppender(`staged_${this.table}`);
  }

  private copyOut(table: number, n: number, count: number, first: number, last: number): () => Promise<void> {
    return async () => {
      const select = this.columns
        .map((c) =>
          c.type === "TIMESTAMP" || c.type === "DATE"
            ? `CAST(${ident(c.column)} AS ${c.type}) AS ${ident(c.column)}`
            : ident(c.column),
        )
        .join(", ");
      await mkdir(this.stagingDir, { recursive: true });
      try {
        await this.copyConnection.run(
          `COPY (SELECT ${select} FROM staged_${table}) TO ${literal(this.stagingDir)}
           (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (municipality, fiscal_year),
            FILENAME_PATTERN ${literal(`part-${this.jobId}-${n}-{i}`)}, OVERWRITE_OR_IGNORE)`,
        );
      } catch (error) {
        throw new Error(
          `writing rows ${first}–${last} (${count} ${this.dataset} records) to Parquet failed: ${(error as Error).message}`,
          { cause: error },
        );
      }
      await this.copyConnection.run(`DELETE FROM staged_${table}`);
      this.rowsWritten += count;
    };
  }

  /** Flushes, waits for the copies and returns the staged files, relative to `<staging>/<dataset>`. */
  async finish(): Promise<string[]> {
    try {
      await this.flush(true);
    } finally {
      this.close();
    }
    return (await listParquet(this.stagingDir)).map((file) => path.relative(this.stagingDir, file));
  }

  async abort(): Promise<void> {
    try {
      this.appender?.closeSync();
    } catch {
      // a half-appended row: the table is dropped with the database anyway
    }
    this.appender = undefined;
    await this.copying.catch(() => {});
    await rm(this.stagingDir, { recursive: true, force: true });
    this.close();
  }

  private close(): void {
    this.appendConnection.closeSync();
    this.copyConnection.closeSync();
    this.instance.closeSync();
  }
}

function stagingType(c: Column): string {
  return c.type === "TIMESTAMP" || c.type === "DATE" ? "VARCHAR" : c.type;
}

/** One append function per column, chosen once by its type (not per value). */
function appenderFor(c: Column): AppendFn {
  switch (c.type) {
    case "INTEGER":
      return (a, v) => (v === null || v === undefined ? a.appendNull() : a.appendInteger(v as number));
    case "DOUBLE":
      return (a, v) => (v === null || v === undefined ? a.appendNull() : a.appendDouble(v as number));
    case "BOOLEAN":
      return (a, v) => (v === null || v === undefined ? a.appendNull() : a.appendBoolean(v as boolean));
    default:
      return (a, v) => (v === null || v === undefined ? a.appendNull() : a.appendVarchar(v as string));
  }
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
