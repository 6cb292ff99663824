import { gunzipSync } from "node:zlib";
import { isObject } from "./fields.js";
import { findTooDeep, MAX_TRAIL_JSON_DEPTH } from "./json-depth.js";
import { isDigest, isInsightRecord, looksLikeRecord, unwrapRecord } from "./record-shape.js";

/**
 * Bytes of one file → the CloudTrail records it holds. Pure and total: whatever the bytes are, the
 * answer is a `ParsedTrailFile`, never an exception. Accepted shapes: `{"Records":[...]}`, a bare
 * array, a single record, JSON lines (Logstash exports), arrays of wrappers (Panther test cases'
 * `Log`, `record`, `_source`, `detail`), and an object whose array properties hold such items.
 * Gzip is recognised by its magic bytes, not by the file name.
 *
 * Kinds: `digest` (log-file validation digests, no events), `insights` (every record is an
 * Insights event; in mixed files each record is marked instead, see `isInsight` on the event),
 * `empty`, `unreadable` (with the reason in `problems`), otherwise `log`.
 *
 * Limits (`ParseLimits`): a file larger than `MAX_TRAIL_FILE_BYTES` once decompressed, or nesting
 * deeper than `MAX_TRAIL_JSON_DEPTH` (checked on the bytes before parsing, see `json-depth.ts`),
 * is unreadable with the limit named in its reason; the rest of a load goes on without it.
 */
export type TrailFileKind = "log" | "digest" | "insights" | "empty" | "unreadable";

export interface ParsedTrailFile {
  kind: TrailFileKind;
  records: unknown[];
  /** Items that did not become records (broken JSON lines, digests inside a mixed file); `problems` says why. */
  skipped: number;
  problems: string[];
}

const MAX_LISTED_LINES = 20;

/** The largest file, decompressed, that is read: 128 MiB (CloudTrail delivers files of a few MB). */
export const MAX_TRAIL_FILE_BYTES = 128 * 1024 * 1024;

export interface ParseLimits {
  /** Bytes of one file after gunzip; default `MAX_TRAIL_FILE_BYTES`. */
  maxBytes?: number;
  /** Nesting of arrays and objects; default `MAX_TRAIL_JSON_DEPTH`. */
  maxDepth?: number;
}

const unreadable = (reason: string): ParsedTrailFile => ({
  kind: "unreadable",
  records: [],
  skipped: 0,
  problems: [reason],
});
const message = (error: unknown) => (error instanceof Error ? error.message : String(error));
const startsWith = (bytes: Uint8Array, magic: number[]) => magic.every((byte, i) => bytes[i] === byte);

const sizeText = (bytes: number) =>
  bytes < 1024 * 1024 ? `${bytes.toLocaleString("en-US")} bytes` : `${Math.round((bytes / 1024 / 1024) * 10) / 10} MiB`;
export const tooLarge = (maxBytes: number) =>
  unreadable(
    `larger than the limit of ${sizeText(maxBytes)} (MAX_TRAIL_FILE_BYTES) decompressed: split it into smaller files`,
  );

export function parseTrailBytes(relPath: string, bytes: Uint8Array, limits: ParseLimits = {}): ParsedTrailFile {
  const maxBytes = limits.maxBytes ?? MAX_TRAIL_FILE_BYTES;
  const maxDepth = limits.maxDepth ?? MAX_TRAIL_JSON_DEPTH;
  let data = bytes;
  if (startsWith(bytes, [0x1f, 0x8b])) {
    try {
      data = gunzipSync(bytes, { maxOutputLength: maxBytes });
    } catch (error) {
      if (error instanceof RangeError) return tooLarge(maxBytes);
      return unreadable(`corrupt or truncated gzip: ${message(error)}`);
    }
  }
  if (data.byteLength > maxBytes) return tooLarge(maxBytes);
  if (startsWith(data, [0x50, 0x4b, 0x03, 0x04]) || startsWith(data, [0x50, 0x4b, 0x05, 0x06])) {
    return unreadable("a zip archive, not JSON: unzip it and load the extracted folder");
  }
  const deep = findTooDeep(data, maxDepth);
  if (deep) {
    return unreadable(
      `nested deeper than ${maxDepth} levels (MAX_TRAIL_JSON_DEPTH) at byte ${deep.offset}: not a CloudTrail log (records nest about 15 levels)`,
    );
  }
  const text = Buffer.from(data.buffer, data.byteOffset, data.byteLength)
    .toString("utf8")
    .replace(/^\uFEFF/, "");
  if (text.trim() === "") return { kind: "empty", records: [], skipped: 0, problems: ["empty file"] };
  const inDigestFolder = /(^|\/)CloudTrail-Digest\//.test(relPath);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return parseJsonLines(text) ?? unreadable(`invalid JSON: ${message(error)}`);
  }
  if (inDigestFolder && isObject(value)) return { kind: "digest", records: [], skipped: 0, problems: [] };
  return fromValue(value);
}

