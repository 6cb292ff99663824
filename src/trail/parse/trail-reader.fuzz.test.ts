/**
 * Fuzzes the CloudTrail reader with fast-check: random CloudTrail-shaped records (fields missing or
 * of the wrong type, unicode, huge and tiny numbers, nested values, now and then one nesting past
 * MAX_TRAIL_JSON_DEPTH) in random framings (`{"Records":[…]}`, a bare array, JSON lines with LF or
 * CRLF, pretty-printed, extra JSON whitespace, a BOM, gzip or not, truncated or not). Pins:
 * - the reader never throws and answers within RESPONSIVE_MS per file;
 * - counts add up per file: records written = records parsed + items refused (JSON lines: lines =
 *   records + broken lines); a whole file is either read or unreadable with a reason;
 * - nothing is silently altered: every parsed record equals the generated one, `raw` parses back
 *   to it, and the flattened fields (eventID, eventName, region, IP, user agent, …) are the
 *   record's own values (strings as written, numbers and booleans as their text; a lone UTF-16
 *   surrogate, which the lake cannot store, becomes U+FFFD with a parse problem saying so);
 * - through the real load path (`loadTrailSource` into a lake): files = loaded + skipped +
 *   unreadable, records loaded = records of the readable files, and the lake's rows read back
 *   equal the records' fields.
 * Runs: CATDATA_FUZZ_RUNS (default 40, a few seconds in `npm test`); `npm run fuzz` runs 2,000.
 */
import { performance } from "node:perf_hooks";
import { gzipSync } from "node:zlib";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { queryTrailLake, tempTrailLake } from "../../testing/trail.js";
import { loadTrailSource } from "../lake/load-trail.js";
import { MAX_TRAIL_JSON_DEPTH } from "./json-depth.js";
import { normaliseRecord } from "./normalise.js";
import { parseTrailBytes } from "./parse-trail-file.js";
import { wellFormed } from "./well-formed.js";

const RUNS = Number(process.env.CATDATA_FUZZ_RUNS ?? 40);
/** A file of these sizes parses in milliseconds; a second means something went quadratic or hung. */
const RESPONSIVE_MS = 2_000;
const LAKE_RUNS = Math.max(3, Math.ceil(RUNS / 10));

/** Keys the reader treats specially when records are not in a `Records` array; random keys avoid them. */
const RESERVED = new Set(["Log", "record", "_source", "detail", "digestStartTime", "logFiles", "Records"]);

const text = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 20 }),
  fc.string({ unit: "binary", maxLength: 20 }),
  // JSON may escape any UTF-16 code unit, lone surrogates (`"\ud800"`) included.
  fc.string({
    unit: fc.oneof(
      fc.integer({ min: 0xd800, max: 0xdfff }).map((u) => String.fromCharCode(u)),
      fc.constant("a"),
    ),
    maxLength: 6,
  }),
  fc.constantFrom("", " ", "ListBuckets", "s3.amazonaws.com", "198.51.100.7", "eu-west-2r", "aws-cli/2.13.0"),
  fc.string({ unit: "grapheme-ascii", minLength: 2_000, maxLength: 20_000 }),
);
const number = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => (Object.is(n, -0) ? 0 : n)),
  fc.constantFrom(Number.MAX_SAFE_INTEGER, Number.MAX_VALUE, Number.MIN_VALUE, 1e21, -1),
);
/** A JSON value as JSON.stringify writes it and JSON.parse reads it back unchanged. */
const leaf = fc.oneof(text, number, fc.boolean(), fc.constant(null));
const nested = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: "small", withCrossShrink: true }, leaf, tie("array"), tie("object")),
  array: fc.array(tie("value"), { maxLength: 4 }),
  object: fc.dictionary(
    text.filter((k) => !RESERVED.has(k)),
    tie("value"),
    { maxKeys: 4 },
  ),
})).value;
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 3 });
const time = fc.oneof(
  fc
    .date({ min: new Date("1990-01-01"), max: new Date("2100-01-01"), noInvalidDate: true })
    .map((d) => d.toISOString()),
  fc.date({ min: new Date("2000-01-01"), max: new Date("2099-01-01"), noInvalidDate: true }).map((d) => d.getTime()),
  text,
);
const identity = fc.record(
  {
    type: fc.oneof(fc.constantFrom("IAMUser", "AssumedRole", "Root", "AWSService", "AWSAccount", "Unknown"), text),
    userName: text,
    arn: fc.oneof(fc.constant("arn:aws:iam::123456789012:user/bert-jan"), text),
    accountId: fc.oneof(text, number),
    principalId: text,
    invokedBy: text,
  },
  { requiredKeys: [] },
);

