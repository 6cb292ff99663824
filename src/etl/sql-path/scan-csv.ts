import { isAscii } from "node:buffer";
import { type FileHandle, open } from "node:fs/promises";
import { detectDelimiter } from "../csv-reader.js";
import { HEADER_LOOKAHEAD_ROWS, HEADER_SCAN_ROWS } from "../header-row.js";

/**
 * A byte scan of a CSV before DuckDB reads it, finding what DuckDB's reader and ours
 * (csv-reader.ts) might not read the same way — then the file goes to the JS path. Cheap: native
 * indexOf per line and per quote, done while the upload is copied for DuckDB (numberedCopy).
 *
 * Decided here only: LF or CRLF line ends, no empty line, no BOM, no NUL byte, no line of
 * `maxLineBytes` or more, and quotes only as whole quoted fields ("…", "" inside) that close on
 * their own line — so one line is one record and its number is the JS reader's row number.
 */
const LF = 10;
const CR = 13;
const QUOTE = 34;

export type CopyResult = { ok: true; rows: number; delimiter: string } | { ok: false; why: string };

/** Lines handed to `onHead` (the header search of TableShaper, header-row.ts, decides on as many rows). */
export const HEAD_LINES = HEADER_SCAN_ROWS + HEADER_LOOKAHEAD_ROWS + 1;
/** The header of the numbered copy's row-number column (its data rows hold 1, 2, 3 …). */
export const ROW_NUMBER_HEADER = "__catdata_row";
/** The header of the numbered copy's second column: a line's flags (SHAPE_FLAG + LOOSE_FLAG), 0–3. */
export const SHAPE_FLAG_HEADER = "__catdata_shape";
/** Line flag: `mayBeShaped` (the SQL checks the row against the table shaper's rules). */
export const SHAPE_FLAG = 1;
/**
 * Line flag: a cell may hold JS whitespace other than the space (`mayBeLoose`), so the SQL trims
 * each of its cells in full; on other lines only a cell with a space at an edge needs trimming.
 */
export const LOOSE_FLAG = 2;

const SPACE = 32;
/** Bytes that can start a cell the table shaper treats apart (header-row.ts): blank, a total label, a quote. */
const SHAPE_START = new Set([...'TtSsGg"\t\v\f '].map((c) => c.charCodeAt(0)));

/**
 * A cheap test on a line's bytes, true for every row the JS reader's TableShaper might keep out of
 * the records — empty, at most one filled cell, a total (its first filled cell among the first two
 * says 合計 / Total …), a footnote, numbers under an empty first cell — and for some more: the first
 * cell is empty or starts with whitespace, a quote, T S G (any case) or a non-ASCII character, or the
 * last cell is empty or ends with whitespace, a quote or a non-ASCII character. The SQL checks
 * exactly (sql-path.ts shapeFallback) only the rows flagged here; most data rows are not.
 */
export function mayBeShaped(line: Buffer, delim: number): boolean {
  const end = line.length > 0 && line[line.length - 1] === CR ? line.length - 1 : line.length;
  return shapedAt(line, 0, end, delim);
}

/** mayBeShaped of the line buf[start, end) (its line end excluded). */
function shapedAt(buf: Buffer, start: number, end: number, delim: number): boolean {
  if (end === start) return true;
  const first = buf[start] as number;
  if (first === delim || first >= 0x80 || SHAPE_START.has(first)) return true;
  const last = buf[end - 1] as number;
  return last === delim || last >= 0x80 || last === QUOTE || last <= SPACE;
}

/**
 * True for a line whose cells may hold JS whitespace (String.prototype.trim's) other than the
 * space: a tab, vertical tab or form feed, or any non-ASCII byte (U+00A0, U+3000 …). (No cell holds
 * a CR or LF on this path: such lines are refused above.) The SQL trims such a line's cells in full;
 * any other cell is trimmed only when it starts or ends with a space (sql-text.ts looseTrim).
 */
export function mayBeLoose(line: Buffer): boolean {
  return !isAscii(line) || line.indexOf(TAB) >= 0 || line.indexOf(VT) >= 0 || line.indexOf(FF) >= 0;
}

const TAB = 9;
const VT = 11;
const FF = 12;

/**
 * Copies a CSV (the decrypted upload) into `file` (0600) with each line's data-row number and flags
 * put first (`7,0,<line>`; the header gets ROW_NUMBER_HEADER and SHAPE_FLAG_HEADER), checking every
 * line as above on the way — so DuckDB, which may store rows out of file order, still knows each
 * row's number. `onHead` gets the first HEAD_LINES lines (all of them in a shorter file) and the
 * delimiter the header line splits on, before the rest is copied; a reason from it stops the copy
 * (the file is the JS path's).
 */
