import { mkdir, mkdtemp, rm, stat } from "node:fs/promises";
import path from "node:path";
import { type DuckDBConnection, DuckDBInstance, type DuckDBListValue } from "@duckdb/node-api";
import { SCHEMAS } from "../../cats/schema.js";
import { ident, literal } from "../../duckdb/duckdb.js";
import { listParquet } from "../../lake/parquet-writer.js";
import { readCsv } from "../csv-reader.js";
import { TOTAL_LABEL_CELLS } from "../header-row.js";
import type { SkippedGroup } from "../job-log.js";
import { type IngestLimits, withDefaults } from "../limits.js";
import { LOOSE_FLAG, numberedCopy, SHAPE_FLAG } from "./scan-csv.js";
import type { SqlCompileContext, SqlProfile } from "./sql-profile.js";
import { isAscii, jsTrim, looseTrim } from "./sql-text.js";

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
/**
 * Numbered copies smaller than this are read and mapped by one DuckDB thread: a second thread's
 * start-up costs more than it wins on a small file (CREATE TABLE AS of 10k rows, 1.7 MB: ~110 ms on
 * one thread, ~190 ms on two); larger files get DuckDB's default (one thread per core).
 */
export const ONE_THREAD_BYTES = 8 << 20;

/** DuckDB's thread setting for a numbered copy of `bytes` (ONE_THREAD_BYTES). */
export const duckdbThreadsFor = (bytes: number): { threads?: string } =>
  bytes < ONE_THREAD_BYTES ? { threads: "1" } : {};
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
    let delimiter = "";
    const copy = await numberedCopy(await input.open(), file, lineCap, async (head, delim) => {
      const header = await headerOf(head, limits);
      if (!header) return "the JS reader takes another row as the header, or none";
      if (header.delimiter !== delim) return "the header splits on another delimiter";
      if (new Set(header.headers).size !== header.headers.length) return "the header repeats a name";
      plan = await input.plan(header.headers);
      if (!plan) return "its profile has no SQL form";
      headers = header.headers;
      delimiter = delim;
      return undefined;
    });
    if (!copy.ok) return { kind: "fallback", why: copy.why };
    if (!plan) return { kind: "fallback", why: "no plan" };
    if (copy.rows === 0) return { kind: "fallback", why: "no data rows (the JS path says so)" };
    const threads = duckdbThreadsFor((await stat(file)).size);
    const source = csvSource(file, headers.length, delimiter, limits);
    return await mapAndWrite(input, plan, source, copy.rows, headers, threads);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * read_csv of the numbered copy (cells c0…c<n-1> after `rn` and `line_flags`): strict, the
 * dialect given, each line ROW_NUMBER_DIGITS longer at most than the line limit.
 */
function csvSource(file: string, cellCount: number, delimiter: string, limits: IngestLimits): string {
  const columns = Array.from({ length: cellCount }, (_, i) => `${literal(`c${i}`)}: 'VARCHAR'`).join(", ");
  return `read_csv(${literal(file)}, header = true, auto_detect = false,
      columns = {'rn': 'BIGINT', 'line_flags': 'INTEGER', ${columns}},
      delim = ${literal(delimiter)}, quote = '"', escape = '"', strict_mode = true,
      max_line_size = ${limits.maxLineBytes + ROW_NUMBER_DIGITS}, encoding = 'utf-8')`;
}

/**
 * DuckDB reads and maps the numbered copy (`source`) into table `mapped` in one pass, checks it
 * (every row read, none the SQL does not decide), then dedups and writes the Parquet.
 */
