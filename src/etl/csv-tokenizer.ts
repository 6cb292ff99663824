import { describeLimit, type IngestLimits, overBytes } from "./limits.js";

/** One record as the tokenizer saw it: its cells, or a problem (then `cells` holds at most a short preview). */
export interface RawRecord {
  cells: string[];
  problem?: string;
}

const QUOTE = 34; // "
const LF = 10;
const CR = 13;
/** How much of a refused cell a quarantined row keeps, so nothing huge stays in memory. */
export const PREVIEW_CHARS = 256;

export const preview = (s: string) => (s.length > PREVIEW_CHARS ? `${s.slice(0, PREVIEW_CHARS)}…` : s);

/**
 * The streaming CSV tokenizer (rules in the doc comment of csv-reader.ts). Text goes in with `push`,
 * complete records come out in `records`. It holds at most one record (≤ maxRecordBytes) plus one
 * pushed piece; a record it refuses is never held past the limit.
 */
export class CsvTokenizer {
  readonly records: RawRecord[] = [];
  private buf = "";
  /** Dropping the rest of a line that went over a limit, up to its line end. */
  private skipping = false;
  /** The last piece ended with CR: a LF at the start of the next belongs to the same line end. */
  private pendingCr = false;
  /** A single line is capped by the smaller of the line and record limits. */
  private readonly lineCap: number;

  constructor(
    readonly delimiter: string,
    private readonly limits: IngestLimits,
  ) {
    this.lineCap = Math.min(limits.maxRecordBytes, limits.maxLineBytes);
  }

  push(text: string): void {
    if (this.pendingCr) {
      this.pendingCr = false;
      if (text.charCodeAt(0) === LF) text = text.slice(1);
    }
    if (this.skipping) {
      const end = lineEnd(text, 0);
      if (end < 0) return;
      this.skipping = false;
      text = text.slice(this.afterLineEnd(text, end, false));
    }
    this.buf = this.buf.length === 0 ? text : this.buf + text;
    this.drain(false);
  }

  end(): void {
    this.drain(true);
    this.buf = "";
  }

  private drain(final: boolean): void {
    const buf = this.buf;
    const d = this.delimiter;
    const dl = d.length;
    let pos = 0;
    let nextLf = -2;
    let nextCr = -2;
    let nextQuote = -2;
    let nextDelim = -2;
    const len = buf.length;
    while (pos < len) {
      const c0 = buf.charCodeAt(pos);
      if (c0 === LF) {
        pos += 1;
        continue; // empty line
      }
      if (c0 === CR) {
        if (pos + 1 >= len && !final) break; // CRLF cut between pieces: wait
        pos += buf.charCodeAt(pos + 1) === LF ? 2 : 1;
        continue;
      }
      if (nextLf !== -1 && nextLf < pos) nextLf = buf.indexOf("\n", pos);
      if (nextCr !== -1 && nextCr < pos) nextCr = buf.indexOf("\r", pos);
      if (nextQuote !== -1 && nextQuote < pos) nextQuote = buf.indexOf('"', pos);
      const end = nextLf < 0 ? nextCr : nextCr < 0 ? nextLf : Math.min(nextLf, nextCr);
      if (nextQuote < 0 || (end >= 0 && nextQuote > end)) {
        // Fast path: one line without quotes.
        if (end < 0 && !final) break;
        const stop = end < 0 ? len : end;
        if (stop === len - 1 && buf.charCodeAt(stop) === CR && !final) break;
        const chars = stop - pos;
        if (chars * 3 > this.lineCap && overBytes(buf.slice(pos, stop), this.lineCap)) {
          this.records.push({ cells: [], problem: this.tooLong("line", false) });
        } else {
          const cells: string[] = [];
          let i = pos;
          for (;;) {
            if (nextDelim !== -1 && nextDelim < i) nextDelim = buf.indexOf(d, i);
            if (nextDelim < 0 || nextDelim >= stop) {
              cells.push(buf.slice(i, stop));
              break;
            }
            cells.push(buf.slice(i, nextDelim));
            i = nextDelim + dl;
          }
          this.records.push(chars * 3 <= this.limits.maxCellBytes ? { cells } : this.checkCells(cells, chars));
        }
        pos = end < 0 ? len : this.afterLineEnd(buf, end, final);
        continue;
      }
      // Slow path: a record with quotes, perhaps over several lines.
      const r = this.quoted(buf, pos, final);
      if (r.next < 0) {
        // Incomplete: wait for more text unless it is already over the limit.
        const pending = len - pos;
        if (pending * 3 > this.limits.maxRecordBytes && overBytes(buf.slice(pos), this.limits.maxRecordBytes)) {
          this.records.push({ cells: [], problem: this.tooLong("record", r.openQuote) });
          pos = this.resumeAfterFirstLine(buf, pos, final);
          if (pos < 0) {
            this.skipping = true;
            this.buf = "";
            return;
          }
          nextLf = nextCr = nextQuote = -2;
          continue;
        }
        break;
      }
      if (r.problem) {
        this.records.push({ cells: r.cells.map(preview), problem: r.problem });
        if (r.resume) {
          pos = this.resumeAfterFirstLine(buf, pos, true);
          if (pos < 0) pos = len;
          nextLf = nextCr = nextQuote = -2;
          continue;
        }
      } else if ((r.next - pos) * 3 > this.lineCap && this.overLong(buf.slice(pos, withoutLineEnd(buf, pos, r.next)))) {
        this.records.push({ cells: [], problem: this.overLong(buf.slice(pos, withoutLineEnd(buf, pos, r.next))) });
      } else {
        this.records.push(this.checkCells(r.cells, r.next - pos));
      }
      pos = r.next;
    }
    // Keep the unfinished record; drop it (and skip to its line end) if it is already too long.
    const rest = pos >= len ? "" : pos === 0 ? buf : buf.slice(pos);
    const restCap = lineEnd(rest, 0) < 0 ? this.lineCap : this.limits.maxRecordBytes;
    if (!final && rest.length * 3 > restCap && overBytes(rest, restCap)) {
      this.records.push({ cells: [], problem: this.tooLong(restCap === this.lineCap ? "line" : "record", false) });
      const resume = this.resumeAfterFirstLine(rest, 0, false);
      if (resume < 0) {
        this.skipping = true;
        this.buf = "";
        return;
      }
      this.buf = rest.slice(resume);
      this.drain(false);
      return;
    }
    this.buf = rest;
  }

