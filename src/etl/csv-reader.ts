/**
 * The CSV reader: a streaming tokenizer of our own (csv-tokenizer.ts), bounded and lossless.
 *
 * Rules:
 * - Text is decoded fatally over the whole file (decode-text.ts); a leading BOM is dropped.
 * - The delimiter is the one of `,` TAB `;` `|` that splits the first line into the most fields.
 * - A record ends at CRLF, LF or a lone CR (each line on its own: a CRLF header may be followed by LF
 *   rows). Empty lines are skipped and take no row number.
 * - A field that starts with `"` is quoted: it ends at the next `"` not doubled (`""` is one `"`), and may
 *   hold delimiters and line ends, kept as they are. Text after a closing quote makes the row a problem.
 *   A `"` inside an unquoted field is kept as data.
 * - Cells are never trimmed; header names are (an empty one becomes `column_<n>`).
 * - The header is found below title and note rows, a header over two rows is flattened, and total
 *   and footnote rows are kept out of the rows (header-row.ts, `TableShaper`); rows of empty cells are
 *   dropped.
 * - Limits (IngestLimits): a line or record over its limit, or a quoted field that is not closed within
 *   it (or before the end of the file), is ONE row with a `problem`, and reading resumes at the line
 *   after the one the row started on; a cell over the cell limit makes its row a problem. Problem rows
 *   keep at most a short preview of each cell. A row with more non-empty cells than the header is a
 *   problem; missing cells read as "".
 * - Work per piece of input is bounded (one record ≤ the record limit, plus one 64 KiB piece), and the
 *   reader yields to the event loop between pieces.
 */
import type { Readable } from "node:stream";
import { badInput } from "../errors.js";
import { flatten } from "./batch-iterator.js";
import { CsvTokenizer, type RawRecord } from "./csv-tokenizer.js";
import { DecodeError, decodeText, type TextEncoding } from "./decode-text.js";
import { emptyLayout, type RawLine, type TableLayout, TableShaper } from "./header-row.js";
import { type IngestLimits, overBytes, withDefaults } from "./limits.js";

export interface CsvRow {
  /** 1-based data row number (the header is row 0). */
  row: number;
  values: Record<string, string>;
  /** Set when the row cannot be loaded as it is: wrong cell count, over a limit, an unclosed quote. */
  problem?: string;
}

export interface CsvHeader {
  headers: string[];
  delimiter: string;
  /** Where the header is and what was kept out of the rows (header-row.ts); filled as rows are read. */
  layout: TableLayout;
}

export interface ReadCsvOptions {
  encoding: TextEncoding;
  /** The file starts with a BOM (from sniff): then it is not read as Shift_JIS even after ASCII. */
  bom?: boolean;
  onHeader?: (h: CsvHeader) => void;
  /** Told when a file sniffed as UTF-8 turned out to be Shift_JIS after an ASCII start. */
  onEncoding?: (encoding: "shift_jis") => void;
  limits?: Partial<IngestLimits>;
  /** For error messages. */
  fileName?: string;
}

/** Picks the delimiter that splits the header line into the most fields. */
export function detectDelimiter(firstLine: string): string {
  const candidates = [",", "\t", ";", "|"];
  let best = ",";
  let bestCount = 0;
  for (const d of candidates) {
    const count = firstLine.split(d).length - 1;
    if (count > bestCount) {
      best = d;
      bestCount = count;
    }
  }
  return best;
}

/** Streams a CSV as objects keyed by (trimmed) header; see the rules above. */
export function readCsv(
  source: Readable | AsyncIterable<Buffer>,
  options: ReadCsvOptions,
): AsyncIterableIterator<CsvRow> {
  return flatten(csvBatches(source, options));
}

