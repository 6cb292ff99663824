/**
 * Pins loading into the lake: every sample file under shared/data/cloudtrail loads; the lake's
 * row count per file equals a count made independently here; nothing is dropped silently
 * (rows + reported duplicates + set-aside digests + unreadable files account for every record);
 * the README's counts hold; bad files are reported while the rest loads; loading is incremental
 * (twice adds nothing, a new file loads alone, the same bytes under another name are skipped); a
 * folder file over the size limit is refused from its `stat`, before any of it is read, with the
 * parser's own reason (a file exactly at the limit loads).
 */
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, truncateSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { queryTrailLake, tempTrailLake } from "../../testing/trail.js";
import { MAX_TRAIL_FILE_BYTES, parseTrailBytes } from "../parse/parse-trail-file.js";
import { folderSource, type LoadSummary, loadTrailFolder, loadTrailSource } from "./load-trail.js";
import type { TrailLake } from "./trail-lake.js";

const cloudtrail = path.join(process.env.CATDATA_SAMPLES_DIR ?? path.resolve("../shared/data"), "cloudtrail");
const tempLake = () => tempTrailLake();

/** Runs `sql` with `events` standing for the lake's rows. */
const queryLake = queryTrailLake;

async function rowsPerFile(lake: TrailLake): Promise<Map<string, number>> {
  const rows = await queryLake<{ f: string; n: number }>(
    lake,
    "SELECT source_file AS f, count(*)::INTEGER AS n FROM events GROUP BY 1",
  );
  return new Map(rows.map((r) => [r.f, r.n]));
}

/** A count made without the reader: plain JSON per dataset, lines for the Logstash export. */
function countIndependently(file: string): number {
  const bytes = readFileSync(file);
  const text = (file.endsWith(".gz") ? gunzipSync(bytes) : bytes).toString("utf8");
  if (file.includes("otrf-")) return text.split("\n").filter((line) => line.trim() !== "").length;
  const value = JSON.parse(text);
  if (Array.isArray(value)) return value.length;
  if (Array.isArray(value.Records)) return value.Records.length;
  if (Array.isArray(value.records)) return value.records.length + value.insight.length + value.digest.length;
  return 1;
}