  /** Parses one record that has a quote, from `pos`. `next` is -1 when the text ends before the record does. */
  private quoted(
    buf: string,
    pos: number,
    final: boolean,
  ): { cells: string[]; next: number; problem?: string; resume?: boolean; openQuote: boolean } {
    const d = this.delimiter;
    const len = buf.length;
    const cells: string[] = [];
    let i = pos;
    let nd = -2;
    let nl = -2;
    let nc = -2;
    let problem: string | undefined;
    for (;;) {
      if (i < len && buf.charCodeAt(i) === QUOTE) {
        let value = "";
        let j = i + 1;
        for (;;) {
          const q = buf.indexOf('"', j);
          if (q < 0) {
            if (!final) return { cells, next: -1, openQuote: true };
            return {
              cells: [...cells, value + buf.slice(j)],
              next: len,
              problem: `a quoted field that starts in this row is never closed (the file ends inside it)`,
              resume: true,
              openQuote: true,
            };
          }
          if (q + 1 >= len && !final) return { cells, next: -1, openQuote: true };
          if (buf.charCodeAt(q + 1) === QUOTE) {
            value += buf.slice(j, q + 1);
            j = q + 2;
            continue;
          }
          value += buf.slice(j, q);
          i = q + 1;
          break;
        }
        // After the closing quote: a delimiter, a line end or the end of the text.
        if (i < len && !buf.startsWith(d, i) && buf.charCodeAt(i) !== LF && buf.charCodeAt(i) !== CR) {
          problem ??= `cell ${cells.length + 1} has text after its closing quote`;
          const stop = this.fieldEnd(buf, i, final);
          if (stop < 0) return { cells, next: -1, openQuote: false };
          value += buf.slice(i, stop);
          i = stop;
        }
        cells.push(value);
      } else {
        if (nd !== -1 && nd < i) nd = buf.indexOf(d, i);
        if (nl !== -1 && nl < i) nl = buf.indexOf("\n", i);
        if (nc !== -1 && nc < i) nc = buf.indexOf("\r", i);
        let stop = nl < 0 ? nc : nc < 0 ? nl : Math.min(nl, nc);
        if (nd >= 0 && (stop < 0 || nd < stop)) stop = nd;
        if (stop < 0) {
          if (!final) return { cells, next: -1, openQuote: false };
          stop = len;
        }
        cells.push(buf.slice(i, stop));
        i = stop;
      }
      if (i >= len) {
        if (!final) return { cells, next: -1, openQuote: false };
        return problem === undefined
          ? { cells, next: len, openQuote: false }
          : { cells, next: len, problem, openQuote: false };
      }
      if (buf.startsWith(d, i)) {
        i += d.length;
        if (i >= len && !final) return { cells, next: -1, openQuote: false };
        if (i >= len) {
          cells.push("");
          return problem === undefined
            ? { cells, next: len, openQuote: false }
            : { cells, next: len, problem, openQuote: false };
        }
        continue;
      }
      // A line end.
      if (buf.charCodeAt(i) === CR && i + 1 >= len && !final) return { cells, next: -1, openQuote: false };
      const next = this.afterLineEnd(buf, i, final);
      return problem === undefined ? { cells, next, openQuote: false } : { cells, next, problem, openQuote: false };
    }
  }