/** The rows of each piece of input, as one batch. */
async function* csvBatches(
  source: Readable | AsyncIterable<Buffer>,
  options: ReadCsvOptions,
): AsyncGenerator<CsvRow[]> {
  const limits = withDefaults(options.limits);
  const fileName = options.fileName ?? "the file";
  const text = decodeText(source as AsyncIterable<Buffer>, options.encoding, {
    shiftJisFallback: options.encoding === "utf8" && !options.bom,
    onSwitch: (e) => options.onEncoding?.(e),
  });
  let tokenizer: CsvTokenizer | undefined;
  let head = "";
  let first = true;
  let headers: string[] | undefined;
  let row = 0;
  let decodeError: DecodeError | undefined;

  const start = (): CsvTokenizer => {
    const firstLine = head.slice(0, lineEndOf(head));
    const t = new CsvTokenizer(detectDelimiter(firstLine), limits);
    t.push(head);
    head = "";
    return t;
  };
  let line = 0;
  let shaper: TableShaper | undefined;
  const emit = (records: RawRecord[], end = false): CsvRow[] => {
    const out: CsvRow[] = [];
    shaper ??= new TableShaper(fileName, "fix the header row");
    const take = (ready: RawLine[]) => {
      if (ready.length === 0) return;
      if (!headers) {
        headers = (shaper as TableShaper).headers as string[];
        options.onHeader?.({
          headers,
          delimiter: (tokenizer as CsvTokenizer).delimiter,
          layout: (shaper as TableShaper).layout,
        });
      }
      for (const r of ready) {
        row += 1;
        out.push(toRow(row, headers, r));
      }
    };
    for (const r of records) {
      line += 1;
      take(shaper.push(r.problem ? { cells: r.cells, line, problem: r.problem } : { cells: r.cells, line }));
    }
    if (end) {
      take(shaper.end());
      if (!headers && shaper.headers) {
        headers = shaper.headers;
        options.onHeader?.({ headers, delimiter: (tokenizer as CsvTokenizer).delimiter, layout: shaper.layout });
      }
    }
    records.length = 0;
    return out;
  };

  try {
    for await (let piece of text) {
      if (first) {
        first = false;
        if (piece.charCodeAt(0) === 0xfeff) piece = piece.slice(1);
      }
      if (!tokenizer) {
        head += piece;
        if (lineEndOf(head) < head.length || overBytes(head, limits.maxLineBytes)) tokenizer = start();
        else continue;
      } else tokenizer.push(piece);
      yield emit(tokenizer.records);
    }
  } catch (error) {
    if (!(error instanceof DecodeError)) throw error;
    decodeError = error;
  }
  tokenizer ??= start();
  if (decodeError) {
    // The text before the bad byte is read; the row it is in is the next one.
    yield emit(tokenizer.records, true);
    throw badInput(
      `${fileName}: row ${row + 1} cannot be decoded: ${decodeError.message}; a file with mixed or broken encoding is refused as a whole`,
      "save the file again as UTF-8 (or Shift_JIS) and upload it again",
    );
  }
  tokenizer.end();
  yield emit(tokenizer.records, true);
  if (!headers) options.onHeader?.({ headers: [], delimiter: tokenizer.delimiter, layout: emptyLayout() });
}

function toRow(row: number, headers: string[], r: RawLine): CsvRow {
  const cells = r.cells;
  const values: Record<string, string> = {};
  const n = headers.length;
  for (let k = 0; k < n; k++) values[headers[k] as string] = k < cells.length ? (cells[k] as string) : "";
  if (r.problem) return { row, values, problem: r.problem };
  if (cells.length > n) {
    for (let k = n; k < cells.length; k++) {
      if ((cells[k] as string).trim() !== "") {
        return { row, values, problem: `row has ${cells.length} cells but the header has ${n}` };
      }
    }
  }
  return { row, values };
}

function lineEndOf(s: string): number {
  const lf = s.indexOf("\n");
  const cr = s.indexOf("\r");
  const e = lf < 0 ? cr : cr < 0 ? lf : Math.min(lf, cr);
  return e < 0 ? s.length : e;
}
