/**
 * Tables as offices make them: a title and notes above the header, a header over two rows with merged
 * cells, total rows and footnotes among the data. `TableShaper` takes a table's raw rows (CSV records or
 * sheet rows, in order) and gives back its header and its data rows; what it kept out is in `layout`.
 *
 * Rules (docs/data-model.md, "Tables as they are"):
 * - The header is the first row, among the first HEADER_SCAN_ROWS non-empty rows, that has at least
 *   MIN_HEADER_CELLS non-empty cells, of which at least LABEL_SHARE are distinct short labels (at most
 *   MAX_LABEL_CHARS, not a number or a date; a whole number like 2023 or 4 is a label), followed by rows
 *   of data of the same width: of the next HEADER_LOOKAHEAD_ROWS rows, most have no cell right of the
 *   header, and the header names at least HEADER_MIN_COVERAGE of their width. When no row qualifies the
 *   first non-empty row is the header. Rows above it are reported in `skippedAbove`.
 * - A second header row (at most MAX_HEADER_ROWS in all) is one of labels only under a merged group:
 *   a label over a label followed, to its right, by an empty cell over a label. A group's text repeats
 *   over the columns it spans, and a column's texts are joined with a space ("捕獲" over "雄", "雌" →
 *   "捕獲 雄", "捕獲 雌"; a cell merged down over both rows gives its text once).
 * - Below the header, a row is a total (reported in `totals`, not returned) when its first non-empty
 *   cell, among its first TOTAL_LABEL_CELLS, says 合計 / 計 / 小計 / 総計 / Total / Subtotal / Grand total, or
 *   when its cells are all numbers, its first cell empty, equal to the column sums of the data rows
 *   above it (since the last total, or all of them; at least MIN_ROWS_FOR_SUM rows, one sum not 0;
 *   only in columns that held nothing but numbers). A row whose only text is in its first cell and
 *   starts with ※ 注 * Note or 出典, or is at least FOOTNOTE_MIN_CHARS long, is a footnote (`footnotes`).
 * - Empty rows are dropped (in a table of one column an empty cell is a value, and nothing is
 *   reported as a total or footnote there). A trailing bracketed unit of a header is recorded in `units`
 *   (src/cats/header-unit.ts); the header itself keeps its text.
 */
import { splitHeaderUnit } from "../cats/header-unit.js";
import { badInput } from "../errors.js";

export const HEADER_SCAN_ROWS = 30;
export const MIN_HEADER_CELLS = 2;
export const LABEL_SHARE = 0.8;
export const MAX_LABEL_CHARS = 64;
export const HEADER_LOOKAHEAD_ROWS = 5;
export const HEADER_MIN_COVERAGE = 0.5;
export const MAX_HEADER_ROWS = 2;
export const TOTAL_LABEL_CELLS = 2;
export const MIN_ROWS_FOR_SUM = 2;
export const FOOTNOTE_MIN_CHARS = 20;
/** The reported text of a skipped row is cut to this many characters. */
export const REPORTED_TEXT_CHARS = 200;

export interface RawLine {
  cells: string[];
  /** Its place in the file: the sheet's row number, or the CSV record's (1-based, empty lines not counted). */
  line: number;
  problem?: string;
}

export interface SkippedLine {
  row: number;
  text: string;
}

export interface TableLayout {
  /** The row the header starts on (0 until it is known) and how many rows it has. */
  headerRow: number;
  headerRows: number;
  skippedAbove: SkippedLine[];
  totals: SkippedLine[];
  footnotes: SkippedLine[];
  /** Header → its unit, for headers written with one (`助成金額（円）` → `円`). */
  units: Record<string, string>;
}

export const emptyLayout = (): TableLayout => ({
  headerRow: 0,
  headerRows: 0,
  skippedAbove: [],
  totals: [],
  footnotes: [],
  units: {},
});

const TOTAL = /^(合計|計|小計|総計|総合計|total|subtotal|sub ?total|grand total|totals)$/i;
/** A cheap test of a total label's first character (合 計 小 総 T S G, full-width too). */
const TOTAL_START = /^\s*[合計小総TtSsGgＴｔＳｓＧｇ]/;
const FOOTNOTE = /^([※＊*]|注|note\b|notes\b|source\b|出典|資料)/i;
const DATE =
  /^(\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}|(令和|平成|昭和|[RHS])\s*(\d{1,2}|元)\s*[.\-/年]\s*\d{1,2}\s*[.\-/月]\s*\d{1,2})/i;

const blank = (cells: readonly string[]) => cells.every((c) => c.trim() === "");
const widthOf = (cells: readonly string[]) => {
  for (let k = cells.length - 1; k >= 0; k--) if ((cells[k] as string).trim() !== "") return k + 1;
  return 0;
};