async function mapAndWrite(
  input: SqlIngestInput,
  plan: SqlPlan,
  source: string,
  scanned: number,
  headers: string[],
  threads: { threads?: string },
): Promise<SqlIngestResult> {
  const instance = await DuckDBInstance.create(":memory:", {
    preserve_insertion_order: "true",
    memory_limit: SQL_PATH_MEMORY_LIMIT,
    temp_directory: input.tempDir,
    ...threads,
  });
  const db = await instance.connect();
  try {
    const ctx: SqlCompileContext = {
      cell: (h) => (headers.includes(h) ? `coalesce(c${headers.indexOf(h)}, '')` : "''"),
      trimCell: (e) => looseTrim(e, "loose"),
      municipality: plan.municipality,
      fiscalYearStartMonth: plan.fiscalYearStartMonth,
      jobId: input.jobId,
    };
    // `rn` is the file's data row (a table's rowid is not: a parallel CREATE TABLE AS may store
    // the rows in another order).
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
    const staged = await dedupAndWrite(instance, db, input, plan.profile, fieldsOf(plan.profile, ctx).constant);
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
 * a rejected row, and `rn`: the file's data row (1-based, from the numbered copy). Reasons that
 * name their row get it when read (`reason_row`). The cells are trimmed in full only where the
 * copy's line flags say they may need it (`loose`, sql-text.ts looseTrim), the later derived layers
 * and the fields are computed for kept rows only, and constant fields are not stored (fieldsOf).
 */
export function mappingSql(profile: SqlProfile, ctx: SqlCompileContext, source: string, cellCount: number): string {
  // One CASE chain: 'F' (fall back; also a reason that came out NULL), 'R' + reason, 'P' + reason
  // (written after "row N: "), NULL (good).
  const verdict = profile
    .steps(ctx)
    .flatMap((s) => [
      ...(s.fallback ? [`WHEN ${s.fallback} THEN 'F'`] : []),
      ...(s.reject ? [`WHEN ${s.reject} THEN coalesce(${s.rowPrefix ? "'P'" : "'R'"} || ${s.reason}, 'F')`] : []),
    ]);
  const [first = [], ...later] = profile.derived(ctx);
  const layer = (from: string, values: [string, string][]) =>
    values.length ? `(SELECT *, ${values.map(([name, sql]) => `${sql} AS ${name}`).join(", ")} FROM ${from})` : from;
  // The cells and the first layer for every row; the later layers (and the fields) for the rows
  // kept only: CASE evaluates its branch for those rows only.
  let from = layer(`(SELECT *, line_flags >= ${LOOSE_FLAG} AS loose FROM ${source})`, first);
  from = `(SELECT *, coalesce(${profile.skip(ctx)}, false) AS skip FROM ${from})`;
  for (const values of later)
    from = layer(
      from,
      values.map(([name, sql]) => [name, `CASE WHEN NOT skip THEN ${sql} END`]),
    );
  const fields = storedFields(profile, ctx);
  const cells = Array.from({ length: cellCount }, (_, i) => `c${i}`).join(", ");
  const checked = `(SELECT *,
      CASE WHEN (line_flags & ${SHAPE_FLAG}) <> 0 AND ${shapeFallback(cellCount)} THEN 'F' WHEN skip THEN NULL ${verdict.join(" ")} END AS verdict FROM ${from})`;
  const select = [
    "rn",
    "skip",
    "coalesce(verdict = 'F', false) AS fallback",
    "CASE WHEN verdict <> 'F' THEN substr(verdict, 2) END AS reason",
    "coalesce(left(verdict, 1) = 'P', false) AS reason_row",
    `CASE WHEN skip THEN ${profile.skipLabel(ctx)} END AS skip_label`,
    ...Object.entries(fields).map(([column, sql]) => `CASE WHEN NOT skip THEN ${sql} END AS ${ident(column)}`),
  ];
  return `SELECT * EXCLUDE (${cells}), CASE WHEN reason IS NOT NULL THEN [${cells}] END AS cells
    FROM (SELECT ${select.join(",\n  ")}, ${cells} FROM ${checked})`;
}

/** A SQL constant: NULL, or one string literal (the same value on every row). */
const CONSTANT = /^(?:NULL|'(?:[^']|'')*')$/;

/**
 * The dataset's columns (not `source_row`) as SQL, split in two: those stored in table `mapped`
 * (computed per row, and any the dedup key reads), and the constants (NULL, the municipality, the
 * job id), written straight into the Parquet instead of being stored once per row.
 */
function fieldsOf(
  profile: SqlProfile,
  ctx: SqlCompileContext,
): { stored: Record<string, string>; constant: Record<string, string> } {
  const fields = profile.fields(ctx);
  const stored: Record<string, string> = {};
  const constant: Record<string, string> = {};
  for (const { column } of SCHEMAS[profile.dataset]) {
    if (column === "source_row") continue;
    const sql = fields[column] ?? "NULL";
    const keyed = profile.dedupColumns.includes(column) || profile.dedupKey?.includes(column);
    if (CONSTANT.test(sql) && !keyed) constant[column] = sql;
    else stored[column] = sql;
  }
  return { stored, constant };
}

const storedFields = (profile: SqlProfile, ctx: SqlCompileContext) => fieldsOf(profile, ctx).stored;

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

/** The good rows (not skipped, no reason) of table `mapped`. */
const GOOD = "NOT skip AND reason IS NULL";

/**
 * Asks `isFresh` about each good row's dedup key in row order and keeps the repeats' file rows in table
 * `repeats` (created only when there are any), which the Parquet written leaves out: the same
 * first-wins rule, and the same key set, as the JS path. Keys come as one newline-joined text per
 * KEY_GROUP_ROWS file rows, with the group's count (no key holds a line break: a cell with one sends
 * the file to the JS path, scan-csv.ts); a repeat is kept as its place among the good rows, mapped
 * back to its file row at the end. Returns how many repeats there were.
 */
async function markRepeats(db: DuckDBConnection, keySql: string, isFresh: (key: string) => boolean): Promise<number> {
  const places: number[] = [];
  let place = 0;
  const result = await db.stream(
    `SELECT string_agg(k, chr(10) ORDER BY rn), count(*), rn // ${KEY_GROUP_ROWS} AS grp
     FROM (SELECT rn, ${keySql} AS k FROM mapped WHERE ${GOOD}) GROUP BY grp ORDER BY grp`,
  );
  for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
    const texts = chunk.getColumnVector(0);
    const counts = chunk.getColumnVector(1);
    for (let i = 0; i < chunk.rowCount; i++) {
      const keys = String(texts.getItem(i)).split("\n");
      if (keys.length !== Number(counts.getItem(i))) throw new Error("a dedup key holds a line break");
      for (const key of keys) {
        place += 1;
        if (!isFresh(key)) places.push(place);
      }
    }
  }
  if (places.length === 0) return 0;
  await db.run("CREATE TABLE repeat_places (p BIGINT)");
  const appender = await db.createAppender("repeat_places");
  for (const p of places) {
    appender.appendBigInt(BigInt(p));
    appender.endRow();
  }
  appender.closeSync();
  await db.run(
    `CREATE TABLE repeats AS SELECT rn AS r FROM (SELECT rn, row_number() OVER (ORDER BY rn) AS p FROM mapped WHERE ${GOOD})
     WHERE p IN (SELECT p FROM repeat_places)`,
  );
  return places.length;
}

