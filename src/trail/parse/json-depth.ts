/**
 * How deeply a JSON text nests, measured on its bytes before anything parses it. V8's `JSON.parse`
 * copes with any depth, but everything after it that walks the value recursively (`JSON.stringify`
 * of each record, the Parquet writer, …) overflows the stack at a few thousand levels, and one such
 * file must not take a whole `trail load` down. CloudTrail records nest about 10–15 levels deep.
 *
 * One pass, no allocation: brackets inside strings do not count (UTF-8 continuation bytes never
 * equal `"`, `\`, `[` or `{`, so bytes are enough). A raw newline cannot be inside a valid JSON
 * string, so a line broken inside a string (JSON lines) does not shift the state of the next lines;
 * unmatched closers never go below zero. The result is the exact depth of a valid document, and an
 * upper bound of each line's depth in JSON lines.
 */
export const MAX_TRAIL_JSON_DEPTH = 100;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const NEWLINE = 0x0a;
const OPEN_ARRAY = 0x5b;
const OPEN_OBJECT = 0x7b;
const CLOSE_ARRAY = 0x5d;
const CLOSE_OBJECT = 0x7d;

export interface DepthExceeded {
  /** Byte offset (in the text as parsed, after any gunzip) where the limit was passed. */
  offset: number;
}

/** Where `bytes` first nests deeper than `maxDepth`, or undefined when it never does. */
export function findTooDeep(bytes: Uint8Array, maxDepth = MAX_TRAIL_JSON_DEPTH): DepthExceeded | undefined {
  let depth = 0;
  let inString = false;
  let escaped = false;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i] as number;
    if (byte === NEWLINE) {
      inString = false;
      escaped = false;
    } else if (inString) {
      if (escaped) escaped = false;
      else if (byte === BACKSLASH) escaped = true;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) inString = true;
    else if (byte === OPEN_ARRAY || byte === OPEN_OBJECT) {
      depth += 1;
      if (depth > maxDepth) return { offset: i };
    } else if ((byte === CLOSE_ARRAY || byte === CLOSE_OBJECT) && depth > 0) depth -= 1;
  }
  return undefined;
}
