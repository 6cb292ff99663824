import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import ExcelJS from "exceljs";
import { badInput, CatdataError } from "../errors.js";
import { cellText } from "./cell-text.js";
import { type CsvRow, readCsv } from "./csv-reader.js";
import type { Sniffed } from "./sniff.js";

/**
 * One table of an upload: a CSV file, a JSON/JSON-lines file, or one sheet of an Excel workbook.
 * `rows` streams; `headers()` is known once the first row has been read.
 */
export interface UploadTable {
  name: string;
  rows: AsyncIterable<CsvRow>;
  headers(): string[];
}

export type TextFormat = Extract<Sniffed, { kind: "text" }>;

export async function* openTables(
  stream: Readable,
  format: TextFormat | { kind: "xlsx" },
  fileName: string,
): AsyncGenerator<UploadTable> {
  if (format.kind === "xlsx") {
    try {
      yield* xlsxTables(stream);
    } catch (error) {
      if (error instanceof CatdataError) throw error;
      throw badInput(
        `${fileName} cannot be read as CSV or Excel: it is a zip archive but not a readable .xlsx workbook (${(error as Error).message})`,
        "save it from Excel as .xlsx or CSV and upload again",
      );
    }
    return;
  }
  if (/\.jsonl?$|\.ndjson$/i.test(fileName)) {
    yield jsonTable(stream, format, fileName);
    return;
  }
  let headers: string[] = [];
  yield {
    name: fileName,
    rows: readCsv(stream, { encoding: format.encoding, onHeader: (h) => (headers = h.headers) }),
    headers: () => headers,
  };
}

async function* xlsxTables(stream: Readable): AsyncGenerator<UploadTable> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookReader(stream, {
    sharedStrings: "cache",
    worksheets: "emit",
    hyperlinks: "ignore",
    styles: "cache",
    entries: "emit",
  });
  for await (const sheet of workbook) {
    const name = (sheet as unknown as { name?: string }).name ?? "sheet";
    let headers: string[] = [];
    async function* rows(): AsyncGenerator<CsvRow> {
      let n = 0;
      for await (const row of sheet) {
        const cells = (row.values as unknown[]).slice(1).map(cellText);
        if (headers.length === 0) {
          if (cells.every((c) => c.trim() === "")) continue;
          headers = cells.map((h, i) => h.trim() || `column_${i + 1}`);
          continue;
        }
        if (cells.every((c) => c.trim() === "")) continue;
        n += 1;
        const values = Object.fromEntries(headers.map((h, i) => [h, cells[i] ?? ""]));
        const extra = cells.slice(headers.length).some((c) => c.trim() !== "");
        yield extra
          ? { row: n, values, problem: `row has ${cells.length} cells but the header has ${headers.length}` }
          : { row: n, values };
      }
    }
    yield { name, rows: rows(), headers: () => headers };
  }
}

function jsonTable(stream: Readable, format: TextFormat, fileName: string): UploadTable {
  let headers: string[] = [];
  async function* rows(): AsyncGenerator<CsvRow> {
    if (format.encoding !== "utf8") throw badInput(`${fileName}: JSON must be UTF-8`);
    const lines = createInterface({ input: stream.setEncoding("utf8"), crlfDelay: Number.POSITIVE_INFINITY });
    let n = 0;
    let buffered: string[] | undefined;
    for await (const raw of lines) {
      const line = raw.replace(/^\uFEFF/, "").trim();
      if (buffered !== undefined || (n === 0 && line.startsWith("["))) {
        if (!buffered) buffered = [];
        buffered.push(raw);
        continue;
      }
      if (!line) continue;
      n += 1;
      yield toRow(n, line);
    }
    if (buffered) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(buffered.join("\n").replace(/^\uFEFF/, ""));
      } catch (error) {
        throw badInput(`${fileName} is not valid JSON: ${(error as Error).message}`);
      }
      const items = Array.isArray(parsed) ? parsed : [];
      for (const [i, item] of items.entries()) yield objectRow(i + 1, item);
    }
  }
  function toRow(n: number, line: string): CsvRow {
    try {
      return objectRow(n, JSON.parse(line));
    } catch {
      return { row: n, values: {}, problem: "line is not valid JSON" };
    }
  }
  function objectRow(n: number, item: unknown): CsvRow {
    if (typeof item !== "object" || item === null || Array.isArray(item))
      return { row: n, values: {}, problem: "not a JSON object" };
    const values = Object.fromEntries(
      Object.entries(item).map(([k, v]) => [
        k,
        v === null ? "" : typeof v === "object" ? JSON.stringify(v) : String(v),
      ]),
    );
    if (headers.length === 0) headers = Object.keys(values);
    return { row: n, values };
  }
  return { name: fileName, rows: rows(), headers: () => headers };
}
