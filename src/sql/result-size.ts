import { CatdataError } from "../errors.js";

/**
 * The byte cap on results (`CATDATA_MAX_RESULT_BYTES`, `config.results.maxBytes`), enforced while a
 * result is serialised: bytes are counted piece by piece and serialising stops at the first piece
 * past the cap, so a huge result is refused with a clear 400 instead of being built whole (which,
 * past V8's string limit of about 512 MiB, fails as a 500). Used for the CSV result files
 * (`query-service.ts`) and the API's JSON answers (`src/api/result-json.ts`).
 */
export function resultTooLarge(maxBytes: number): CatdataError {
  return new CatdataError("BAD_INPUT", `the result is larger than ${maxBytes.toLocaleString("en-US")} bytes`, {
    hint:
      "narrow the query: add a LIMIT (or a smaller maxRows), a WHERE filter, fewer columns, or aggregate; " +
      "for a large export, filter it and page through it (the cap is CATDATA_MAX_RESULT_BYTES)",
  });
}

/** Counts UTF-8 bytes as pieces are added; throws `resultTooLarge` at the first piece past the cap. */
export class ByteBudget {
  private used = 0;
  private readonly pieces: string[] = [];

  constructor(readonly maxBytes: number) {}

  get bytes(): number {
    return this.used;
  }

  /** Throws when `chars` UTF-16 units cannot fit (each is at least one byte): checked before building a big piece. */
  assertRoomFor(chars: number): void {
    if (this.used + chars > this.maxBytes) throw resultTooLarge(this.maxBytes);
  }

  add(piece: string): void {
    this.assertRoomFor(piece.length);
    this.used += Buffer.byteLength(piece);
    if (this.used > this.maxBytes) throw resultTooLarge(this.maxBytes);
    this.pieces.push(piece);
  }

  text(): string {
    return this.pieces.join("");
  }
}

/** `JSON.stringify(value)`, piece by piece within `maxBytes` (plain data: objects, arrays, strings, numbers, dates). */
export function jsonWithin(value: unknown, maxBytes: number): string {
  const budget = new ByteBudget(maxBytes);
  writeJson(value, budget);
  return budget.text();
}

/** The pieces of `lines` joined, within `maxBytes`; stops pulling lines at the first past the cap. */
export function linesWithin(lines: Iterable<string>, maxBytes: number): string {
  const budget = new ByteBudget(maxBytes);
  for (const line of lines) budget.add(line);
  return budget.text();
}

const skipped = (v: unknown) => v === undefined || typeof v === "function" || typeof v === "symbol";
/**
 * A value whose strings, keys and numbers add up to at most this many characters is stringified in
 * one piece (at most ~6× larger once escaped: a few hundred KiB), which is ten times faster than
 * piece by piece; anything bigger is walked.
 */
const SMALL_CHARS = 64 * 1024;

/** About how many characters `value`'s JSON needs before escaping, counted up to `limit` (then `limit + 1`). */
function roughChars(value: unknown, limit: number): number {
  if (typeof value === "string") return value.length + 2;
  if (value === null || typeof value !== "object") return 24;
  if (typeof (value as { toJSON?: unknown }).toJSON === "function") return 64;
  let total = 2;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length && total <= limit; i++) total += 1 + roughChars(value[i], limit - total);
  } else {
    const record = value as Record<string, unknown>;
    for (const key in record) {
      if (!Object.hasOwn(record, key)) continue;
      total += key.length + 4 + roughChars(record[key], limit - total);
      if (total > limit) break;
    }
  }
  return total > limit ? limit + 1 : total;
}

function writeJson(value: unknown, budget: ByteBudget): void {
  if (typeof value === "object" && value !== null && roughChars(value, SMALL_CHARS) <= SMALL_CHARS) {
    budget.add(JSON.stringify(value) ?? "null");
    return;
  }
  if (typeof value === "string") {
    budget.assertRoomFor(value.length + 2); // before JSON.stringify copies a string that cannot fit
    budget.add(JSON.stringify(value));
    return;
  }
  if (value === null || typeof value !== "object") {
    budget.add(JSON.stringify(value) ?? "null");
    return;
  }
  const toJson = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJson === "function") {
    writeJson(toJson.call(value), budget); // a Date, as JSON.stringify writes it
    return;
  }
  if (Array.isArray(value)) {
    // Small items (rows) go in batches of about SMALL_CHARS, each stringified at once; big ones are walked.
    budget.add("[");
    let batch: unknown[] = [];
    let batchChars = 0;
    let wrote = false;
    const flush = () => {
      if (batch.length === 0) return;
      budget.add(`${wrote ? "," : ""}${JSON.stringify(batch).slice(1, -1)}`);
      wrote = true;
      batch = [];
      batchChars = 0;
    };
    for (const item of value) {
      const chars = roughChars(item, SMALL_CHARS);
      if (chars > SMALL_CHARS) {
        flush();
        if (wrote) budget.add(",");
        writeJson(item, budget);
        wrote = true;
        continue;
      }
      if (batchChars + chars > SMALL_CHARS) flush();
      batch.push(item);
      batchChars += chars;
    }
    flush();
    budget.add("]");
    return;
  }
  budget.add("{");
  let first = true;
  for (const [key, item] of Object.entries(value)) {
    if (skipped(item)) continue;
    budget.add(`${first ? "" : ","}${JSON.stringify(key)}:`);
    first = false;
    writeJson(item, budget);
  }
  budget.add("}");
}
