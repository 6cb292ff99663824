/**
 * Looks at the first bytes of an upload and says what it is before anything parses it:
 * text in UTF-8 (with or without BOM), UTF-16, or Shift_JIS/CP932 — or a binary format that is
 * not a CSV (a zip/xlsx, gzip, PDF, or anything with NUL bytes).
 */
export type Sniffed =
  | { kind: "text"; encoding: "utf8" | "utf16le" | "shift_jis"; bom: boolean }
  | { kind: "xlsx" }
  | { kind: "gzip" }
  | { kind: "binary"; reason: string };

export function sniff(head: Buffer): Sniffed {
  if (head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) {
    return { kind: "xlsx" };
  }
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return { kind: "gzip" };
  if (head.subarray(0, 5).toString("latin1") === "%PDF-") return { kind: "binary", reason: "it is a PDF document" };
  if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) {
    return { kind: "text", encoding: "utf8", bom: true };
  }
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return { kind: "text", encoding: "utf16le", bom: true };
  if (head.includes(0)) return { kind: "binary", reason: "it contains NUL bytes, so it is not a text file" };
  if (isUtf8(head)) return { kind: "text", encoding: "utf8", bom: false };
  if (looksLikeShiftJis(head)) return { kind: "text", encoding: "shift_jis", bom: false };
  return { kind: "binary", reason: "it is neither UTF-8 nor Shift_JIS text" };
}

function isUtf8(buf: Buffer): boolean {
  // A multi-byte character may be cut at the end of the sample: drop up to 3 trailing bytes of one.
  let end = buf.length;
  for (let i = 1; i <= 3 && end - i >= 0; i++) {
    const b = buf[end - i] ?? 0;
    if ((b & 0xc0) === 0xc0) {
      end -= i;
      break;
    }
    if ((b & 0x80) === 0) break;
  }
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(buf.subarray(0, end));
    return true;
  } catch {
    return false;
  }
}

/** CP932 lead bytes 0x81–0x9F / 0xE0–0xFC followed by trail bytes 0x40–0x7E / 0x80–0xFC; half-width kana 0xA1–0xDF. */
function looksLikeShiftJis(buf: Buffer): boolean {
  let i = 0;
  while (i < buf.length) {
    const b = buf[i] ?? 0;
    if (b < 0x80 || (b >= 0xa1 && b <= 0xdf)) {
      i += 1;
      continue;
    }
    const lead = (b >= 0x81 && b <= 0x9f) || (b >= 0xe0 && b <= 0xfc);
    if (!lead) return false;
    const t = buf[i + 1];
    if (t === undefined) return true;
    if (!((t >= 0x40 && t <= 0x7e) || (t >= 0x80 && t <= 0xfc))) return false;
    i += 2;
  }
  return true;
}
