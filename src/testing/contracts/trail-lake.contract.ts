import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { trainUntil } from "../../behaviour/model/train.js";
import { digestFile } from "../../local/file-digest.js";
import { loadTrailFolder } from "../../trail/lake/load-trail.js";
import { partName } from "../../trail/lake/parts-fingerprint.js";
import type { TrailLake } from "../../trail/lake/trail-lake.js";
import { queryTrailLake } from "../trail.js";

/**
 * The contract every `TrailLake` meets (run by local-trail-lake.test.ts and s3-trail-lake.test.ts):
 * an empty lake has no parts and an empty manifest; a folder of CloudTrail-shaped files loads with
 * the right counts and its parts are local files DuckDB reads; loading again adds nothing (same
 * parts, same manifest, same fingerprint); a new file adds one part and changes the fingerprint;
 * the manifest and the S3 sources' object list survive reopening the lake; each part's SHA-256 and
 * size are recorded in its manifest entry, a part whose bytes changed where the lake keeps it (S3:
 * in the bucket) is never read — queries and training fail with INTEGRITY naming the part, its
 * source file and `catdata trail load <folder>` — `verify` lists it, re-loading the folder heals it;
 * a manifest written before checksums is read unchecked and `verify` calls its parts "unrecorded".
 */
export interface TrailLakeFixture {
  lake: TrailLake;
  /** A new object over the same storage (another process, a restart). */
  reopen(): TrailLake;
  /** Flips the middle byte of the part `part-<sha256>.parquet` where the lake keeps it (S3: in the bucket). */
  corrupt(part: string): Promise<void>;
}

const record = (id: string, time: string, name: string, user = "alice") => ({
  eventVersion: "1.08",
  userIdentity: {
    type: "IAMUser",
    accountId: "111122223333",
    userName: user,
    arn: `arn:aws:iam::111122223333:user/${user}`,
  },
  eventTime: time,
  eventSource: "s3.amazonaws.com",
  eventName: name,
  awsRegion: "us-east-1",
  sourceIPAddress: "203.0.113.7",
  userAgent: "aws-cli/2.15.30",
  eventID: id,
  readOnly: true,
  eventType: "AwsApiCall",
  recipientAccountId: "111122223333",
});

function trailFolder(files: Record<string, unknown[]>): string {
  const folder = mkdtempSync(path.join(os.tmpdir(), "catdata-contract-src-"));
  for (const [name, records] of Object.entries(files))
    writeFileSync(path.join(folder, name), JSON.stringify({ Records: records }));
  return folder;
}

const ONE = [record("e1", "2024-05-01T10:00:00Z", "ListBuckets"), record("e2", "2024-05-01T10:01:00Z", "GetObject")];
const TWO = [record("e3", "2024-05-02T10:00:00Z", "PutObject", "bob")];