function fromValue(value: unknown): ParsedTrailFile {
  if (Array.isArray(value)) return fromItems(value, false);
  if (!isObject(value))
    return unreadable(`not CloudTrail: the file holds a JSON ${value === null ? "null" : typeof value}`);
  if ("Records" in value) {
    return Array.isArray(value.Records) ? fromItems(value.Records, true) : unreadable("`Records` is not an array");
  }
  if (isDigest(value)) return { kind: "digest", records: [], skipped: 0, problems: [] };
  const unwrapped = unwrapRecord(value);
  if (looksLikeRecord(unwrapped)) return fromItems([unwrapped], true);
  const nested = Object.values(value).filter(Array.isArray).flat();
  if (nested.length > 0) return fromItems(nested, false);
  return unreadable(
    "not CloudTrail: no `Records` array and no CloudTrail fields (eventVersion, eventTime, userIdentity, …)",
  );
}

/** `trusted`: the items come from a `Records` array, so they are records even if they look odd. */
function fromItems(items: unknown[], trusted: boolean): ParsedTrailFile {
  const records: unknown[] = [];
  let digests = 0;
  for (const item of items) {
    const inner = unwrapRecord(item);
    if (isDigest(inner)) digests += 1;
    else records.push(inner);
  }
  const problems =
    digests > 0 ? [`${digests} digest object(s) set aside: digests describe log files, they are not events`] : [];
  if (records.length === 0) {
    if (digests > 0) return { kind: "digest", records, skipped: 0, problems: [] };
    return { kind: "empty", records, skipped: 0, problems: ["no records"] };
  }
  if (!trusted && !records.some(looksLikeRecord)) {
    return unreadable(
      `not CloudTrail: none of the ${records.length} objects has CloudTrail fields (eventVersion, eventTime, userIdentity, …)`,
    );
  }
  const kind = records.every(isInsightRecord) ? "insights" : "log";
  return { kind, records, skipped: digests, problems };
}

/** JSON lines: one object per line. Undefined when the text does not look like JSON lines at all. */
function parseJsonLines(text: string): ParsedTrailFile | undefined {
  const items: unknown[] = [];
  const broken: string[] = [];
  let lineNo = 0;
  for (const line of text.split(/\r?\n/)) {
    lineNo += 1;
    const trimmed = line.trim();
    if (trimmed === "") continue;
    try {
      const value: unknown = JSON.parse(trimmed);
      if (isObject(value)) items.push(value);
      else broken.push(`line ${lineNo}: not a JSON object`);
    } catch (error) {
      broken.push(`line ${lineNo}: invalid JSON (${message(error)})`);
    }
  }
  if (items.length === 0 || items.length + broken.length < 2 || items.length < broken.length) return undefined;
  const parsed = fromItems(items, false);
  if (parsed.kind === "unreadable") return parsed;
  const listed = broken.slice(0, MAX_LISTED_LINES);
  if (broken.length > listed.length) listed.push(`… and ${broken.length - listed.length} more broken lines`);
  return { ...parsed, skipped: parsed.skipped + broken.length, problems: [...listed, ...parsed.problems] };
}