describe.skipIf(!existsSync(cloudtrail))("loading the sample CloudTrail data", () => {
  const lake = tempLake();
  let summary: LoadSummary;
  let rows: Map<string, number>;
  // A skipped describe still runs its body to collect the tests: read the folder only when it exists.
  const files = (existsSync(cloudtrail) ? readdirSync(cloudtrail, { recursive: true, encoding: "utf8" }) : [])
    .map((f) => f.split(path.sep).join("/"))
    .filter((f) => /\.(json|json\.gz|cloudtrail)$/.test(f))
    .sort();
  const expected = new Map(files.map((f) => [f, countIndependently(path.join(cloudtrail, f))]));
  const sumUnder = (prefix: string) =>
    files.filter((f) => f.startsWith(prefix)).reduce((sum, f) => sum + (expected.get(f) ?? 0), 0);

  beforeAll(async () => {
    summary = await loadTrailFolder(lake, cloudtrail);
    rows = await rowsPerFile(lake);
  });

  it("matches the README's counts, counted independently", () => {
    expect(sumUnder("invictus-aws-dataset/CloudTrail/")).toBe(2900);
    expect(sumUnder("stratus-red-team-detonation-logs/")).toBe(310);
    expect(sumUnder("traildiscover/logExamples/")).toBe(563);
    expect(expected.get("panther-test-events/records.json")).toBe(464);
    expect(expected.get("panther-test-events/panther_cloudtrail_tests.json")).toBe(464);
    expect(sumUnder("flaws2/")).toBe(37);
    expect(sumUnder("otrf-ec2-proxy-s3-exfil/")).toBe(103);
    expect(sumUnder("awsdocs-examples/")).toBe(27);
  });

  it("holds, per file, the records counted independently — or says where they went", () => {
    const duplicates = new Map(summary.duplicateFiles.map((d) => [d.path, d.sameAs]));
    const unreadable = summary.unreadableFiles.map((u) => u.path);
    expect(unreadable).toEqual(["traildiscover/events.json"]);
    expect(summary.filesSeen).toBe(files.length);
    for (const file of files) {
      if (unreadable.includes(file)) continue;
      const sameAs = duplicates.get(file);
      if (sameAs !== undefined) {
        expect(readFileSync(path.join(cloudtrail, file))).toEqual(readFileSync(path.join(cloudtrail, sameAs)));
        continue;
      }
      const setAside = file === "awsdocs-examples/awsdocs_extracted.json" ? 2 : 0;
      expect([file, (rows.get(file) ?? 0) + setAside]).toEqual([file, expected.get(file)]);
    }
    const awsdocs = summary.filesWithProblems.find((f) => f.path.startsWith("awsdocs-examples/"));
    expect(awsdocs?.problems).toEqual([
      "2 digest object(s) set aside: digests describe log files, they are not events",
    ]);
  });

  it("adds up: rows in the lake equal records loaded; duplicates are TrailDiscover's renamed copies", () => {
    const total = [...rows.values()].reduce((a, b) => a + b, 0);
    expect(summary.recordsLoaded).toBe(total);
    expect(total).toBe(2900 + 310 + 314 + 928 + 37 + 103 + 25);
    expect(summary.duplicateFiles.every((d) => d.path.startsWith("traildiscover/logExamples/"))).toBe(true);
    expect(summary.duplicateFiles).toHaveLength(269);
    expect(summary.insightsRecords).toBe(5);
    expect(summary.filesLoaded + summary.filesSkipped + summary.unreadableFiles.length).toBe(summary.filesSeen);
  });

  it("keeps Stratus' fake regions and non-IP sources; real delivery files come out clean", async () => {
    const [stratus] = await queryLake<{ n: number; fake: number; bad: number }>(
      lake,
      `SELECT count(*)::INTEGER AS n, count(*) FILTER (WHERE region LIKE '%-%-%r')::INTEGER AS fake,
              count(*) FILTER (WHERE NOT source_ip_valid AND source_ip IS NOT NULL)::INTEGER AS bad
       FROM events WHERE source_file LIKE 'stratus-red-team-detonation-logs/%'`,
    );
    expect(stratus).toEqual({ n: 310, fake: 310, bad: 107 });
    const unclean = await queryLake<{ f: string }>(
      lake,
      `SELECT DISTINCT split_part(source_file, '/', 1) AS f FROM events WHERE len(parse_problems) > 0 ORDER BY 1`,
    );
    expect(unclean.map((r) => r.f)).toEqual([
      "awsdocs-examples",
      "otrf-ec2-proxy-s3-exfil",
      "panther-test-events",
      "traildiscover",
    ]);
  });

  it("agrees with invictus' derived labels on Stratus attack calls vs Terraform set-up", async () => {
    const labels = readFileSync(path.join(cloudtrail, "invictus-aws-dataset/derived/event_labels.csv"), "utf8")
      .trim()
      .split("\n")
      .slice(1)
      .map((line) => line.split(","))
      .map(([eventId, , , , , , uaClass]) => ({ eventId, uaClass }));
    const families = new Map(
      (
        await queryLake<{ id: string; family: string }>(
          lake,
          "SELECT event_id AS id, user_agent_family AS family FROM events WHERE source_file LIKE 'invictus-aws-dataset/%'",
        )
      ).map((r) => [r.id, r.family]),
    );
    const familiesOf = (uaClass: string) =>
      new Set(labels.filter((l) => l.uaClass === uaClass).map((l) => families.get(l.eventId ?? "")));
    expect(labels).toHaveLength(2900);
    expect(familiesOf("stratus_detonation_sdk_call")).toEqual(new Set(["stratus-red-team"]));
    expect(familiesOf("stratus_terraform_warmup_cleanup")).toEqual(new Set(["terraform"]));
    expect(familiesOf("terraform_no_stratus_tag")).toEqual(new Set(["terraform"]));
  });

  it("adds nothing when the same folder is loaded again", async () => {
    const partsBefore = await lake.parts();
    const again = await loadTrailFolder(lake, cloudtrail);
    expect(again).toMatchObject({ filesLoaded: 0, recordsLoaded: 0, filesSkipped: files.length - 1 });
    expect(again.unreadableFiles.map((u) => u.path)).toEqual(["traildiscover/events.json"]);
    expect(await lake.parts()).toEqual(partsBefore);
    expect((await lake.readManifest()).files).toHaveLength(summary.filesLoaded);
  });
});

/** The folder's source, recording which files were read. */
async function watchedFolder(folder: string) {
  const source = await folderSource(folder);
  const reads: string[] = [];
  const read = (rel: string) => {
    reads.push(rel);
    return source.read(rel);
  };
  return { source: { ...source, read }, reads };
}