const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;
const NUMBER_LIKE = /^[-+]?[¥$￥]?[\d,，０-９.．]+[円頭匹件人]?$/;

/** The number a cell holds (`1,200`, `5000円`, `¥3,000`, full-width digits), or undefined. */
export function numberIn(cell: string): number | undefined {
  // This runs on every cell of every row: the common cases are decided by one regular expression.
  if (PLAIN_NUMBER.test(cell)) return Number(cell);
  const c0 = cell.charCodeAt(0);
  if (c0 > 57 && c0 < 0xa5) return undefined; // a letter
  const t = cell.trim();
  if (t.length > 32 || !NUMBER_LIKE.test(t)) return undefined;
  const s = t
    .normalize("NFKC")
    .replace(/^([-+]?)[¥$]/, "$1")
    .replace(/[円頭匹件人]$/, "")
    .replaceAll(",", "");
  return /^[-+]?(\d+\.?\d*|\.\d+)$/.test(s) ? Number(s) : undefined;
}

/**
 * A short text that can name a column: not a number or a date, but a whole number of at most four
 * digits is a label (a year such as 2023, a month 4, a column number).
 */
export function isLabel(cell: string): boolean {
  const s = cell.trim();
  if (s === "" || s.length > MAX_LABEL_CHARS) return false;
  if (/^\d{1,4}$/.test(s.normalize("NFKC"))) return true;
  return numberIn(s) === undefined && !DATE.test(s.normalize("NFKC"));
}

const reported = (r: RawLine): SkippedLine => {
  const text = r.cells
    .map((c) => c.trim())
    .filter((c) => c !== "")
    .join(" | ");
  return { row: r.line, text: text.length > REPORTED_TEXT_CHARS ? `${text.slice(0, REPORTED_TEXT_CHARS)}…` : text };
};

/** A merged group's signature: a label over a label, then an empty cell over a label to its right. */
function isHeaderContinuation(upper: readonly string[], lower: RawLine): boolean {
  if (lower.problem) return false;
  const cells = lower.cells.map((c) => c.trim());
  if (cells.every((c) => c === "") || !cells.every((c) => c === "" || isLabel(c))) return false;
  for (let c = 0; c + 1 < cells.length; c++) {
    if ((upper[c] ?? "").trim() && cells[c] && !(upper[c + 1] ?? "").trim() && cells[c + 1]) return true;
  }
  return false;
}

/** One header from its rows: a group's text over each column it spans, then the column's own. */
export function flattenHeader(rows: readonly (readonly string[])[]): string[] {
  const width = Math.max(...rows.map((r) => r.length));
  const [upper = [], lower] = rows.map((r) => r.map((c) => c.trim()));
  if (!lower) return Array.from({ length: width }, (_, c) => upper[c] || `column_${c + 1}`);
  const out: string[] = [];
  let group = "";
  for (let c = 0; c < width; c++) {
    const up = upper[c] ?? "";
    const low = lower[c] ?? "";
    if (up) group = low ? up : "";
    else if (!low) group = "";
    const top = up || (low ? group : "");
    const parts = top && top !== low ? [top, low].filter(Boolean) : [low || top];
    out.push(parts.join(" ") || `column_${c + 1}`);
  }
  return out;
}

export class TableShaper {
  readonly layout: TableLayout = emptyLayout();
  headers: string[] | undefined;
  private buffer: RawLine[] = [];
  private sinceTotal: number[] = [];
  private all: number[] = [];
  private rowsSinceTotal = 0;
  private rowsAll = 0;
  /** Columns that held a text in a data row: no sum is checked there. */
  private textColumns: boolean[] = [];

  /** `where` and `hint` for the error when the header row itself cannot be read. */
  constructor(
    private readonly where: string,
    private readonly hint?: string,
  ) {}

  /** The data rows this line releases (none while the header is still being looked for). */
  push(line: RawLine): RawLine[] {
    if (this.headers) return this.take(line) ? [line] : [];
    if (!line.problem && blank(line.cells)) return [];
    this.buffer.push(line);
    return this.buffer.length < HEADER_SCAN_ROWS + HEADER_LOOKAHEAD_ROWS ? [] : this.decide();
  }

  /** At the end of the table: the rows still held. */
  end(): RawLine[] {
    return this.headers || this.buffer.length === 0 ? [] : this.decide();
  }