type Generated = Record<string, unknown>;
const cloudTrailRecord: fc.Arbitrary<Generated> = fc
  .record({
    fields: fc.record(
      {
        eventVersion: fc.oneof(fc.constant("1.08"), text, number),
        eventID: fc.oneof(fc.uuid(), text, number, fc.boolean(), nested),
        eventTime: time,
        eventSource: fc.oneof(text, number),
        eventName: fc.oneof(text, number, fc.boolean()),
        awsRegion: text,
        sourceIPAddress: fc.oneof(fc.ipV4(), fc.ipV6(), text),
        userAgent: text,
        userIdentity: fc.oneof(identity, nested),
        errorCode: text,
        errorMessage: text,
        readOnly: fc.oneof(fc.boolean(), text),
        recipientAccountId: fc.oneof(text, number),
        requestParameters: nested,
        resources: fc.array(fc.record({ type: text, ARN: text }, { requiredKeys: [] }), { maxLength: 3 }),
      },
      { requiredKeys: [] },
    ),
    extra: fc.dictionary(
      text.filter((k) => !RESERVED.has(k)),
      nested,
      { maxKeys: 3 },
    ),
  })
  .map(({ fields, extra }) => ({ ...extra, ...fields }));

const framing = fc.record({
  shape: fc.constantFrom("records", "array", "lines"),
  indent: fc.constantFrom(undefined, 2, "\t"),
  lineEnd: fc.constantFrom("\n", "\r\n"),
  before: fc.stringMatching(/^[ \t\r\n]{0,4}$/),
  after: fc.stringMatching(/^[ \t\r\n]{0,4}$/),
  bom: fc.boolean(),
  gzip: fc.boolean(),
  /** Where to cut the file, as a fraction of its length; undefined keeps it whole. */
  cut: maybe(fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true })),
  /** One record in ten gets a value nesting past MAX_TRAIL_JSON_DEPTH. */
  tooDeep: fc.oneof({ arbitrary: fc.constant(false), weight: 9 }, { arbitrary: fc.constant(true), weight: 1 }),
});
type Framing = typeof framing extends fc.Arbitrary<infer F> ? F : never;

interface Written {
  bytes: Buffer;
  records: Generated[];
  /** The JSON lines framing was used (two or more records, one per line). */
  lines: boolean;
  /** Bytes were cut off (a strict prefix of the file). */
  truncated: boolean;
  /** The text as written, before gzip and cut. */
  text: string;
  /** One record holds a value nesting past MAX_TRAIL_JSON_DEPTH. */
  tooDeep: boolean;
}

const deepValue = (depth: number): unknown => {
  let value: unknown = [];
  for (let i = 1; i < depth; i++) value = [value];
  return value;
};

function write(generated: Generated[], f: Framing): Written {
  const records =
    f.tooDeep && generated.length > 0
      ? [{ ...generated[0], deep: deepValue(MAX_TRAIL_JSON_DEPTH) }, ...generated.slice(1)]
      : generated;
  const lines = f.shape === "lines" && records.length >= 2;
  const body = lines
    ? records.map((r) => JSON.stringify(r)).join(f.lineEnd)
    : JSON.stringify(f.shape === "records" ? { Records: records } : records, null, f.indent);
  const written = `${f.bom ? "\uFEFF" : ""}${f.before}${body}${f.after}`;
  const plain = Buffer.from(written, "utf8");
  const whole = f.gzip ? gzipSync(plain) : plain;
  const cutAt = f.cut === undefined ? whole.length : Math.floor(f.cut * whole.length);
  const tooDeep = records !== generated;
  return { bytes: whole.subarray(0, cutAt), records, lines, truncated: cutAt < whole.length, text: written, tooDeep };
}

