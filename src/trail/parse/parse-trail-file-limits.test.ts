/**
 * Pins the reader's limits: nesting up to `MAX_TRAIL_JSON_DEPTH` is read and one level more makes
 * the file unreadable with the limit named (balanced or not, in a whole document or in one JSON
 * line; brackets inside strings do not count); a file up to `maxBytes` decompressed is read and one
 * byte more is refused (plain and gzip); a truncated gzip, text that is not JSON and JSON that is
 * not CloudTrail are unreadable with their reasons; none of them throws.
 */
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { findTooDeep, MAX_TRAIL_JSON_DEPTH } from "./json-depth.js";
import { MAX_TRAIL_FILE_BYTES, parseTrailBytes } from "./parse-trail-file.js";

const rec = (id: string, extra: object = {}) => ({
  eventVersion: "1.08",
  eventID: id,
  eventName: "ListBuckets",
  ...extra,
});
const bytes = (text: string) => Buffer.from(text);
/** `{"Records":[{…,"n": [[…]]}]}` nesting exactly `depth` levels in all. */
const recordsNesting = (depth: number) => {
  const inner = depth - 3; // Records object, Records array, the record
  const text = JSON.stringify({ Records: [rec("deep", { n: 0 })] });
  return text.replace('"n":0', `"n":${"[".repeat(inner)}${"]".repeat(inner)}`);
};

describe("nesting depth", () => {
  it("reads a file nesting exactly MAX_TRAIL_JSON_DEPTH levels and refuses one level more", () => {
    const atLimit = parseTrailBytes("a.json", bytes(recordsNesting(MAX_TRAIL_JSON_DEPTH)));
    expect(atLimit.kind).toBe("log");
    expect(atLimit.records).toHaveLength(1);
    const over = parseTrailBytes("b.json", bytes(recordsNesting(MAX_TRAIL_JSON_DEPTH + 1)));
    expect(over.kind).toBe("unreadable");
    expect(over.problems[0]).toMatch(/nested deeper than 100 levels \(MAX_TRAIL_JSON_DEPTH\)/);
  });

  it("refuses 200,000 open brackets, balanced or not, without overflowing the stack", () => {
    for (const text of ["[".repeat(200_000), `${"[".repeat(200_000)}${"]".repeat(200_000)}`]) {
      const parsed = parseTrailBytes("deep.json", bytes(text));
      expect(parsed.kind).toBe("unreadable");
      expect(parsed.problems[0]).toMatch(/nested deeper than/);
    }
  });

  it("does not count brackets inside strings, escaped quotes included", () => {
    const text = JSON.stringify({ Records: [rec("s", { policy: `"\\${"[{".repeat(500)}` })] });
    expect(findTooDeep(bytes(text))).toBeUndefined();
    expect(parseTrailBytes("s.json", bytes(text)).records).toHaveLength(1);
  });

  it("refuses a too-deep JSON line; a line broken inside a string does not shift the next lines", () => {
    const deepLine = `{"eventID":"x","a":${"[".repeat(150)}${"]".repeat(150)}}`;
    const lines = [JSON.stringify(rec("a")), deepLine, JSON.stringify(rec("b"))].join("\n");
    expect(parseTrailBytes("l.jsonl", bytes(lines)).kind).toBe("unreadable");
    const broken = [JSON.stringify(rec("a")), '{"eventID": "b", "x": "unterminated [[[[', JSON.stringify(rec("c"))];
    const parsed = parseTrailBytes("l.jsonl", bytes(broken.join("\n")));
    expect(parsed.records).toHaveLength(2);
    expect(parsed.skipped).toBe(1);
  });
});

describe("file size", () => {
  const file = (size: number) => {
    const text = JSON.stringify({ Records: [rec("a")] });
    return bytes(text.padEnd(size, " "));
  };

  it("reads a file of exactly maxBytes and refuses one byte more, plain or gzip", () => {
    const maxBytes = 4096;
    expect(parseTrailBytes("a.json", file(maxBytes), { maxBytes }).records).toHaveLength(1);
    expect(parseTrailBytes("a.json.gz", gzipSync(file(maxBytes)), { maxBytes }).records).toHaveLength(1);
    for (const over of [file(maxBytes + 1), gzipSync(file(maxBytes + 1))]) {
      const parsed = parseTrailBytes("a.json", over, { maxBytes });
      expect(parsed.kind).toBe("unreadable");
      expect(parsed.problems[0]).toMatch(/larger than the limit of 4,096 bytes \(MAX_TRAIL_FILE_BYTES\) decompressed/);
    }
  });

  it("defaults to MAX_TRAIL_FILE_BYTES (128 MiB) and names it in MiB", () => {
    expect(MAX_TRAIL_FILE_BYTES).toBe(128 * 1024 * 1024);
    const gzipBomb = gzipSync(Buffer.alloc(MAX_TRAIL_FILE_BYTES + 1, 0x20), { level: 1 });
    const parsed = parseTrailBytes("bomb.json.gz", gzipBomb);
    expect(parsed.problems[0]).toMatch(/larger than the limit of 128 MiB/);
  });
});

describe("files that are not CloudTrail logs", () => {
  it("names a truncated gzip, text that is not JSON and JSON that is not CloudTrail", () => {
    const gz = gzipSync(JSON.stringify({ Records: [rec("a"), rec("b")] }));
    const cases: [Uint8Array, RegExp][] = [
      [gz.subarray(0, gz.length - 8), /corrupt or truncated gzip/],
      [bytes("hello, world"), /invalid JSON/],
      [bytes('{"hello": 1}'), /not CloudTrail: no `Records` array/],
      [bytes('{"Records": {"eventID": "a"}}'), /`Records` is not an array/],
      [bytes("42"), /not CloudTrail: the file holds a JSON number/],
    ];
    for (const [input, reason] of cases) {
      const parsed = parseTrailBytes("x.json", input);
      expect(parsed.kind).toBe("unreadable");
      expect(parsed.problems.join("; ")).toMatch(reason);
    }
  });
});