export async function numberedCopy(
  source: AsyncIterable<Buffer>,
  file: string,
  maxLineBytes: number,
  onHead: (head: Buffer, delimiter: string) => Promise<string | undefined>,
): Promise<CopyResult> {
  const out = await open(file, "wx", 0o600);
  try {
    return await copyLines(source, out, maxLineBytes, onHead);
  } finally {
    await out.close();
  }
}

/** Output buffered per OUT_BUFFER_BYTES (flushed when a line would not fit). */
const OUT_BUFFER_BYTES = 4 << 20;
/** Bytes a line's prefix takes at most: 15 digits, a delimiter, the flag, a delimiter (and slack). */
const PREFIX_MAX = 24;

/**
 * The copy's loop, on byte offsets: per chunk, one indexOf per line end and one per CR, quote or NUL
 * found (not per line), the prefix digits written in place, the line copied once.
 */
async function copyLines(
  source: AsyncIterable<Buffer>,
  out: FileHandle,
  maxLineBytes: number,
  onHead: (head: Buffer, delimiter: string) => Promise<string | undefined>,
): Promise<CopyResult> {
  let buffer = Buffer.allocUnsafe(OUT_BUFFER_BYTES);
  let used = 0;
  const flush = async () => {
    if (used > 0) await out.write(buffer, 0, used);
    used = 0;
  };
  let carry: Buffer = Buffer.alloc(0);
  let lines = 0;
  let first = true;
  let delimiter = "";
  let delim = 0;
  let crlf: boolean | undefined;
  const head: Buffer[] = [];
  let headDone = false;
  /** Checks line [pos, nl) of `buf` (nl: its LF, or buf.length for the last) and copies it numbered. */
  const take = (
    buf: Buffer,
    pos: number,
    nl: number,
    last: boolean,
    cr: number,
    quote: number,
    nul: number,
    loose: boolean | undefined,
  ) => {
    const len = nl - pos;
    const n = lines + 1;
    if (lines === 0) {
      delimiter = detectDelimiter(buf.toString("utf8", pos, nl));
      delim = delimiter.charCodeAt(0);
      if (delimiter.length !== 1 || delim > 0x7f) return `delimiter ${JSON.stringify(delimiter)}`;
    }
    if (len >= maxLineBytes) return `line ${n} is ${len} bytes`;
    const withCr = len > 0 && buf[nl - 1] === CR;
    crlf ??= withCr;
    if (!last && crlf !== withCr) return `line ${n} ends differently from the first line`;
    if (last && withCr && crlf !== true) return `line ${n} ends with a lone CR`;
    const end = withCr ? nl - 1 : nl;
    if (end === pos) return `line ${n} is empty`;
    if (cr >= 0 && cr < end) return `line ${n} has a CR inside`;
    if (nul >= 0 && nul < nl) return `line ${n} has a NUL byte`;
    if (quote >= 0 && quote < end && !wholeQuotedFields(buf.subarray(pos, nl), end - pos, delim))
      return `line ${n} has quotes`;
    if (used + len + PREFIX_MAX + 1 > buffer.length) return "flush";
    if (lines === 0)
      used += buffer.write(`${ROW_NUMBER_HEADER}${delimiter}${SHAPE_FLAG_HEADER}${delimiter}`, used, "latin1");
    else {
      used = writeDigits(buffer, used, lines);
      buffer[used++] = delim;
      const looseLine = loose ?? mayBeLoose(buf.subarray(pos, nl));
      buffer[used++] = 0x30 + (shapedAt(buf, pos, end, delim) ? SHAPE_FLAG : 0) + (looseLine ? LOOSE_FLAG : 0);
      buffer[used++] = delim;
    }
    used += buf.copy(buffer, used, pos, nl);
    // The last line keeps its missing line end (an LF after CRLF lines would mix the line ends).
    if (!last) buffer[used++] = LF;
    if (!headDone) head.push(Buffer.from(buf.subarray(pos, last ? nl : nl + 1)));
    lines += 1;
    return undefined;
  };
  const headCheck = async (): Promise<string | undefined> => {
    headDone = true;
    return onHead(Buffer.concat(head), delimiter);
  };
  for await (const chunk of source) {
    const buf = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    if (first) {
      first = false;
      if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf)
        return { ok: false, why: "the file starts with a BOM" };
    }
    let pos = 0;
    let cr = buf.indexOf(CR);
    let quote = buf.indexOf(QUOTE);
    let nul = buf.indexOf(0);
    const edges = new LooseEdges(buf);
    for (let nl = buf.indexOf(LF, pos); nl >= 0; nl = buf.indexOf(LF, pos)) {
      if (cr >= 0 && cr < pos) cr = buf.indexOf(CR, pos);
      if (quote >= 0 && quote < pos) quote = buf.indexOf(QUOTE, pos);
      if (nul >= 0 && nul < pos) nul = buf.indexOf(0, pos);
      // A CR right before the LF is the line end, not one inside: look for the next one after it.
      const inner = cr === nl - 1 ? -1 : cr;
      const loose = lines > 0 && edges.loose(pos, nl);
      let why = take(buf, pos, nl, false, inner, quote, nul, loose);
      if (why === "flush") {
        await flush();
        if (OUT_BUFFER_BYTES < nl - pos + PREFIX_MAX + 1) buffer = Buffer.allocUnsafe(nl - pos + PREFIX_MAX + 1);
        why = take(buf, pos, nl, false, inner, quote, nul, loose);
      }
      if (why) return { ok: false, why };
      pos = nl + 1;
      if (!headDone && lines >= HEAD_LINES) {
        const no = await headCheck();
        if (no) return { ok: false, why: no };
      }
    }
    if (buf.length - pos >= maxLineBytes) return { ok: false, why: `line ${lines + 1} is over ${maxLineBytes} bytes` };
    carry = Buffer.from(buf.subarray(pos));
  }
  if (carry.length > 0) {
    const cr = carry.indexOf(CR);
    const inner = cr === carry.length - 1 ? -1 : cr;
    let why = take(carry, 0, carry.length, true, inner, carry.indexOf(QUOTE), carry.indexOf(0), undefined);
    if (why === "flush") {
      await flush();
      if (OUT_BUFFER_BYTES < carry.length + PREFIX_MAX + 1) buffer = Buffer.allocUnsafe(carry.length + PREFIX_MAX + 1);
      why = take(carry, 0, carry.length, true, inner, carry.indexOf(QUOTE), carry.indexOf(0), undefined);
    }
    if (why) return { ok: false, why };
  }
  await flush();
  if (lines < 1) return { ok: false, why: "no header" };
  if (!headDone) {
    const no = await headCheck();
    if (no) return { ok: false, why: no };
  }
  return { ok: true, rows: lines - 1, delimiter };
}

