/**
 * CSV for query results (`--format csv`, the result files in the store): RFC 4180 quoting, CRLF,
 * and formula neutralisation so spreadsheets never run a cell. A cell is dangerous when — after its
 * leading invisible characters (zero-width space/joiners, word joiner, BOM, bidi marks) — it starts
 * with = + - @, their full-width forms ＝ ＋ － ＠, a tab or a CR; it is then written with one
 * leading `'`. Numbers stay numbers: a number value, or a string that is a plain number (`-12`,
 * `-0.5`, `1e-3`), is never prefixed. Objects and lists (structs, lists, maps) are written as JSON,
 * dates as ISO 8601. Imports nothing.
 */
const INVISIBLE = /^[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]+/;
const FORMULA_START = /^[=+\-@\t\r\uff1d\uff0b\uff0d\uff20]/;
const PLAIN_NUMBER = /^-?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** Whether a spreadsheet could read `text` as a formula (a plain number is not one). */
export function isDangerousCell(text: string): boolean {
  if (PLAIN_NUMBER.test(text)) return false;
  return FORMULA_START.test(text) || FORMULA_START.test(text.replace(INVISIBLE, ""));
}

/** The text of one value, neutralised but not yet quoted. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number" || typeof value === "bigint" || typeof value === "boolean") return String(value);
  if (value instanceof Date) return value.toISOString();
  const text = typeof value === "object" ? JSON.stringify(value) : String(value);
  return isDangerousCell(text) ? `'${text}` : text;
}

const quote = (text: string) => (/[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text);

/** One CSV line (CRLF-terminated) of values. */
export const csvLine = (values: readonly unknown[]): string => `${values.map((v) => quote(cellText(v))).join(",")}\r\n`;

/** The header line, then one line per row, produced one at a time (so a caller can stop early). */
export function* csvLines(columns: readonly string[], rows: Iterable<Record<string, unknown>>): Generator<string> {
  yield csvLine(columns);
  for (const row of rows) yield csvLine(columns.map((c) => row[c]));
}

/** The whole CSV of `rows`, its columns those of the first row; no rows: "". */
export function csv(rows: Record<string, unknown>[]): string {
  if (rows.length === 0) return "";
  return [...csvLines(Object.keys(rows[0] ?? {}), rows)].join("");
}