describe("loading bad and changing folders", () => {
  const record = (id: string) => ({
    eventVersion: "1.08",
    eventID: id,
    eventTime: "2023-07-10T11:42:18Z",
    eventName: "ListBuckets",
  });

  it("reports truncated gzip, a zip named .json, empty files and broken lines, and loads the rest", async () => {
    const folder = mkdtempSync(path.join(os.tmpdir(), "catdata-bad-"));
    const gz = gzipSync(JSON.stringify({ Records: [record("z")] }));
    writeFileSync(path.join(folder, "good.json"), JSON.stringify({ Records: [record("a"), record("b")] }));
    writeFileSync(path.join(folder, "truncated.json.gz"), gz.subarray(0, gz.length - 10));
    writeFileSync(path.join(folder, "archive.json"), Buffer.concat([Buffer.from("PK\x03\x04"), Buffer.alloc(64)]));
    writeFileSync(path.join(folder, "empty.json"), "");
    writeFileSync(path.join(folder, "brackets.json"), "[]");
    writeFileSync(
      path.join(folder, "lines.jsonl"),
      `${JSON.stringify(record("c"))}\n{"eventID": "broken"\n${JSON.stringify(record("d"))}\n`,
    );
    const lake = tempLake();
    const summary = await loadTrailFolder(lake, folder);
    expect(summary).toMatchObject({ filesSeen: 6, filesLoaded: 4, filesSkipped: 0, recordsLoaded: 4 });
    expect(summary.unreadableFiles.map((u) => u.path)).toEqual(["archive.json", "truncated.json.gz"]);
    expect(summary.unreadableFiles[0]?.reason).toMatch(/zip archive/);
    expect(summary.unreadableFiles[1]?.reason).toMatch(/corrupt or truncated gzip/);
    expect(summary.filesWithProblems).toEqual([
      { path: "lines.jsonl", problems: [expect.stringMatching(/^line 2: invalid JSON/)] },
    ]);
    expect(Object.fromEntries(await rowsPerFile(lake))).toEqual({ "good.json": 2, "lines.jsonl": 2 });
    const kinds = (await lake.readManifest()).files.map((f) => [f.sourcePath, f.kind]);
    expect(kinds).toEqual([
      ["brackets.json", "empty"],
      ["empty.json", "empty"],
      ["good.json", "log"],
      ["lines.jsonl", "log"],
    ]);
  });

  it("loads only what is new: twice adds nothing, a new file loads alone, renamed bytes are skipped", async () => {
    const folder = mkdtempSync(path.join(os.tmpdir(), "catdata-inc-"));
    writeFileSync(path.join(folder, "one.json"), JSON.stringify([record("1")]));
    writeFileSync(path.join(folder, "two.json"), JSON.stringify([record("2"), record("3")]));
    const lake = tempLake();
    const progress: [number, number][] = [];
    const now = () => new Date("2024-01-02T03:04:05Z");
    const first = await loadTrailFolder(lake, folder, { now, onProgress: (d, t) => progress.push([d, t]) });
    expect(first).toMatchObject({ filesLoaded: 2, recordsLoaded: 3 });
    expect(progress).toEqual([
      [0, 2],
      [1, 2],
      [2, 2],
    ]);
    expect(await loadTrailFolder(lake, folder)).toMatchObject({ filesLoaded: 0, filesSkipped: 2, recordsLoaded: 0 });
    writeFileSync(path.join(folder, "three.json"), JSON.stringify([record("4")]));
    copyFileSync(path.join(folder, "one.json"), path.join(folder, "one-again.json"));
    const third = await loadTrailFolder(lake, folder);
    expect(third).toMatchObject({ filesSeen: 4, filesLoaded: 1, filesSkipped: 3, recordsLoaded: 1 });
    expect(Object.fromEntries(await rowsPerFile(lake))).toEqual({ "one.json": 1, "two.json": 2, "three.json": 1 });
    const manifest = await lake.readManifest();
    expect(manifest.files.map((f) => [f.sourcePath, f.records])).toEqual([
      ["one.json", 1],
      ["two.json", 2],
      ["three.json", 1],
    ]);
    expect(manifest.files[0]?.loadedAt).toBe("2024-01-02T03:04:05.000Z");
  });

  it("refuses a file over the size limit from its stat, unread, with the parser's reason; at the limit it loads", async () => {
    const limit = 4096;
    const folder = mkdtempSync(path.join(os.tmpdir(), "catdata-big-"));
    const padded = (id: string, size: number) => {
      const text = JSON.stringify({ Records: [record(id)] });
      return `${text}${" ".repeat(size - Buffer.byteLength(text))}`;
    };
    writeFileSync(path.join(folder, "at-limit.json"), padded("at", limit));
    writeFileSync(path.join(folder, "over-limit.json"), padded("over", limit + 1));
    const { source: watched, reads } = await watchedFolder(folder);
    const summary = await loadTrailSource(tempLake(), watched, { maxFileBytes: limit });
    expect(reads).toEqual(["at-limit.json"]);
    expect(summary).toMatchObject({ filesSeen: 2, filesLoaded: 1, recordsLoaded: 1 });
    const parserReason = parseTrailBytes("x.json", Buffer.alloc(limit + 1, 0x20), { maxBytes: limit }).problems;
    expect(summary.unreadableFiles).toEqual([{ path: "over-limit.json", reason: parserReason.join("; ") }]);
  });

  it("refuses a file one byte over MAX_TRAIL_FILE_BYTES without reading it (a sparse file)", async () => {
    const folder = mkdtempSync(path.join(os.tmpdir(), "catdata-huge-"));
    const huge = path.join(folder, "huge.json");
    writeFileSync(huge, "");
    truncateSync(huge, MAX_TRAIL_FILE_BYTES + 1);
    const { source: watched, reads } = await watchedFolder(folder);
    const summary = await loadTrailSource(tempLake(), watched);
    expect(reads).toEqual([]);
    expect(summary.unreadableFiles).toEqual([
      { path: "huge.json", reason: expect.stringMatching(/larger than the limit of 128 MiB \(MAX_TRAIL_FILE_BYTES\)/) },
    ]);
  });
});