  private decide(): RawLine[] {
    const rows = this.buffer;
    this.buffer = [];
    let start = rows.findIndex((_, i) => i < HEADER_SCAN_ROWS && this.headerSpan(rows, i) > 0);
    let span = start >= 0 ? this.headerSpan(rows, start) : 1;
    if (start < 0) start = 0;
    const first = rows[start] as RawLine;
    if (first.problem) throw badInput(`${this.where}: the header row cannot be read: ${first.problem}`, this.hint);
    const block = rows.slice(start, start + span);
    this.headers = flattenHeader(block.map((r) => r.cells));
    this.layout.headerRow = first.line;
    this.layout.headerRows = span;
    this.layout.skippedAbove = rows.slice(0, start).map(reported);
    for (const h of this.headers) {
      const { unit } = splitHeaderUnit(h);
      if (unit) this.layout.units[h] = unit;
    }
    span = start + span;
    return rows.slice(span).filter((r) => this.take(r));
  }

  /** How many rows the header starting at `i` has (0: row i is not a header). */
  private headerSpan(rows: readonly RawLine[], i: number): number {
    const row = rows[i] as RawLine;
    if (row.problem) return 0;
    const cells = row.cells.map((c) => c.trim()).filter((c) => c !== "");
    if (cells.length < MIN_HEADER_CELLS) return 0;
    if (cells.filter(isLabel).length < LABEL_SHARE * cells.length) return 0;
    if (new Set(cells).size < LABEL_SHARE * cells.length) return 0;
    let span = 1;
    while (span < MAX_HEADER_ROWS && rows[i + span] && isHeaderContinuation(row.cells, rows[i + span] as RawLine))
      span += 1;
    const blockRows = rows.slice(i, i + span).map((r) => r.cells);
    const width = Math.max(...blockRows.map(widthOf));
    const named = flattenHeader(blockRows).filter((h, c) => h !== `column_${c + 1}`).length;
    const below = rows.slice(i + span, i + span + HEADER_LOOKAHEAD_ROWS).filter((r) => !r.problem);
    if (below.length === 0) return i === 0 && rows.length === span ? span : 0;
    const fitting = below.filter((r) => widthOf(r.cells) <= width).length;
    const widest = Math.max(...below.map((r) => widthOf(r.cells)));
    return fitting * 2 >= below.length && named >= HEADER_MIN_COVERAGE * widest ? span : 0;
  }

  /** Counts a row below the header: true when it is data, false when it is a total or a footnote. */
  private take(r: RawLine): boolean {
    if (r.problem || (this.headers?.length ?? 0) < MIN_HEADER_CELLS) return true;
    const cells = r.cells;
    let filled = 0;
    let first = -1;
    for (let k = 0; k < cells.length; k++) {
      if ((cells[k] as string).trim() === "") continue;
      filled += 1;
      if (first < 0) first = k;
    }
    if (filled === 0) return false;
    if (first < TOTAL_LABEL_CELLS && TOTAL_START.test(cells[first] as string)) {
      const label = (cells[first] as string).trim();
      // 「合　計」: NFKC makes the full-width space a space, and a space between two characters is dropped.
      const key = label.length <= 16 ? label.normalize("NFKC").replace(/^(.)\s+(.)$/, "$1$2") : "";
      if (TOTAL.test(key)) return this.total(r);
    }
    const head = (cells[0] as string).trim();
    if (filled === 1 && first === 0 && (FOOTNOTE.test(head) || head.length >= FOOTNOTE_MIN_CHARS)) {
      this.layout.footnotes.push(reported(r));
      return false;
    }
    if (first > 0) {
      const numbers = cells.map(numberIn);
      const sums = (against: number[], n: number) =>
        n >= MIN_ROWS_FOR_SUM &&
        numbers.some((v) => v !== undefined && v !== 0) &&
        numbers.every(
          (v, c) =>
            v === undefined ||
            (!this.textColumns[c] && Math.abs(v - (against[c] ?? 0)) < 1e-6 * Math.max(1, Math.abs(v))),
        );
      const allNumbers = filled === numbers.filter((n) => n !== undefined).length;
      if (allNumbers && (sums(this.sinceTotal, this.rowsSinceTotal) || sums(this.all, this.rowsAll)))
        return this.total(r);
    }
    // Sums are kept for the columns of numbers only: a column is dropped at its first text.
    for (let c = 0; c < cells.length; c++) {
      if (this.textColumns[c] || (cells[c] as string).trim() === "") continue;
      const v = numberIn(cells[c] as string);
      if (v === undefined) this.textColumns[c] = true;
      else {
        this.sinceTotal[c] = (this.sinceTotal[c] ?? 0) + v;
        this.all[c] = (this.all[c] ?? 0) + v;
      }
    }
    this.rowsSinceTotal += 1;
    this.rowsAll += 1;
    return true;
  }

  private total(r: RawLine): false {
    this.layout.totals.push(reported(r));
    this.sinceTotal = [];
    this.rowsSinceTotal = 0;
    return false;
  }
}