/**
 * mayBeLoose for the lines of one chunk, on byte offsets: the next tab, vertical tab and form feed
 * are found once per chunk and moved on only when a line passes them (one scan of the chunk each,
 * not one per line), and the chunk is tested for ASCII once (a line is tested itself only in a
 * chunk that is not all ASCII).
 */
class LooseEdges {
  private readonly ascii: boolean;
  private readonly at = [-2, -2, -2];

  constructor(private readonly buf: Buffer) {
    this.ascii = isAscii(buf);
  }

  /** mayBeLoose of the line [pos, nl). */
  loose(pos: number, nl: number): boolean {
    const { buf, at } = this;
    for (let i = 0; i < at.length; i++) {
      let next = at[i] as number;
      if (next !== -1 && next < pos) at[i] = next = buf.indexOf(CONTROLS[i] as number, pos);
      if (next >= 0 && next < nl) return true;
    }
    return !this.ascii && !isAscii(buf.subarray(pos, nl));
  }
}

/** The ASCII JS whitespace a cell can hold on this path besides the space: tab, vertical tab, form feed. */
const CONTROLS = [TAB, VT, FF];

/** Writes `n` (a positive integer) as ASCII digits at `at`; returns the offset after them. */
function writeDigits(out: Buffer, at: number, n: number): number {
  let digits = 1;
  for (let v = n; v >= 10; v = Math.floor(v / 10)) digits += 1;
  let v = n;
  for (let i = at + digits - 1; i >= at; i--) {
    out[i] = 0x30 + (v % 10);
    v = Math.floor(v / 10);
  }
  return at + digits;
}

/** Every quote in line[0, end) opens a field, is doubled inside it, or closes it right before a delimiter / the end. */
function wholeQuotedFields(line: Buffer, end: number, delim: number): boolean {
  let i = 0;
  while (i <= end) {
    if (line[i] === QUOTE) {
      i += 1;
      for (;;) {
        const q = line.indexOf(QUOTE, i);
        if (q < 0 || q >= end) return false;
        if (line[q + 1] === QUOTE && q + 1 < end) {
          i = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      if (i < end && line[i] !== delim) return false;
      i += 1;
    } else {
      const d = line.indexOf(delim, i);
      const stop = d < 0 || d > end ? end : d;
      const q = line.indexOf(QUOTE, i);
      if (q >= 0 && q < stop) return false;
      i = stop + 1;
    }
  }
  return true;
}
