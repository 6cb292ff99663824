/**
 * Pins the reader: which files it picks (suffixes, order, hidden entries), the shapes it accepts
 * (`{"Records"}`, bare array, single record, JSON lines, wrappers, containers of arrays), gzip by
 * magic bytes, and the kinds (digest, insights, empty, unreadable with a reason — never a throw).
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { parseTrailBytes } from "../parse/parse-trail-file.js";
import { readTrailFolder, type TrailFile } from "./read-files.js";

const rec = (id: string, extra: object = {}) => ({
  eventVersion: "1.08",
  eventID: id,
  eventName: "ListBuckets",
  ...extra,
});
const bytes = (value: unknown) => Buffer.from(typeof value === "string" ? value : JSON.stringify(value));
const parse = (value: unknown, rel = "x.json") => parseTrailBytes(rel, bytes(value));

async function readAll(root: string): Promise<TrailFile[]> {
  const out: TrailFile[] = [];
  for await (const file of readTrailFolder(root)) out.push(file);
  return out;
}

describe("parseTrailBytes", () => {
  it("accepts Records, a bare array and a single record", () => {
    expect(parse({ Records: [rec("a"), rec("b")] }).records).toHaveLength(2);
    expect(parse([rec("a"), rec("b"), rec("c")]).records).toHaveLength(3);
    const single = parse(rec("a"));
    expect(single.kind).toBe("log");
    expect(single.records).toEqual([rec("a")]);
  });

  it("reads JSON lines and reports a broken line while keeping the others", () => {
    const text = `${JSON.stringify(rec("a"))}\n{"eventID": "b", broken\n${JSON.stringify(rec("c"))}\n`;
    const parsed = parse(text, "export.json");
    expect(parsed.kind).toBe("log");
    expect(parsed.records.map((r) => (r as { eventID: string }).eventID)).toEqual(["a", "c"]);
    expect(parsed.skipped).toBe(1);
    expect(parsed.problems[0]).toMatch(/^line 2: invalid JSON/);
  });

  it("detects gzip by its magic bytes, whatever the name, and reports a truncated one", () => {
    const gz = gzipSync(bytes({ Records: [rec("a")] }));
    expect(parseTrailBytes("plain-name.json", gz).records).toHaveLength(1);
    const truncated = parseTrailBytes("cut.json.gz", gz.subarray(0, gz.length - 12));
    expect(truncated.kind).toBe("unreadable");
    expect(truncated.problems[0]).toMatch(/gzip/);
  });

  it("calls a zip archive, invalid JSON and a non-CloudTrail catalogue unreadable, with reasons", () => {
    const zip = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(40)]);
    expect(parseTrailBytes("a.json", zip).problems[0]).toMatch(/zip archive/);
    const bad = parse('{"Records": [ {"eventID": "a"', "b.json");
    expect(bad.kind).toBe("unreadable");
    expect(bad.problems[0]).toMatch(/invalid JSON/);
    const catalogue = parse([{ eventName: "CreateUser", eventSource: "iam.amazonaws.com", usedInWild: true }]);
    expect(catalogue.kind).toBe("unreadable");
    expect(catalogue.problems[0]).toMatch(/not CloudTrail/);
    expect(parse(42).kind).toBe("unreadable");
  });

  it("knows empty files, empty arrays and empty Records", () => {
    expect(parse("").kind).toBe("empty");
    expect(parse("  \n").kind).toBe("empty");
    expect(parse([]).kind).toBe("empty");
    expect(parse({ Records: [] }).kind).toBe("empty");
  });

  it("recognises digests by content and by their folder", () => {
    expect(parse({ digestStartTime: "2015-08-17T14:01:31Z", logFiles: [] }).kind).toBe("digest");
    const inFolder = parse({ awsAccountId: "1" }, "AWSLogs/1/CloudTrail-Digest/us-east-1/d.json.gz");
    expect(inFolder.kind).toBe("digest");
  });

  it("keeps Insights apart: kind insights when every record is one", () => {
    const insight = rec("i", { eventType: "AwsCloudTrailInsight", eventCategory: "Insight", insightDetails: {} });
    expect(parse({ Records: [insight] }).kind).toBe("insights");
    expect(parse({ Records: [insight, rec("a")] }).kind).toBe("log");
  });

  it("unwraps test cases (Log), doc extracts (record) and sets aside digests in a mixed container", () => {
    const cases = [{ rule: "r", test: "t", expectedResult: true, Log: rec("a") }];
    expect(parse(cases).records).toEqual([rec("a")]);
    const container = {
      _note: "extracted",
      records: [{ source: "a.md", record: rec("a") }],
      insight: [{ source: "b.md", record: rec("i", { eventCategory: "Insight" }) }],
      digest: [{ source: "c.md", record: { digestStartTime: "2015-08-17T14:01:31Z" } }],
    };
    const parsed = parse(container);
    expect(parsed.kind).toBe("log");
    expect(parsed.records).toHaveLength(2);
    expect(parsed.skipped).toBe(1);
    expect(parsed.problems[0]).toMatch(/1 digest object/);
  });
});

describe("readTrailFolder", () => {
  it("walks recursively in sorted order, picks trail suffixes only, and hashes the bytes", async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), "catdata-read-"));
    mkdirSync(path.join(root, "b", "deep"), { recursive: true });
    mkdirSync(path.join(root, ".hidden"));
    writeFileSync(path.join(root, "b", "deep", "z.json.gz"), gzipSync(bytes([rec("z")])));
    writeFileSync(path.join(root, "a.json"), bytes([rec("a")]));
    writeFileSync(path.join(root, "c.jsonl"), `${JSON.stringify(rec("c1"))}\n${JSON.stringify(rec("c2"))}\n`);
    writeFileSync(path.join(root, "B.cloudtrail"), bytes(rec("B")));
    writeFileSync(path.join(root, "d.json.cloudtrail"), bytes([]));
    for (const other of ["notes.csv", "meta.yaml", "LICENSE", ".hidden/x.json"])
      writeFileSync(path.join(root, other), "x");
    const files = await readAll(root);
    expect(files.map((f) => f.path)).toEqual([
      "B.cloudtrail",
      "a.json",
      "b/deep/z.json.gz",
      "c.jsonl",
      "d.json.cloudtrail",
    ]);
    expect(files.map((f) => f.kind)).toEqual(["log", "log", "log", "log", "empty"]);
    expect(files.find((f) => f.path === "c.jsonl")?.records).toHaveLength(2);
    expect(files[0]?.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it("refuses a folder that does not exist", async () => {
    await expect(readAll(path.join(os.tmpdir(), "catdata-no-such-folder-xyz"))).rejects.toThrow(/no such folder/);
  });
});
