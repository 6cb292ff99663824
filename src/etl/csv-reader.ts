import type { Readable } from "node:stream";
import { parse } from "csv-parse";
import iconv from "iconv-lite";

export interface CsvRow {
  /** 1-based data row number (the header is row 0). */
  row: number;
  values: Record<string, string>;
  /** Set when the row had more (or fewer) cells than the header. */
  problem?: string;
}

export interface CsvHeader {
  headers: string[];
  delimiter: string;
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

/**
 * Streams a CSV as objects keyed by (trimmed) header. Tolerates quoted fields, CRLF, a BOM,
 * Shift_JIS, and rows with a wrong cell count (reported per row, not thrown).
 */
export async function* readCsv(
  source: Readable,
  options: { encoding: "utf8" | "utf16le" | "shift_jis"; onHeader?: (h: CsvHeader) => void },
): AsyncGenerator<CsvRow> {
  const text =
    options.encoding === "utf8"
      ? source.setEncoding("utf8")
      : source.pipe(iconv.decodeStream(options.encoding === "shift_jis" ? "cp932" : "utf16le"));
  let delimiter: string | undefined;
  let buffered = "";
  const chunks: string[] = [];
  // Read until the first line is complete to choose the delimiter.
  const iterator = (text as AsyncIterable<string>)[Symbol.asyncIterator]();
  while (delimiter === undefined) {
    const next = await iterator.next();
    if (next.done) break;
    chunks.push(next.value);
    buffered += next.value;
    const nl = buffered.search(/\r?\n/);
    if (nl >= 0) delimiter = detectDelimiter(buffered.slice(0, nl).replace(/^\uFEFF/, ""));
  }
  delimiter ??= detectDelimiter(buffered.replace(/^\uFEFF/, ""));
  const parser = parse({ delimiter, bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: true });
  const feed = (async () => {
    for (const c of chunks) if (!parser.write(c)) await new Promise((r) => parser.once("drain", r));
    for (;;) {
      const next = await iterator.next();
      if (next.done) break;
      if (!parser.write(next.value)) await new Promise((r) => parser.once("drain", r));
    }
    parser.end();
  })();
  feed.catch((error: unknown) => parser.destroy(error as Error));
  let headers: string[] | undefined;
  let row = 0;
  for await (const cells of parser as AsyncIterable<string[]>) {
    if (!headers) {
      headers = cells.map((h, i) => h.trim() || `column_${i + 1}`);
      options.onHeader?.({ headers, delimiter });
      continue;
    }
    row += 1;
    const values: Record<string, string> = {};
    headers.forEach((h, i) => {
      values[h] = cells[i] ?? "";
    });
    const out: CsvRow = { row, values };
    if (cells.length > headers.length && cells.slice(headers.length).some((c) => c.trim() !== "")) {
      out.problem = `row has ${cells.length} cells but the header has ${headers.length}`;
    }
    yield out;
  }
  await feed;
  if (!headers) options.onHeader?.({ headers: [], delimiter });
}