const looksLikeRecord = (r: Generated) =>
  [
    "eventVersion",
    "eventTime",
    "eventID",
    "userIdentity",
    "awsRegion",
    "sourceIPAddress",
    "recipientAccountId",
    "requestParameters",
    "responseElements",
    "eventType",
    "userAgent",
    "requestID",
    "errorCode",
  ].some((key) => key in r);

/** What a CloudTrail string field should flatten to: the value as written, numbers and booleans as text. */
function asText(value: unknown): string | null {
  if (typeof value === "string") return value.length > 0 ? wellFormed(value) : null;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  if (typeof value === "boolean") return String(value);
  return null;
}

function expectFieldsKept(record: Generated, index: number) {
  const event = normaliseRecord(record, { file: "f.json", index });
  expect(JSON.parse(event.raw)).toEqual(record);
  const loneSurrogate = Object.values(event).some(
    (v) => typeof v === "string" && v !== event.raw && v.includes("\ufffd"),
  );
  if (loneSurrogate && !JSON.stringify(record).includes("\ufffd"))
    expect(event.parseProblems.join("; ")).toMatch(/invalid unicode \(lone surrogate\)/);
  const id = asText(record.eventID);
  if (id !== null) expect(event.eventId).toBe(id);
  else expect(event.eventId).toMatch(/^raw-[0-9a-f]{32}$/);
  expect(event.eventName).toBe(asText(record.eventName));
  expect(event.region).toBe(asText(record.awsRegion));
  expect(event.sourceIp).toBe(asText(record.sourceIPAddress));
  expect(event.userAgent).toBe(asText(record.userAgent));
  expect(event.errorCode).toBe(asText(record.errorCode));
  expect(event.errorMessage).toBe(asText(record.errorMessage));
  if (typeof record.eventTime === "string" && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(record.eventTime)) {
    expect(event.eventTime).toBe(record.eventTime);
  }
  if (Array.isArray(record.resources)) {
    const resources = record.resources as Generated[];
    expect(event.resources).toEqual(resources.map((r) => ({ type: asText(r.type), arn: asText(r.ARN) })));
  }
  return event;
}

/**
 * Checks one file's answer against what was written; returns the records it should have given.
 * A file cut down to nothing (or whitespace) reads as an empty file.
 */
function checkFile(w: Written, parsed: ReturnType<typeof parseTrailBytes>): Generated[] {
  if (parsed.kind === "unreadable") {
    expect(parsed.records).toEqual([]);
    expect(parsed.problems.join("; ")).not.toBe("");
  }
  if (w.truncated && w.bytes[0] !== 0x1f && textOf(w).trim() === "") {
    expect(parsed.kind).toBe("empty");
    return [];
  }
  const stillWhole = w.truncated && lostOnlyWhitespace(w);
  if (w.tooDeep) {
    expect(parsed.kind).toBe("unreadable");
    if (!w.truncated) expect(parsed.problems[0]).toMatch(/nested deeper than/);
    return [];
  }
  if (!w.truncated || stillWhole) {
    const trusted =
      !w.lines &&
      w.text
        .trimStart()
        .replace(/^\uFEFF\s*/, "")
        .startsWith("{");
    if (w.records.length === 0) expect(parsed.kind).toBe("empty");
    else if (!trusted && !w.records.some(looksLikeRecord)) expect(parsed.kind).toBe("unreadable");
    else {
      expect(["log", "insights"]).toContain(parsed.kind);
      expect(parsed.records).toEqual(w.records);
      expect(parsed.records.length + parsed.skipped).toBe(w.records.length);
    }
    return parsed.kind === "unreadable" ? [] : w.records;
  }
  // Truncated: a gzip or a single JSON document cannot be read; JSON lines keep their whole lines.
  if (!w.lines) {
    expect(parsed.kind).toBe("unreadable");
    return [];
  }
  if (parsed.kind === "unreadable") return [];
  const nonBlank = textOf(w)
    .split(/\r?\n/)
    .filter((line) => line.trim() !== "").length;
  expect(parsed.records.length + parsed.skipped).toBe(nonBlank);
  expect(parsed.records).toEqual(w.records.slice(0, parsed.records.length));
  return parsed.records as Generated[];
}

