import { mkdir, mkdtemp, rm } from "node:fs/promises";
import path from "node:path";
import { type DuckDBConnection, DuckDBInstance, type DuckDBListValue } from "@duckdb/node-api";
import { SCHEMAS } from "../../cats/schema.js";
import { ident, literal } from "../../duckdb/duckdb.js";
import { listParquet } from "../../lake/parquet-writer.js";
import { readCsv } from "../csv-reader.js";
import { TOTAL_LABEL_CELLS } from "../header-row.js";
import type { SkippedGroup } from "../job-log.js";
import { type IngestLimits, withDefaults } from "../limits.js";
import { numberedCopy } from "./scan-csv.js";
import type { SqlCompileContext, SqlProfile } from "./sql-profile.js";
import { isAscii, jsTrim } from "./sql-text.js";

/**
 * The DuckDB ingest path for a plain UTF-8 CSV: the upload is copied once, checked line by line and
 * numbered (scan-csv.ts), to a temp file DuckDB parses (read_csv, strict, explicit dialect); one
 * SELECT compiled from the profile's SQL form (sql-profile.ts) maps every row and gives each its JS
 * reason, and the good rows, deduplicated first-wins, are written as Parquet into
 * `<staging>/<dataset>/` as ParquetDatasetWriter writes them. Anything it cannot decide the way the
 * JS path would (the line checks, the header, a row's `fallback`, a read_csv error) returns
 * `fallback` before any Parquet or quarantine row is written: the caller then runs the JS path.
 */
export interface SqlIngestInput {
  /** The upload's bytes (decrypted), read once. */
  open: () => Promise<AsyncIterable<Buffer>> | AsyncIterable<Buffer>;
  /**
   * What the file is, from its header (as the JS reader reads it): the SQL form and the values it
   * needs, or undefined (no SQL form: the JS path reads it). Called once, before the rest is copied.
   */
  plan: (headers: string[]) => Promise<SqlPlan | undefined>;
  limits?: Partial<IngestLimits> | undefined;
  jobId: string;
  /** The job's staging folder (Lake.openStaging); this writes `<staging>/<dataset>/`. */
  staging: string;
  /** Where the numbered copy is made (0700) and DuckDB spills above SQL_PATH_MEMORY_LIMIT. */
  tempDir: string;
  /** Each quarantined row, in row order, awaited one at a time (memory stays bounded). */
  onQuarantine?: (row: QuarantinedRow) => Promise<void> | void;
  /**
   * The dedup check of the JS path (run-job's KeySet, primed with earlier loads' identities): called
   * with each good row's dedup key in row order, true when it is new. Without it, rows are
   * deduplicated within the file only (first wins).
   */
  isFresh?: (key: string) => boolean;
  /** How many of the first rows to return as `sample` (their cells, for the schema-drift sampler). */
  sampleRows?: number;
}

export interface SqlPlan {
  profile: SqlProfile;
  municipality: string;
  fiscalYearStartMonth: number;
}

export interface QuarantinedRow {
  row: number;
  reason: string;
  values: Record<string, string>;
}

export interface SqlCounts {
  read: number;
  loaded: number;
  quarantined: number;
  deduplicated: number;
  skipped: number;
}

export type SqlIngestResult =
  | {
      kind: "done";
      counts: SqlCounts;
      headers: string[];
      staged: Record<string, string[]>;
      /** The first `sampleRows` data rows' cells by header ('' for an empty cell). */
      sample: Record<string, string>[];
      /** Skipped rows by reason and label, as the JS path tallies them. */
      skippedBy: SkippedGroup[];
    }
  | { kind: "fallback"; why: string };

/**
 * DuckDB's memory cap for one SQL-path job: above it the mapped table spills to `tempDir`, so a
 * 1 GiB upload does not hold its rows in memory (the JS path streams; this keeps the same bound).
 */
export const SQL_PATH_MEMORY_LIMIT = "1GB";
/** Bytes the row number and shape flag add to a line of the numbered copy (up to 15 digits, a flag, 2 delimiters). */
const ROW_NUMBER_DIGITS = 18;

