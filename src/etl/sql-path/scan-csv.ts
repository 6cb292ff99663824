import { open } from "node:fs/promises";
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

/**
 * Copies a CSV (the decrypted upload) into `file` (0600) with each line's data-row number put first
 * (`7,<line>`; the header gets ROW_NUMBER_HEADER), checking every line as above on the way — so
 * DuckDB, which may store rows out of file order, still knows each row's number. `onHead` gets the
 * first HEAD_LINES lines (all of them in a shorter file) and the delimiter the header line splits
 * on, before the rest is copied; a reason from it stops the copy (the file is the JS path's).
 */
export async function numberedCopy(
  source: AsyncIterable<Buffer>,
  file: string,
  maxLineBytes: number,
  onHead: (head: Buffer, delimiter: string) => Promise<string | undefined>,
): Promise<CopyResult> {
  const out = await open(file, "wx", 0o600);
  try {
    let carry: Buffer = Buffer.alloc(0);
    let lines = 0;
    let first = true;
    let delimiter = "";
    let delim = 0;
    /** Whether lines end with CRLF (set by the first line; mixed ends are not decided here). */
    let crlf: boolean | undefined;
    const head: Buffer[] = [];
    let headDone = false;
    const check = (line: Buffer, last: boolean): string | undefined => {
      if (line.length >= maxLineBytes) return `line ${lines + 1} is ${line.length} bytes`;
      const withCr = line.length > 0 && line[line.length - 1] === CR;
      crlf ??= withCr;
      if (!last && crlf !== withCr) return `line ${lines + 1} ends differently from the first line`;
      if (last && withCr && crlf !== true) return `line ${lines + 1} ends with a lone CR`;
      const end = withCr ? line.length - 1 : line.length;
      if (end === 0) return `line ${lines + 1} is empty`;
      const cr = line.indexOf(CR);
      if (cr >= 0 && cr < end) return `line ${lines + 1} has a CR inside`;
      if (line.indexOf(0) >= 0) return `line ${lines + 1} has a NUL byte`;
      if (line.indexOf(QUOTE) >= 0 && !wholeQuotedFields(line, end, delim)) return `line ${lines + 1} has quotes`;
      return undefined;
    };
    /** Checks one line and adds its numbered form to `pieces`; a reason when the line is not decided here. */
    const take = (line: Buffer, last: boolean, pieces: Buffer[]): string | undefined => {
      if (lines === 0) {
        delimiter = detectDelimiter(line.toString("utf8"));
        delim = delimiter.charCodeAt(0);
        if (delimiter.length !== 1 || delim > 0x7f) return `delimiter ${JSON.stringify(delimiter)}`;
      }
      const why = check(line, last);
      if (why) return why;
      // The last line keeps its missing line end (an LF after CRLF lines would mix the line ends).
      pieces.push(Buffer.from(`${lines === 0 ? ROW_NUMBER_HEADER : lines}${delimiter}`, "latin1"), line);
      if (!last) pieces.push(NEWLINE);
      if (!headDone) head.push(line, NEWLINE);
      lines += 1;
      return undefined;
    };
    const headCheck = async (): Promise<string | undefined> => {
      headDone = true;
      return onHead(Buffer.concat(head), delimiter);
    };
    for await (const chunk of source) {
      let buf = carry.length ? Buffer.concat([carry, chunk]) : chunk;
      if (first) {
        first = false;
        if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf)
          return { ok: false, why: "the file starts with a BOM" };
      }
      const pieces: Buffer[] = [];
      let pos = 0;
      for (let nl = buf.indexOf(LF, pos); nl >= 0; nl = buf.indexOf(LF, pos)) {
        const why = take(buf.subarray(pos, nl), false, pieces);
        if (why) return { ok: false, why };
        pos = nl + 1;
        if (!headDone && lines >= HEAD_LINES) {
          const no = await headCheck();
          if (no) return { ok: false, why: no };
        }
      }
      if (pieces.length) await out.write(Buffer.concat(pieces));
      buf = buf.subarray(pos);
      if (buf.length >= maxLineBytes) return { ok: false, why: `line ${lines + 1} is over ${maxLineBytes} bytes` };
      carry = Buffer.from(buf);
    }
    if (carry.length > 0) {
      const pieces: Buffer[] = [];
      const why = take(carry, true, pieces);
      if (why) return { ok: false, why };
      await out.write(Buffer.concat(pieces));
    }
    if (lines < 1) return { ok: false, why: "no header" };
    if (!headDone) {
      const no = await headCheck();
      if (no) return { ok: false, why: no };
    }
    return { ok: true, rows: lines - 1, delimiter };
  } finally {
    await out.close();
  }
}

const NEWLINE = Buffer.from("\n");

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