/** The text the cut bytes hold (plain files only). */
const textOf = (w: Written) => w.bytes.toString("utf8").replace(/^\uFEFF/, "");
/** A cut plain file that lost only trailing whitespace reads as the whole file. */
function lostOnlyWhitespace(w: Written): boolean {
  if (w.bytes[0] === 0x1f) return false;
  const kept = textOf(w);
  const whole = w.text.replace(/^\uFEFF/, "");
  return whole.startsWith(kept) && whole.slice(kept.length).trim() === "";
}

describe("the CloudTrail reader under fuzzing", () => {
  it("reads every framing of random records: counts add up, nothing altered, never throws", () => {
    fc.assert(
      fc.property(fc.array(cloudTrailRecord, { maxLength: 6 }), framing, (generated, f) => {
        const w = write(generated, f);
        const started = performance.now();
        const parsed = parseTrailBytes("fuzz/file.json", w.bytes);
        const kept = checkFile(w, parsed);
        for (const [index, record] of kept.entries()) expectFieldsKept(record, index);
        expect(performance.now() - started).toBeLessThan(RESPONSIVE_MS);
      }),
      { numRuns: RUNS },
    );
  }, 120_000);

  it("loads random folders into the lake: files and records add up, rows keep the fields", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.array(cloudTrailRecord, { maxLength: 4 }), framing), { minLength: 1, maxLength: 4 }),
        async (files) => {
          const written = files.map(([generated, f]) => write(generated, f));
          const byName = new Map(written.map((w, i) => [`f${i}.json`, w]));
          const lake = tempTrailLake("catdata-fuzz-");
          const summary = await loadTrailSource(lake, {
            location: "memory://fuzz",
            list: async () => [...byName.keys()],
            read: async (rel) => byName.get(rel)?.bytes ?? Buffer.alloc(0),
          });
          expect(summary.filesSeen).toBe(files.length);
          expect(summary.filesLoaded + summary.filesSkipped + summary.unreadableFiles.length).toBe(files.length);
          const unreadable = new Set(summary.unreadableFiles.map((u) => u.path));
          const expected = new Map<string, Generated[]>();
          for (const [name, w] of byName) {
            const parsed = parseTrailBytes(name, w.bytes);
            expect(unreadable.has(name)).toBe(parsed.kind === "unreadable");
            if (parsed.kind !== "unreadable") expected.set(name, checkFile(w, parsed));
          }
          const rows = await queryTrailLake<{ f: string; i: number; id: string; name: string | null; raw: string }>(
            lake,
            "SELECT source_file AS f, record_index AS i, event_id AS id, event_name AS name, raw FROM events ORDER BY 1, 2",
          );
          // A file with the same bytes as an earlier one is skipped; every other readable file has all its rows.
          const firstOfItsBytes = [...expected.keys()].filter(
            (name, i, names) =>
              !names
                .slice(0, i)
                .some((other) => byName.get(other)?.bytes.equals(byName.get(name)?.bytes ?? Buffer.alloc(0))),
          );
          const loaded = firstOfItsBytes.reduce((sum, name) => sum + (expected.get(name)?.length ?? 0), 0);
          expect(summary.recordsLoaded).toBe(loaded);
          expect(rows.length).toBe(loaded);
          for (const row of rows) {
            const record = expected.get(row.f)?.[row.i];
            expect(record).toBeDefined();
            expect(JSON.parse(row.raw)).toEqual(record);
            expect(row.name).toBe(asText(record?.eventName));
            const id = asText(record?.eventID);
            if (id !== null) expect(row.id).toBe(id);
          }
        },
      ),
      { numRuns: LAKE_RUNS },
    );
  }, 300_000);
});