export function describeTrailLakeContract(name: string, make: () => Promise<TrailLakeFixture>): void {
  describe(`TrailLake contract: ${name}`, () => {
    it("starts empty: no parts, an empty manifest, no S3 objects", async () => {
      const { lake } = await make();
      expect(await lake.parts()).toEqual([]);
      expect(await lake.readManifest()).toEqual({ version: 1, files: [] });
      expect((await lake.readSourceObjects()).objects).toEqual({});
      expect((await lake.fingerprint()).count).toBe(0);
    });

    it("loads a folder with its counts, readable parts, and re-loading adds nothing", async () => {
      const { lake } = await make();
      const folder = trailFolder({ "one.json": ONE, "two.json": TWO });
      const first = await loadTrailFolder(lake, folder);
      expect(first).toMatchObject({ filesSeen: 2, filesLoaded: 2, recordsLoaded: 3 });
      const parts = await lake.parts();
      expect(parts).toHaveLength(2);
      expect(parts.every((p) => path.isAbsolute(p) && p.endsWith(".parquet"))).toBe(true);
      const rows = await queryTrailLake<{ n: number }>(lake, "SELECT count(*)::INTEGER AS n FROM events");
      expect(rows[0]?.n).toBe(3);
      const fingerprint = await lake.fingerprint();
      const again = await loadTrailFolder(lake, folder);
      expect(again).toMatchObject({ filesLoaded: 0, filesSkipped: 2, recordsLoaded: 0 });
      expect(await lake.parts()).toEqual(parts);
      expect(await lake.fingerprint()).toEqual(fingerprint);
      expect((await lake.readManifest()).files.map((f) => f.sourcePath).sort()).toEqual(["one.json", "two.json"]);
    });

    it("changes the fingerprint when a part is added", async () => {
      const { lake } = await make();
      await loadTrailFolder(lake, trailFolder({ "one.json": ONE }));
      const before = await lake.fingerprint();
      await loadTrailFolder(lake, trailFolder({ "two.json": TWO }));
      const after = await lake.fingerprint();
      expect(after.count).toBe(before.count + 1);
      expect(after.digest).not.toBe(before.digest);
    });

    it("keeps the manifest and the S3 object list when reopened", async () => {
      const { lake, reopen } = await make();
      await loadTrailFolder(lake, trailFolder({ "one.json": ONE }), { now: () => new Date("2024-06-01T00:00:00Z") });
      await lake.writeSourceObjects({ version: 1, objects: { "s3://b/k": { etag: '"x"', sha256: "ab" } } });
      const other = reopen();
      const manifest = await other.readManifest();
      expect(manifest.files).toHaveLength(1);
      expect(manifest.files[0]).toMatchObject({
        sourcePath: "one.json",
        records: 2,
        loadedAt: "2024-06-01T00:00:00.000Z",
      });
      expect((await other.readSourceObjects()).objects).toEqual({ "s3://b/k": { etag: '"x"', sha256: "ab" } });
      expect(await other.parts()).toHaveLength(1);
      const rows = await queryTrailLake<{ n: number }>(other, "SELECT count(*)::INTEGER AS n FROM events");
      expect(rows[0]?.n).toBe(2);
    });

    it("records each part's SHA-256 and size in its manifest entry, matching the bytes it serves", async () => {
      const { lake } = await make();
      await loadTrailFolder(lake, trailFolder({ "one.json": ONE, "two.json": TWO }));
      const entries = (await lake.readManifest()).files.sort((a, b) => (a.sha256 < b.sha256 ? -1 : 1));
      const parts = await lake.parts();
      expect(parts.map((p) => path.basename(p))).toEqual(entries.map((e) => partName(e.sha256)));
      for (const [i, entry] of entries.entries()) {
        expect(entry.part?.sha256).toMatch(/^[0-9a-f]{64}$/);
        expect(await digestFile(parts[i]!)).toEqual(entry.part);
      }
      expect(await lake.verify()).toEqual([]);
    });

    it("never reads a part whose bytes changed: queries and training refuse, verify lists it, re-loading heals", async () => {
      const fixture = await make();
      const { lake } = fixture;
      const folder = trailFolder({ "one.json": ONE, "two.json": TWO });
      await loadTrailFolder(lake, folder);
      expect((await queryTrailLake<{ n: number }>(lake, "SELECT count(*)::INTEGER AS n FROM events"))[0]?.n).toBe(3);
      const two = (await lake.readManifest()).files.find((f) => f.sourcePath === "two.json")!;
      await sleep(20); // a later write: file-system timestamps tick coarsely
      await fixture.corrupt(partName(two.sha256));
      const refusal = {
        code: "INTEGRITY",
        message: expect.stringContaining(`${partName(two.sha256)} (from two.json)`),
        hint: expect.stringContaining(`catdata trail load ${folder}`),
      };
      for (const reader of [lake, fixture.reopen()]) {
        await expect(queryTrailLake(reader, "SELECT count(*) AS n FROM events")).rejects.toMatchObject(refusal);
        await expect(trainUntil(reader, Date.parse("2030-01-01T00:00:00Z"))).rejects.toMatchObject(refusal);
        expect((await reader.verify()).map((p) => [p.part, p.sourcePath, p.problem])).toEqual([
          [partName(two.sha256), "two.json", "changed"],
        ]);
      }
      const healed = await loadTrailFolder(lake, folder);
      expect(healed).toMatchObject({ filesLoaded: 1, filesSkipped: 1, recordsLoaded: 1 });
      expect(await lake.verify()).toEqual([]);
      expect((await lake.readManifest()).files.map((f) => f.sourcePath).sort()).toEqual(["one.json", "two.json"]);
      const rows = await queryTrailLake<{ n: number }>(fixture.reopen(), "SELECT count(*)::INTEGER AS n FROM events");
      expect(rows[0]?.n).toBe(3);
    });

    it("reads a manifest written before checksums unchecked, and verify reports its parts as unrecorded", async () => {
      const { lake, reopen } = await make();
      await loadTrailFolder(lake, trailFolder({ "one.json": ONE }));
      const old = (await lake.readManifest()).files.map(({ part: _part, ...entry }) => entry);
      const other = reopen();
      await other.addEntries(old); // replaces the entries (same sha256), without checksums
      expect((await other.readManifest()).files.map((f) => f.part)).toEqual([undefined]);
      const rows = await queryTrailLake<{ n: number }>(reopen(), "SELECT count(*)::INTEGER AS n FROM events");
      expect(rows[0]?.n).toBe(2);
      expect((await reopen().verify()).map((p) => [p.sourcePath, p.problem])).toEqual([["one.json", "unrecorded"]]);
    });
  });
}
