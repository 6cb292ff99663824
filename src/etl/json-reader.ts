import type { Readable } from "node:stream";
import { badInput } from "../errors.js";
import { flatten } from "./batch-iterator.js";
import type { CsvRow } from "./csv-reader.js";
import { DecodeError, decodeText } from "./decode-text.js";
import { describeLimit, type IngestLimits, overBytes, overLimit, withDefaults } from "./limits.js";

/**
 * JSON uploads, streamed: JSON lines (one object per line) or one JSON array of objects. Each value is
 * checked for nesting depth before JSON.parse (so a deeply nested value never reaches a recursive step):
 * a JSON line that is too deep, too long or not JSON is a quarantined row; in an array file an element
 * over the record limit or not JSON is a quarantined row, and nesting past the depth limit refuses the file.
 */
export function readJson(
  source: Readable | AsyncIterable<Buffer>,
  fileName: string,
  onHeaders: (headers: string[]) => void,
  partial?: Partial<IngestLimits>,
): AsyncIterableIterator<CsvRow> {
  const limits = withDefaults(partial);
  let headers: string[] | undefined;
  const objectRow = (n: number, item: unknown): CsvRow => {
    if (typeof item !== "object" || item === null || Array.isArray(item))
      return { row: n, values: {}, problem: "not a JSON object" };
    const values: Record<string, string> = {};
    for (const [k, v] of Object.entries(item)) {
      values[k] = v === null ? "" : typeof v === "object" ? JSON.stringify(v) : String(v);
    }
    for (const [k, v] of Object.entries(values)) {
      if (overBytes(v, limits.maxCellBytes)) {
        return {
          row: n,
          values: {},
          problem: `field ${k} is longer than ${describeLimit(limits, "maxCellBytes", "cell")}`,
        };
      }
    }
    if (!headers) {
      headers = Object.keys(values);
      onHeaders(headers);
    }
    return { row: n, values };
  };
  const parseOne = (n: number, text: string, what: string): CsvRow => {
    if (depthOver(text, limits.maxJsonDepth))
      return {
        row: n,
        values: {},
        problem: `${what} nests deeper than ${describeLimit(limits, "maxJsonDepth", "JSON depth")}`,
      };
    try {
      return objectRow(n, JSON.parse(text));
    } catch {
      return { row: n, values: {}, problem: `${what} is not valid JSON` };
    }
  };

  async function* batches(): AsyncGenerator<CsvRow[]> {
    const text = decodeText(source as AsyncIterable<Buffer>, "utf8");
    let mode: "lines" | "array" | undefined;
    let pending = "";
    let skipping = false;
    let n = 0;
    const array = new ArrayScanner(limits, fileName);
    try {
      for await (let piece of text) {
        if (mode === undefined) {
          piece = pending + piece.replace(/^\uFEFF/, "");
          pending = "";
          const start = piece.search(/\S/);
          if (start < 0) {
            pending = piece;
            continue;
          }
          mode = piece[start] === "[" ? "array" : "lines";
        }
        if (mode === "array") {
          yield array
            .push(piece)
            .map((e) =>
              e.problem ? { row: e.row, values: {}, problem: e.problem } : parseOne(e.row, e.text, "the element"),
            );
          continue;
        }
        const out: CsvRow[] = [];
        let from = 0;
        for (;;) {
          const nl = piece.indexOf("\n", from);
          if (skipping) {
            if (nl < 0) break;
            skipping = false;
            from = nl + 1;
            continue;
          }
          const part = nl < 0 ? piece.slice(from) : piece.slice(from, nl);
          if (nl < 0 && overBytes(pending + part, limits.maxLineBytes)) {
            n += 1;
            out.push(tooLong(n));
            pending = "";
            skipping = true;
            break;
          }
          if (nl < 0) {
            pending += part;
            break;
          }
          const line = (pending + part).trim();
          pending = "";
          from = nl + 1;
          if (!line) continue;
          n += 1;
          out.push(overBytes(line, limits.maxLineBytes) ? tooLong(n) : parseOne(n, line, "the line"));
        }
        yield out;
      }
    } catch (error) {
      if (error instanceof DecodeError)
        throw badInput(
          `${fileName} cannot be read: ${error.message}`,
          "JSON uploads must be UTF-8: save the file as UTF-8",
        );
      throw error;
    }
    if (mode === "array") {
      array.end();
      return;
    }
    const last = pending.trim();
    if (last && !skipping) yield [parseOne(n + 1, last, "the line")];
  }
  const tooLong = (n: number): CsvRow => ({
    row: n,
    values: {},
    problem: `the line is longer than ${describeLimit(limits, "maxLineBytes", "line")}`,
  });
  return flatten(batches());
}

/** Whether arrays/objects in `text` nest deeper than `max` (strings skipped). */
export function depthOver(text: string, max: number): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      // skip the string
      for (i++; i < text.length; i++) {
        const s = text.charCodeAt(i);
        if (s === 92) i++;
        else if (s === 34) break;
      }
    } else if (c === 91 || c === 123) {
      if (++depth > max) return true;
    } else if (c === 93 || c === 125) depth--;
  }
  return false;
}

/** Splits the text of one top-level JSON array into its elements' texts, keeping at most one element. */
class ArrayScanner {
  private depth = 0;
  private inString = false;
  private escaped = false;
  private started = false;
  private closed = false;
  private element = "";
  private elementOver = false;
  private row = 0;
  private hasContent = false;

  constructor(
    private readonly limits: IngestLimits,
    private readonly fileName: string,
  ) {}

  push(text: string): { row: number; text: string; problem?: string }[] {
    const out: { row: number; text: string; problem?: string }[] = [];
    let from = 0; // start of the element part in `text`
    const keep = (to: number) => {
      if (this.elementOver) return;
      this.element += text.slice(from, to);
      if (overBytes(this.element, this.limits.maxRecordBytes)) {
        this.elementOver = true;
        this.element = "";
      }
    };
    const finish = (i: number) => {
      keep(i);
      const body = this.element.trim();
      if (this.elementOver || body || this.hasContent) {
        this.row += 1;
        out.push(
          this.elementOver
            ? {
                row: this.row,
                text: "",
                problem: `the element is longer than ${describeLimit(this.limits, "maxRecordBytes", "record")}`,
              }
            : { row: this.row, text: body },
        );
      }
      this.element = "";
      this.elementOver = false;
      this.hasContent = false;
      from = i + 1;
    };
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (this.closed) {
        if (c > 32) throw badInput(`${this.fileName} is not valid JSON: there is text after the closing ]`);
        continue;
      }
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === 92) this.escaped = true;
        else if (c === 34) this.inString = false;
        continue;
      }
      if (c === 34) {
        this.inString = true;
        this.hasContent = true;
      } else if (c === 91 || c === 123) {
        this.depth += 1;
        if (!this.started) {
          this.started = true;
          from = i + 1;
          continue;
        }
        this.hasContent = true;
        if (this.depth > this.limits.maxJsonDepth + 1) {
          throw overLimit(
            `${this.fileName} nests JSON too deeply (element ${this.row + 1})`,
            this.limits,
            "maxJsonDepth",
            "JSON depth",
          );
        }
      } else if (c === 93 || c === 125) {
        this.depth -= 1;
        if (this.depth === 0) {
          finish(i);
          this.closed = true;
        }
      } else if (c === 44 && this.depth === 1) finish(i);
      else if (c > 32) this.hasContent = true;
    }
    if (!this.closed) keep(text.length);
    return out;
  }

  end(): void {
    if (!this.closed)
      throw badInput(`${this.fileName} is not valid JSON: the array is never closed`, "check the end of the file");
  }
}
