import { isAscii, isUtf8 } from "node:buffer";
import iconv from "iconv-lite";

/**
 * Decodes an upload's bytes to text FATALLY, over the whole file, in pieces of at most `PIECE_BYTES`
 * (so no one step holds the event loop long), and yields to the event loop between pieces.
 *
 * - UTF-8: every piece is validated; a character cut at a piece boundary is carried to the next one.
 *   When a byte that is not UTF-8 comes after nothing but ASCII (a Shift_JIS file whose first 64 KiB,
 *   the sniffed head, were ASCII), decoding goes on as CP932 from that byte: ASCII reads the same in
 *   both, so nothing already decoded changes. Otherwise the file is refused at that byte.
 * - Shift_JIS (CP932, via iconv-lite): a byte sequence CP932 does not map is refused (iconv-lite would
 *   write U+FFFD, which CP932 cannot encode, so U+FFFD in its output always means a bad sequence).
 * - UTF-16LE: decoded with a fatal TextDecoder.
 *
 * A refusal yields the text before the bad byte first, then throws `DecodeError` with its offset, so
 * the reader can name the row it is in. Nothing here ever emits U+FFFD for bytes that were not U+FFFD.
 */
export type TextEncoding = "utf8" | "utf16le" | "shift_jis";

/** Bytes decoded per step; an incoming chunk larger than this is cut. */
export const PIECE_BYTES = 64 * 1024;
/** Longest run of synchronous work before the decoder lets timers and I/O run. */
export const YIELD_AFTER_MS = 5;

export class DecodeError extends Error {
  constructor(
    readonly byteOffset: number,
    readonly encoding: string,
    readonly detail: string,
  ) {
    super(`the byte at offset ${byteOffset} is not valid ${encoding} (${detail})`);
    this.name = "DecodeError";
  }
}

export interface DecodeOptions {
  /** Go on as CP932 when a non-UTF-8 byte comes after pure ASCII (only for UTF-8 files without a BOM). */
  shiftJisFallback?: boolean;
  /** Told once when decoding switched to CP932. */
  onSwitch?: (encoding: "shift_jis", byteOffset: number) => void;
}

export const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Cuts chunks into pieces of at most PIECE_BYTES and yields to the event loop every YIELD_AFTER_MS. */
async function* pieces(source: AsyncIterable<Buffer | string>): AsyncGenerator<Buffer> {
  let last = performance.now();
  for await (const raw of source) {
    const chunk = typeof raw === "string" ? Buffer.from(raw) : raw;
    for (let i = 0; i < chunk.length; i += PIECE_BYTES) {
      yield i === 0 && chunk.length <= PIECE_BYTES ? chunk : chunk.subarray(i, i + PIECE_BYTES);
      const now = performance.now();
      if (now - last > YIELD_AFTER_MS) {
        await yieldToEventLoop();
        last = performance.now();
      }
    }
  }
}

export async function* decodeText(
  source: AsyncIterable<Buffer | string>,
  encoding: TextEncoding,
  options: DecodeOptions = {},
): AsyncGenerator<string> {
  if (encoding === "utf16le") return yield* decodeUtf16(source);
  let mode: "utf8" | "cp932" = encoding === "utf8" ? "utf8" : "cp932";
  let carry: Buffer | undefined;
  let offset = 0; // bytes of the file before `buf`
  let asciiSoFar = true;
  for await (const piece of pieces(source)) {
    let buf = carry ? Buffer.concat([carry, piece]) : piece;
    carry = undefined;
    if (mode === "utf8") {
      const cut = completeUtf8(buf);
      const whole = buf.subarray(0, cut);
      if (isUtf8(whole)) {
        if (asciiSoFar && !isAscii(whole)) asciiSoFar = false;
        if (cut > 0) yield whole.toString("utf8");
        if (cut < buf.length) carry = Buffer.from(buf.subarray(cut));
        offset += cut;
        continue;
      }
      const bad = firstInvalidUtf8(buf);
      const prefix = buf.subarray(0, bad);
      if (!(options.shiftJisFallback && asciiSoFar && isAscii(prefix))) {
        if (bad > 0) yield prefix.toString("utf8");
        throw new DecodeError(offset + bad, "UTF-8", describeBytes(buf, bad));
      }
      if (bad > 0) yield prefix.toString("latin1");
      offset += bad;
      buf = buf.subarray(bad);
      mode = "cp932";
      options.onSwitch?.("shift_jis", offset);
    }
    const { text, used, badAt } = decodeCp932(buf);
    if (text) yield text;
    if (badAt !== undefined) throw new DecodeError(offset + badAt, "Shift_JIS (CP932)", describeBytes(buf, badAt));
    if (used < buf.length) carry = Buffer.from(buf.subarray(used));
    offset += used;
  }
  if (carry && carry.length > 0 && mode === "utf8" && options.shiftJisFallback && asciiSoFar) {
    const { text, used, badAt } = decodeCp932(carry);
    if (badAt === undefined && used === carry.length) {
      options.onSwitch?.("shift_jis", offset);
      if (text) yield text;
      return;
    }
  }
  if (carry && carry.length > 0) {
    const what = mode === "utf8" ? "UTF-8" : "Shift_JIS (CP932)";
    throw new DecodeError(offset, what, `the file ends inside a character: ${describeBytes(carry, 0)}`);
  }
}