  /** End of an unquoted stretch: the next delimiter or line end; -1 if the text ends first. */
  private fieldEnd(buf: string, from: number, final: boolean): number {
    const d = buf.indexOf(this.delimiter, from);
    const e = lineEnd(buf, from);
    const stop = d < 0 ? e : e < 0 ? d : Math.min(d, e);
    return stop < 0 ? (final ? buf.length : -1) : stop;
  }

  /** Index after the line end at `at` (CRLF, LF or a lone CR); remembers a CR that ends the text. */
  private afterLineEnd(buf: string, at: number, final: boolean): number {
    if (buf.charCodeAt(at) === CR) {
      if (at + 1 < buf.length) return buf.charCodeAt(at + 1) === LF ? at + 2 : at + 1;
      if (!final) this.pendingCr = true;
      return at + 1;
    }
    return at + 1;
  }

  /** Where parsing resumes after a refused record: after the first line end from `pos` (-1: none yet). */
  private resumeAfterFirstLine(buf: string, pos: number, final: boolean): number {
    const end = lineEnd(buf, pos);
    return end < 0 ? -1 : this.afterLineEnd(buf, end, final);
  }

  private tooLong(kind: "line" | "record", openQuote: boolean): string {
    const what = openQuote
      ? "a quoted field that starts in this row is not closed within"
      : `the ${kind} is longer than`;
    const byLine = kind === "line" && this.limits.maxLineBytes <= this.limits.maxRecordBytes;
    const limit = describeLimit(this.limits, byLine ? "maxLineBytes" : "maxRecordBytes", byLine ? "line" : "record");
    return `${what} ${limit}; the next line is read as a new row`;
  }

  /** The problem of a complete multi-line record over the record limit or with a line over the line limit. */
  private overLong(record: string): string | undefined {
    if (overBytes(record, this.limits.maxRecordBytes)) return this.tooLong("record", false);
    for (const line of record.split(/\r\n|\r|\n/))
      if (overBytes(line, this.lineCap)) return this.tooLong("line", false);
    return undefined;
  }

  private checkCells(cells: string[], chars: number): RawRecord {
    const cap = this.limits.maxCellBytes;
    if (chars * 3 <= cap) return { cells };
    for (let k = 0; k < cells.length; k++) {
      if (overBytes(cells[k] ?? "", cap)) {
        return {
          cells: cells.map(preview),
          problem: `cell ${k + 1} is longer than ${describeLimit(this.limits, "maxCellBytes", "cell")}`,
        };
      }
    }
    return { cells };
  }
}

function lineEnd(s: string, from: number): number {
  const lf = s.indexOf("\n", from);
  const cr = s.indexOf("\r", from);
  return lf < 0 ? cr : cr < 0 ? lf : Math.min(lf, cr);
}

/** The end of a record that ends at `next`, before its line end (CRLF, LF or CR) if it has one. */
function withoutLineEnd(buf: string, pos: number, next: number): number {
  let end = next;
  if (end > pos && buf.charCodeAt(end - 1) === LF) end -= 1;
  else if (end > pos && buf.charCodeAt(end - 1) === CR) return end - 1;
  if (end < next && end > pos && buf.charCodeAt(end - 1) === CR) end -= 1;
  return end;
}
