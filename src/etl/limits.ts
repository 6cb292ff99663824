import { badInput, type CatdataError } from "../errors.js";

/**
 * The caps every upload reader enforces, so that one hostile or broken file costs bounded memory
 * and time. Sizes are bytes of UTF-8 text (for Excel: bytes of the decompressed XML part).
 * The configuration (src/config/ingest-config.ts, `CATDATA_MAX_…`) builds one of these; domain code
 * takes it as a plain object, with `DEFAULT_INGEST_LIMITS` when none is given.
 */
export interface IngestLimits {
  /** One physical line of a CSV or JSON-lines file (CATDATA_MAX_LINE_BYTES): longer ones are quarantined. */
  maxLineBytes: number;
  /** One cell (CATDATA_MAX_CELL_BYTES): a row holding a longer cell is quarantined. */
  maxCellBytes: number;
  /** One record — a row with all its cells, possibly over several lines (CATDATA_MAX_RECORD_BYTES). */
  maxRecordBytes: number;
  /** Everything a gzip stream or an .xlsx archive inflates to (CATDATA_MAX_DECOMPRESSED_BYTES): past it the file fails. */
  maxDecompressedBytes: number;
  /**
   * An Excel part that must be held in memory — the shared-strings table, styles, the workbook and its
   * relationships (CATDATA_MAX_SHARED_STRINGS_BYTES): past it the workbook is refused while reading it.
   */
  maxSharedStringsBytes: number;
  /** Nesting of arrays/objects in one JSON value (CATDATA_MAX_JSON_DEPTH). */
  maxJsonDepth: number;
}

const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;

/**
 * Why these numbers: Excel's own cell limit is 32,767 characters, which is up to 96 KiB of UTF-8 for
 * Japanese text, so 128 KiB per cell loses no real spreadsheet cell; 1 MiB per line/record is ~1,000× a
 * typical row of a municipal file; 2 GiB decompressed is twice the largest upload
 * (CATDATA_UPLOAD_LIMIT_BYTES) and reads in well under a minute; 64 MiB of shared strings is several
 * times a 1M-row workbook's table and keeps the reader far below 1 GB; no real record nests 64 deep.
 */
export const DEFAULT_INGEST_LIMITS: Readonly<IngestLimits> = Object.freeze({
  maxLineBytes: 1 * MiB,
  maxCellBytes: 128 * KiB,
  maxRecordBytes: 1 * MiB,
  maxDecompressedBytes: 2 * GiB,
  maxSharedStringsBytes: 64 * MiB,
  maxJsonDepth: 64,
});

/** The environment variable that sets each limit: error messages name it. */
export const LIMIT_SETTING: Readonly<Record<keyof IngestLimits, string>> = Object.freeze({
  maxLineBytes: "CATDATA_MAX_LINE_BYTES",
  maxCellBytes: "CATDATA_MAX_CELL_BYTES",
  maxRecordBytes: "CATDATA_MAX_RECORD_BYTES",
  maxDecompressedBytes: "CATDATA_MAX_DECOMPRESSED_BYTES",
  maxSharedStringsBytes: "CATDATA_MAX_SHARED_STRINGS_BYTES",
  maxJsonDepth: "CATDATA_MAX_JSON_DEPTH",
});

export function withDefaults(limits?: Partial<IngestLimits>): IngestLimits {
  return { ...DEFAULT_INGEST_LIMITS, ...limits };
}

/** "the 1048576-byte line limit (CATDATA_MAX_LINE_BYTES)" — for problems and errors. */
export function describeLimit(limits: IngestLimits, name: keyof IngestLimits, what: string): string {
  const unit = name === "maxJsonDepth" ? "" : "-byte";
  return `the ${limits[name]}${unit} ${what} limit (${LIMIT_SETTING[name]})`;
}

/** A file that went past a file-level limit: fails the job, saying which limit and how to change it. */
export function overLimit(message: string, limits: IngestLimits, name: keyof IngestLimits, what: string): CatdataError {
  return badInput(
    `${message}: it is over ${describeLimit(limits, name, what)}`,
    `split the file into smaller uploads, or raise ${LIMIT_SETTING[name]} if the file is genuine`,
  );
}

/** UTF-8 size of a string, exact; cheap for short strings (a string of n chars is n…3n bytes). */
export function utf8Bytes(s: string): number {
  return Buffer.byteLength(s, "utf8");
}

/** Whether `s` is over `max` UTF-8 bytes, computing the exact size only when the length leaves a doubt. */
export function overBytes(s: string, max: number): boolean {
  if (s.length * 3 <= max) return false;
  if (s.length > max) return true;
  return utf8Bytes(s) > max;
}
