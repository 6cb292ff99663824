import { createReadStream, createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import ExcelJS from "exceljs";
import { badInput } from "../errors.js";
import { cellText } from "./cell-text.js";
import type { CsvRow } from "./csv-reader.js";
import { preview } from "./csv-tokenizer.js";
import { type RawLine, TableShaper } from "./header-row.js";
import { describeLimit, type IngestLimits, overLimit, withDefaults } from "./limits.js";
import type { UploadTable } from "./upload-table.js";
import { CELL_OVER_LIMIT, ROW_OVER_LIMIT, XmlGuard } from "./xml-guard.js";

/**
 * Excel workbooks, streamed with ExcelJS's own part readers, but with the zip read here so that every
 * entry is guarded: inflated bytes are counted against the decompressed limit (all entries) and, for
 * the parts ExcelJS holds in memory (shared strings, styles, workbook, relationships), against
 * the shared-strings limit — the workbook is refused while reading, before the part is held. Sheet and
 * shared-string XML is decoded with a streaming decoder (no character cut at a chunk boundary) and
 * passes through `XmlGuard`, which bounds each cell and row. Sheets stored before the shared strings
 * (as Excel writes them) are spooled, guarded, to a temporary folder and read after them. Each sheet's
 * header is found below its title rows and flattened, and its totals and footnotes are kept out
 * (`TableShaper`, header-row.ts): every sheet gives its real header, so sheets are chosen by content.
 */
interface ZipEntry extends Readable {
  path: string;
  autodrain(): { promise(): Promise<void> };
}
interface ExcelInternals {
  sharedStrings?: unknown[];
  workbookRels?: unknown;
  _parseRels(entry: Readable): Promise<void>;
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseStyles(entry: Readable): Promise<void>;
  _parseSharedStrings(entry: Readable): AsyncGenerator<unknown>;
  _parseWorksheet(iterator: AsyncIterable<string>, sheetNo: string): Generator<{ value: SheetReader }>;
}
type SheetReader = AsyncIterable<{ values: unknown }> & { name?: string };

// unzipper is ExcelJS's own zip reader (a dependency of exceljs, resolved from there).
const fromExcel = createRequire(createRequire(import.meta.url).resolve("exceljs"));
const unzipper = fromExcel("unzipper") as { Parse(options: { forceStream: boolean }): NodeJS.ReadWriteStream };

const HELD_PARTS = new Set([
  "_rels/.rels",
  "xl/_rels/workbook.xml.rels",
  "xl/workbook.xml",
  "xl/styles.xml",
  "xl/sharedStrings.xml",
]);
const SHEET = /^xl\/worksheets\/sheet(\d+)\.xml$/;

export interface XlsxOptions {
  limits?: Partial<IngestLimits>;
  /** Where sheets stored before the shared strings are spooled (default: the OS temp folder). */
  tmpDir?: string;
}

export async function* xlsxTables(
  stream: Readable,
  fileName: string,
  options: XlsxOptions = {},
): AsyncGenerator<UploadTable> {
  const limits = withDefaults(options.limits);
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(stream, {
    sharedStrings: "cache",
    worksheets: "emit",
    hyperlinks: "ignore",
    styles: "cache",
    entries: "ignore",
  }) as unknown as ExcelInternals;
  let inflated = 0;
  /** The entry's bytes, counted; XML parts decoded and guarded. */
  async function* guarded(entry: ZipEntry, heldCap: number | undefined, xml: boolean): AsyncGenerator<string> {
    const decoder = new TextDecoder("utf-8", { fatal: true });
    const guard = new XmlGuard(limits, entry.path);
    let size = 0;
    for await (const chunk of entry as AsyncIterable<Buffer>) {
      size += chunk.length;
      inflated += chunk.length;
      if (inflated > limits.maxDecompressedBytes)
        throw overLimit(
          `${fileName} inflates to more than allowed`,
          limits,
          "maxDecompressedBytes",
          "decompressed size",
        );
      if (heldCap !== undefined && size > heldCap)
        throw overLimit(
          `${fileName}: its part ${entry.path} is too large to read`,
          limits,
          "maxSharedStringsBytes",
          "workbook part",
        );
      if (!xml) continue;
      let text: string;
      try {
        text = decoder.decode(chunk, { stream: true });
      } catch {
        throw badInput(
          `${fileName}: its part ${entry.path} is not valid UTF-8 XML`,
          "save the workbook again from Excel",
        );
      }
      const out = guard.push(text);
      if (out) yield out;
    }
  }
  const drain = async (it: AsyncGenerator<string>) => {
    for await (const _ of it);
  };
  const dir = await mkdtemp(path.join(options.tmpDir ?? tmpdir(), "catdata-xlsx-"));
  const spooled: { sheetNo: string; file: string }[] = [];
  const zip = unzipper.Parse({ forceStream: true });
  stream.on("error", (e) => (zip as unknown as Readable).destroy(e));
  stream.pipe(zip);
  try {
    for await (const entry of zip as unknown as AsyncIterable<ZipEntry>) {
      const name = entry.path;
      const sheet = SHEET.exec(name);
      if (HELD_PARTS.has(name)) {
        const part = Readable.from(guarded(entry, limits.maxSharedStringsBytes, true));
        if (name === "xl/_rels/workbook.xml.rels") await reader._parseRels(part);
        else if (name === "xl/workbook.xml") await reader._parseWorkbook(part);
        else if (name === "xl/styles.xml") await reader._parseStyles(part);
        else if (name === "xl/sharedStrings.xml") for await (const _ of reader._parseSharedStrings(part));
        else await drain(guarded(entry, limits.maxSharedStringsBytes, false));
      } else if (sheet?.[1]) {
        const xml = guarded(entry, undefined, true);
        if (reader.sharedStrings && reader.workbookRels) {
          yield* sheetTables(reader, xml, sheet[1], limits);
          await drain(xml);
          entry.autodrain(); // what a reader that stopped early left
        } else {
          const file = path.join(dir, `sheet${sheet[1]}.xml`);
          const out = createWriteStream(file, { encoding: "utf8" });
          await pipeline(Readable.from(xml), out);
          spooled.push({ sheetNo: sheet[1], file });
        }
      } else await drain(guarded(entry, undefined, false));
    }
    for (const { sheetNo, file } of spooled) {
      const xml = createReadStream(file, { encoding: "utf8" }) as AsyncIterable<string> & Readable;
      yield* sheetTables(reader, xml, sheetNo, limits);
      xml.destroy();
    }
  } finally {
    stream.unpipe(zip);
    (zip as unknown as Readable).destroy();
    await rm(dir, { recursive: true, force: true });
  }
}

function* sheetTables(
  reader: ExcelInternals,
  xml: AsyncIterable<string>,
  sheetNo: string,
  limits: IngestLimits,
): Generator<UploadTable> {
  for (const { value: sheet } of reader._parseWorksheet(xml, sheetNo)) {
    const shaper = new TableShaper(`sheet ${sheet.name ?? sheetNo}`);
    async function* rows(): AsyncGenerator<CsvRow> {
      let n = 0;
      const toRow = (line: RawLine): CsvRow => {
        const headers = shaper.headers as string[];
        const { cells, problem } = line;
        n += 1;
        const values = Object.fromEntries(
          headers.map((h, i) => [h, problem ? preview(cells[i] ?? "") : (cells[i] ?? "")]),
        );
        if (problem) return { row: n, values, problem };
        if (cells.slice(headers.length).some((c) => c.trim() !== ""))
          return { row: n, values, problem: `row has ${cells.length} cells but the header has ${headers.length}` };
        return { row: n, values };
      };
      let line = 0;
      for await (const row of sheet) {
        const cells = Array.from((row.values as unknown[]).slice(1), cellText);
        line = (row as { number?: number }).number ?? line + 1;
        const problem = cellProblem(cells, limits);
        if (!problem && cells.every((c) => c.trim() === "")) continue;
        for (const r of shaper.push(problem ? { cells, line, problem } : { cells, line })) yield toRow(r);
      }
      for (const r of shaper.end()) yield toRow(r);
    }
    yield {
      name: sheet.name ?? `sheet${sheetNo}`,
      rows: rows(),
      headers: () => shaper.headers ?? [],
      layout: () => shaper.layout,
    };
  }
}

function cellProblem(cells: string[], limits: IngestLimits): string | undefined {
  let total = 0;
  for (let k = 0; k < cells.length; k++) {
    const c = cells[k] as string;
    if (c.includes(ROW_OVER_LIMIT))
      return `the row is longer than ${describeLimit(limits, "maxRecordBytes", "record")}`;
    const bytes = Buffer.byteLength(c);
    if (c.includes(CELL_OVER_LIMIT) || bytes > limits.maxCellBytes)
      return `cell ${k + 1} is longer than ${describeLimit(limits, "maxCellBytes", "cell")}`;
    total += bytes;
  }
  return total > limits.maxRecordBytes
    ? `the row is longer than ${describeLimit(limits, "maxRecordBytes", "record")}`
    : undefined;
}