/**
 * The dedup check and the Parquet, overlapped: the good rows are written while their keys are
 * asked about (on a second connection), and written again without the repeats only when there
 * were any (a re-export, a correction) — so a file of new rows pays for the slower of the two only.
 */
async function dedupAndWrite(
  instance: DuckDBInstance,
  db: DuckDBConnection,
  input: SqlIngestInput,
  profile: SqlProfile,
  constant: Record<string, string>,
): Promise<{ rows: number; files: string[] }> {
  const keySql = profile.dedupKey;
  const isFresh = input.isFresh;
  if (!isFresh) return writeParquet(db, input, profile, constant, "in-file");
  if (!keySql) return writeParquet(db, input, profile, constant, "none");
  const writer = await instance.connect();
  try {
    const [written, repeats] = await Promise.allSettled([
      writeParquet(writer, input, profile, constant, "none"),
      markRepeats(db, keySql, isFresh),
    ]);
    if (repeats.status === "rejected") throw repeats.reason;
    if (written.status === "rejected") throw written.reason;
    return repeats.value === 0 ? written.value : await writeParquet(db, input, profile, constant, "repeats");
  } finally {
    writer.closeSync();
  }
}

/**
 * Writes the good rows as Parquet into `<staging>/<dataset>/`, leaving out (`leaveOut`) the rows of
 * table `repeats`, or the later rows of a dedup key within the file (no key set given), or none.
 */
async function writeParquet(
  db: DuckDBConnection,
  input: SqlIngestInput,
  profile: SqlProfile,
  constant: Record<string, string>,
  leaveOut: "none" | "repeats" | "in-file",
): Promise<{ rows: number; files: string[] }> {
  const { staging, jobId } = input;
  const dir = path.join(staging, profile.dataset);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const columns = SCHEMAS[profile.dataset]
    .map((c) => {
      const value = c.column === "source_row" ? "rn" : (constant[c.column] ?? ident(c.column));
      return `CAST(${value} AS ${c.type}) AS ${ident(c.column)}`;
    })
    .join(", ");
  const dedup =
    leaveOut === "repeats"
      ? "AND rn NOT IN (SELECT r FROM repeats)"
      : leaveOut === "in-file" && profile.dedupColumns.length
        ? `QUALIFY row_number() OVER (PARTITION BY ${profile.dedupColumns.map(ident).join(", ")} ORDER BY rn) = 1`
        : "";
  const result = await db.run(
    `COPY (SELECT ${columns} FROM mapped WHERE ${GOOD} ${dedup}) TO ${literal(dir)}
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
