import type { Readable } from "node:stream";
import { badInput, CatdataError } from "../errors.js";
import { readCsv } from "./csv-reader.js";
import { emptyLayout } from "./header-row.js";
import { readJson } from "./json-reader.js";
import type { IngestLimits } from "./limits.js";
import type { Sniffed } from "./sniff.js";
import type { UploadTable } from "./upload-table.js";
import { xlsxTables } from "./xlsx-reader.js";

export type { UploadTable } from "./upload-table.js";

export type TextFormat = Extract<Sniffed, { kind: "text" }>;

export interface OpenTablesOptions {
  /** The caps of src/etl/limits.ts (config.ingest); defaults when omitted. */
  limits?: Partial<IngestLimits>;
  /** Where an Excel reader may spool sheets (default: the OS temp folder). */
  tmpDir?: string;
  /** Told when a file sniffed as UTF-8 turned out to be Shift_JIS after an ASCII start. */
  onEncoding?: (encoding: "shift_jis") => void;
}

export async function* openTables(
  stream: Readable,
  format: TextFormat | { kind: "xlsx" },
  fileName: string,
  options: OpenTablesOptions = {},
): AsyncGenerator<UploadTable> {
  if (format.kind === "xlsx") {
    try {
      yield* xlsxTables(stream, fileName, options);
    } catch (error) {
      if (error instanceof CatdataError) throw error;
      throw badInput(
        `${fileName} cannot be read as CSV or Excel: it is a zip archive but not a readable .xlsx workbook (${(error as Error).message})`,
        "save it from Excel as .xlsx or CSV and upload again",
      );
    }
    return;
  }
  let headers: string[] = [];
  let layout = emptyLayout();
  if (/\.jsonl?$|\.ndjson$/i.test(fileName)) {
    if (format.encoding !== "utf8") throw badInput(`${fileName}: JSON must be UTF-8`, "save the file as UTF-8");
    yield {
      name: fileName,
      rows: readJson(stream, fileName, (h) => (headers = h), options.limits),
      headers: () => headers,
      layout: emptyLayout,
    };
    return;
  }
  const rows = readCsv(stream, {
    encoding: format.encoding,
    bom: format.bom,
    fileName,
    onHeader: (h) => {
      headers = h.headers;
      layout = h.layout;
    },
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.onEncoding ? { onEncoding: options.onEncoding } : {}),
  });
  yield { name: fileName, rows, headers: () => headers, layout: () => layout };
}
