import type { CsvRow } from "./csv-reader.js";
import type { TableLayout } from "./header-row.js";

/**
 * One table of an upload: a CSV file, a JSON/JSON-lines file, or one sheet of an Excel workbook.
 * `rows` streams; `headers()` is known once the first row has been read. `layout()` says where the
 * header was found, and which rows were kept out of `rows` (title and notes above it, totals and
 * footnotes below it: header-row.ts); it is complete once `rows` has been read to its end.
 */
export interface UploadTable {
  name: string;
  rows: AsyncIterable<CsvRow>;
  headers(): string[];
  layout(): TableLayout;
}