export async function sqlIngest(input: SqlIngestInput): Promise<SqlIngestResult> {
  const limits = withDefaults(input.limits);
  const lineCap = Math.min(limits.maxLineBytes, limits.maxRecordBytes, limits.maxCellBytes);
  await mkdir(input.tempDir, { recursive: true, mode: 0o700 });
  const dir = await mkdtemp(path.join(input.tempDir, "catdata-sql-"));
  try {
    const file = path.join(dir, "numbered.csv");
    let plan: SqlPlan | undefined;
    let headers: string[] = [];
    const copy = await numberedCopy(await input.open(), file, lineCap, async (head, delimiter) => {
      const header = await headerOf(head, limits);
      if (!header) return "the JS reader takes another row as the header, or none";
      if (header.delimiter !== delimiter) return "the header splits on another delimiter";
      if (new Set(header.headers).size !== header.headers.length) return "the header repeats a name";
      plan = await input.plan(header.headers);
      if (!plan) return "its profile has no SQL form";
      headers = header.headers;
      return undefined;
    });
    if (!copy.ok) return { kind: "fallback", why: copy.why };
    if (!plan) return { kind: "fallback", why: "no plan" };
    if (copy.rows === 0) return { kind: "fallback", why: "no data rows (the JS path says so)" };
    return await mapAndWrite(input, plan, file, copy.delimiter, copy.rows, headers, limits);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function mapAndWrite(
  input: SqlIngestInput,
  plan: SqlPlan,
  file: string,
  delimiter: string,
  scanned: number,
  headers: string[],
  limits: IngestLimits,
): Promise<SqlIngestResult> {
  const instance = await DuckDBInstance.create(":memory:", {
    preserve_insertion_order: "true",
    memory_limit: SQL_PATH_MEMORY_LIMIT,
    temp_directory: input.tempDir,
  });
  const db = await instance.connect();
  try {
    const columns = headers.map((_, i) => `${literal(`c${i}`)}: 'VARCHAR'`).join(", ");
    // The numbered copy: each line starts with its data-row number (ROW_NUMBER_DIGITS more bytes at most).
    const source = `read_csv(${literal(file)}, header = true, auto_detect = false, columns = {'rn': 'BIGINT', 'shape_flag': 'INTEGER', ${columns}},
      delim = ${literal(delimiter)}, quote = '"', escape = '"', strict_mode = true,
      max_line_size = ${limits.maxLineBytes + ROW_NUMBER_DIGITS}, encoding = 'utf-8')`;
    const ctx: SqlCompileContext = {
      cell: (h) => (headers.includes(h) ? `coalesce(c${headers.indexOf(h)}, '')` : "''"),
      municipality: plan.municipality,
      fiscalYearStartMonth: plan.fiscalYearStartMonth,
      jobId: input.jobId,
    };
    // One pass: DuckDB reads and maps; `rn` is the file's data row (a table's rowid is not: a
    // parallel CREATE TABLE AS may store the rows in another order).
    try {
      await db.run(`CREATE TABLE mapped AS ${mappingSql(plan.profile, ctx, source, headers.length)}`);
    } catch (error) {
      return { kind: "fallback", why: `DuckDB's reader: ${(error as Error).message.split("\n")[0]}` };
    }
    const tally = (
      await db.runAndReadAll(
        `SELECT count(*), count_if(fallback), min(rn) FILTER (fallback), count_if(skip),
           count_if(reason IS NOT NULL) FROM mapped`,
      )
    ).getRows()[0] as unknown[];
    const rows = Number(tally[0]);
    if (rows !== scanned) return { kind: "fallback", why: `DuckDB read ${rows} rows, the line scan ${scanned}` };
    if (Number(tally[1]) > 0) return { kind: "fallback", why: `row ${tally[2]} is in a form the SQL does not decide` };

    // From here on nothing falls back: the dedup check below changes the caller's key set.
    const sample = input.sampleRows ? await sampleOf(db, source, headers, Math.min(input.sampleRows, rows)) : [];
    if (!sample) return { kind: "fallback", why: "DuckDB did not give the first rows first" };
    if (input.isFresh && plan.profile.dedupKey) await markRepeats(db, plan.profile.dedupKey, input.isFresh);
    const staged = await writeParquet(db, input, plan.profile);
    const loaded = staged.rows;
    const skipped = Number(tally[3]);
    const quarantined = Number(tally[4]);
    if (input.onQuarantine) await streamQuarantine(db, headers, input.onQuarantine);
    const skippedBy = (await db.runAndReadAll("SELECT skip_label, count(*) FROM mapped WHERE skip GROUP BY skip_label"))
      .getRows()
      .map((r) => ({ reason: plan.profile.skipReason, label: String(r[0] ?? ""), rows: Number(r[1]) }));
    return {
      kind: "done",
      headers,
      counts: { read: rows, loaded, quarantined, skipped, deduplicated: rows - loaded - quarantined - skipped },
      staged: { [plan.profile.dataset]: staged.files },
      sample,
      skippedBy,
    };
  } finally {
    db.closeSync();
    instance.closeSync();
  }
}

/**
 * The mapping SELECT over `source` (cells c0…c<n-1>): the profile's derived layers, then skip /
 * fallback / reason (the steps as one CASE chain each), every canonical column, and the raw cells of
 * a rejected row, and `rn`: the file's data row (1-based), numbered as read_csv gives the rows (in
 * file order: row_number() OVER () streams its input in order). Reasons that name
 * their row get it when read (`reason_row`).
 */
export function mappingSql(profile: SqlProfile, ctx: SqlCompileContext, source: string, cellCount: number): string {
  const skip = profile.skip(ctx);
  // One CASE chain: 'F' (fall back; also a reason that came out NULL), 'R' + reason, 'P' + reason
  // (written after "row N: "), NULL (good).
  const verdict = profile
    .steps(ctx)
    .flatMap((s) => [
      ...(s.fallback ? [`WHEN ${s.fallback} THEN 'F'`] : []),
      ...(s.reject ? [`WHEN ${s.reject} THEN coalesce(${s.rowPrefix ? "'P'" : "'R'"} || ${s.reason}, 'F')`] : []),
    ]);
  let from = `(SELECT * FROM ${source})`;
  for (const layer of profile.derived(ctx)) {
    from = `(SELECT *, ${layer.map(([name, sql]) => `${sql} AS ${name}`).join(", ")} FROM ${from})`;
  }
  const fields = profile.fields(ctx);
  const cells = Array.from({ length: cellCount }, (_, i) => `c${i}`).join(", ");
  const checked = `(SELECT *, coalesce(${skip}, false) AS skip,
      CASE WHEN shape_flag = 1 AND ${shapeFallback(cellCount)} THEN 'F' WHEN skip THEN NULL ${verdict.join(" ")} END AS verdict FROM ${from})`;
  const select = [
    "rn",
    "skip",
    "coalesce(verdict = 'F', false) AS fallback",
    "CASE WHEN verdict <> 'F' THEN substr(verdict, 2) END AS reason",
    "coalesce(left(verdict, 1) = 'P', false) AS reason_row",
    `CASE WHEN skip THEN ${profile.skipLabel(ctx)} END AS skip_label`,
    ...SCHEMAS[profile.dataset]
      .filter((c) => c.column !== "source_row")
      .map((c) => `${fields[c.column] ?? "NULL"} AS ${ident(c.column)}`),
  ];
  return `SELECT * EXCLUDE (${cells}), CASE WHEN reason IS NOT NULL THEN [${cells}] END AS cells
    FROM (SELECT ${select.join(",\n  ")}, ${cells} FROM ${checked})`;
}

/**
 * Rows the JS reader's TableShaper (header-row.ts) might keep out of the records — an empty row, a
 * total (合計 / Total … in its first TOTAL_LABEL_CELLS cells), a footnote (one text in the first cell),
 * a row of numbers under an empty first cell (maybe the column sums) — as a SQL condition that holds
 * for every such row and a few more: any of them sends the file to the JS path, which decides them.
 * Evaluated only for the rows the line scan flagged (scan-csv.ts mayBeShaped).
 */
function shapeFallback(cellCount: number): string {
  const cell = (i: number) => `coalesce(c${i}, '')`;
  const cells = Array.from({ length: cellCount }, (_, i) => cell(i));
  const empty = (e: string) => `(${jsTrim(e)} = '')`;
  const totalLike = (e: string) =>
    `(regexp_matches(${e}, '^\\s*[合計小総TtSsGgＴｔＳｓＧｇ]') AND length(${jsTrim(e)}) <= 16 AND (NOT ${isAscii(e)} OR
      lower(regexp_replace(${jsTrim(e)}, '^(.)\\s+(.)$', '\\1\\2')) IN ('total', 'totals', 'subtotal', 'sub total', 'grand total')))`;
  const filled = cells.map((c) => `CASE WHEN ${empty(c)} THEN 0 ELSE 1 END`).join(" + ");
  return `(${[
    // at most one filled cell (an empty row, a footnote)
    `((${filled}) <= 1)`,
    ...cells.slice(0, TOTAL_LABEL_CELLS).map(totalLike),
    // numbers under an empty first cell (maybe the column sums)
    `(${empty(cell(0))} AND ${cells.map((c) => `NOT regexp_matches(${c}, '[A-Za-z]')`).join(" AND ")})`,
  ].join(" OR ")})`;
}

/**
 * The first `n` rows' cells, as the JS reader gives them to the schema sampler; undefined when
 * DuckDB's first rows are not rows 1…n (LIMIT keeps file order with preserve_insertion_order).
 */
async function sampleOf(db: DuckDBConnection, source: string, headers: string[], n: number) {
  const rows = (await db.runAndReadAll(`SELECT * FROM ${source} LIMIT ${Math.floor(n)}`)).getRows();
  if (rows.some((r, i) => Number(r[0]) !== i + 1)) return undefined;
  return rows.map((r) => Object.fromEntries(headers.map((h, i) => [h, (r[i + 2] as string | null) ?? ""])));
}

/** File rows per string_agg group of good rows' keys (one JS string each: per-row value reads cost ~10×). */
export const KEY_GROUP_ROWS = 2048;

/**
 * Asks `isFresh` about each good row's dedup key in row order and keeps the repeats' file rows in table
 * `repeats`, which the Parquet written leaves out: the same first-wins rule, and the same key set,
 * as the JS path. Keys come as one newline-joined text per KEY_GROUP_ROWS rows (no cell holds a line
 * break on this path: scan-csv.ts sends such files to the JS path).
 */
async function markRepeats(db: DuckDBConnection, keySql: string, isFresh: (key: string) => boolean): Promise<void> {
  await db.run("CREATE TABLE repeats (r BIGINT)");
  const appender = await db.createAppender("repeats");
  const result = await db.stream(
    `SELECT string_agg(k, chr(10) ORDER BY rn), string_agg(CAST(rn AS VARCHAR), ',' ORDER BY rn), rn // ${KEY_GROUP_ROWS} AS grp
     FROM (SELECT rn, ${keySql} AS k FROM mapped WHERE NOT skip AND reason IS NULL) GROUP BY grp ORDER BY grp`,
  );
  for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
    const texts = chunk.getColumnVector(0);
    const numbers = chunk.getColumnVector(1);
    for (let i = 0; i < chunk.rowCount; i++) {
      const keys = String(texts.getItem(i)).split("\n");
      const rows = String(numbers.getItem(i)).split(",");
      if (keys.length !== rows.length) throw new Error("a dedup key holds a line break");
      for (let k = 0; k < keys.length; k++) {
        if (isFresh(keys[k] as string)) continue;
        appender.appendBigInt(BigInt(rows[k] as string));
        appender.endRow();
      }
    }
  }
  appender.closeSync();
}

async function writeParquet(
  db: DuckDBConnection,
  input: SqlIngestInput,
  profile: SqlProfile,
): Promise<{ rows: number; files: string[] }> {
  const { staging, jobId } = input;
  const dir = path.join(staging, profile.dataset);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const columns = SCHEMAS[profile.dataset]
    .map((c) => `CAST(${c.column === "source_row" ? "rn" : ident(c.column)} AS ${c.type}) AS ${ident(c.column)}`)
    .join(", ");
  const dedup = input.isFresh
    ? profile.dedupKey
      ? "AND rn NOT IN (SELECT r FROM repeats)"
      : ""
    : profile.dedupColumns.length
      ? `QUALIFY row_number() OVER (PARTITION BY ${profile.dedupColumns.map(ident).join(", ")} ORDER BY rn) = 1`
      : "";
  const result = await db.run(
    `COPY (SELECT ${columns} FROM mapped WHERE NOT skip AND reason IS NULL ${dedup}) TO ${literal(dir)}
     (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (municipality, fiscal_year),
      FILENAME_PATTERN ${literal(`part-${jobId}-0-{i}`)}, OVERWRITE_OR_IGNORE)`,
  );
  const files = (await listParquet(dir)).map((f) => path.relative(dir, f));
  return { rows: result.rowsChanged, files };
}

async function streamQuarantine(
  db: DuckDBConnection,
  headers: string[],
  onRow: (row: QuarantinedRow) => Promise<void> | void,
): Promise<void> {
  const result = await db.stream(
    `SELECT rn AS row, CASE WHEN reason_row THEN 'row ' || rn || ': ' ELSE '' END || reason, cells
     FROM mapped WHERE reason IS NOT NULL ORDER BY rn`,
  );
  for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
    for (const r of chunk.getRows()) {
      const values: Record<string, string> = {};
      const cells = (r[2] as DuckDBListValue).items;
      headers.forEach((h, i) => {
        values[h] = (cells[i] as string | null) ?? "";
      });
      await onRow({ row: Number(r[0]), reason: String(r[1]), values });
    }
  }
}

/**
 * The header as the JS reader reads it (trimmed names, `column_<n>` for an empty one, its
 * TableShaper's choice) from the file's first lines; undefined unless the JS reader takes the first
 * line as the one header row (a title row above it, or a two-row header, is the JS path's).
 */
async function headerOf(
  head: Buffer,
  limits: IngestLimits,
): Promise<{ headers: string[]; delimiter: string } | undefined> {
  let header: { headers: string[]; delimiter: string; firstLine: boolean } | undefined;
  async function* once() {
    yield head;
  }
  try {
    for await (const _ of readCsv(once(), {
      encoding: "utf8",
      limits,
      onHeader: (h) => {
        const { headerRow, headerRows, skippedAbove } = h.layout;
        header = {
          headers: h.headers,
          delimiter: h.delimiter,
          firstLine: headerRow === 1 && headerRows === 1 && skippedAbove.length === 0,
        };
      },
    })) {
      break;
    }
  } catch {
    return undefined;
  }
  return header?.firstLine && header.headers.length > 0 ? header : undefined;
}