/** Index after the last complete UTF-8 sequence, leaving out a character cut at the end (≤ 3 bytes). */
function completeUtf8(buf: Buffer): number {
  const end = buf.length;
  for (let i = 1; i <= 3 && end - i >= 0; i++) {
    const b = buf[end - i] ?? 0;
    if ((b & 0xc0) === 0x80) continue; // continuation: look further back
    if ((b & 0x80) === 0) return end; // ASCII: complete
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
    return need > i ? end - i : end;
  }
  return end;
}

/** Offset of the first byte that starts no valid UTF-8 sequence (only called when there is one). */
function firstInvalidUtf8(buf: Buffer): number {
  let i = 0;
  while (i < buf.length) {
    const b = buf[i] ?? 0;
    if (b < 0x80) {
      i += 1;
      continue;
    }
    const len = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (len === 0 || i + len > buf.length || !isUtf8(buf.subarray(i, i + len))) return i;
    i += len;
  }
  return buf.length;
}

const isLead = (b: number) => (b >= 0x81 && b <= 0x9f) || (b >= 0xe0 && b <= 0xfc);

/** Decodes complete CP932 characters; `used` bytes were consumed; `badAt` is the first unmapped one. */
function decodeCp932(buf: Buffer): { text: string; used: number; badAt?: number } {
  let used = buf.length;
  // Find the last character boundary: scan forward over lead/trail pairs (a trail byte can look like a lead).
  for (let i = 0; i < buf.length; i++) {
    if (isLead(buf[i] ?? 0)) {
      if (i + 1 >= buf.length) {
        used = i;
        break;
      }
      i += 1;
    }
  }
  const text = iconv.decode(buf.subarray(0, used), "cp932", { stripBOM: false });
  const bad = text.indexOf("\uFFFD");
  if (bad < 0) return { text, used };
  // Locate the byte: decode character by character up to the first one CP932 does not map.
  let i = 0;
  while (i < used) {
    const len = isLead(buf[i] ?? 0) ? 2 : 1;
    if (iconv.decode(buf.subarray(i, i + len), "cp932", { stripBOM: false }).includes("\uFFFD")) break;
    i += len;
  }
  return { text: iconv.decode(buf.subarray(0, i), "cp932", { stripBOM: false }), used: i, badAt: i };
}

async function* decodeUtf16(source: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const decoder = new TextDecoder("utf-16le", { fatal: true, ignoreBOM: true });
  let offset = 0;
  for await (const piece of pieces(source)) {
    try {
      const text = decoder.decode(piece, { stream: true });
      if (text) yield text;
    } catch {
      throw new DecodeError(offset, "UTF-16LE", "an unpaired surrogate in this part of the file");
    }
    offset += piece.length;
  }
  try {
    const rest = decoder.decode();
    if (rest) yield rest;
  } catch {
    throw new DecodeError(offset, "UTF-16LE", "the file ends inside a character");
  }
}

function describeBytes(buf: Buffer, at: number): string {
  const hex = [...buf.subarray(at, at + 4)].map((b) => `0x${b.toString(16).padStart(2, "0")}`).join(" ");
  return `bytes ${hex}`;
}
