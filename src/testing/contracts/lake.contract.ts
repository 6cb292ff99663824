import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DuckDb, literal } from "../../duckdb/duckdb.js";
import { HIVE_OPTIONS, type Lake, type StagedFiles } from "../../lake/lake.js";
import { ParquetDatasetWriter } from "../../lake/parquet-writer.js";
import { digestFile } from "../../local/file-digest.js";

/**
 * The contract every `Lake` keeps, run by `local-lake.test.ts` and `s3-lake.test.ts`:
 * - staged Parquet (written by the real writer) is invisible until commit, then DuckDB reads the
 *   committed files with the right rows and Hive partitions; the catalog stamp changes on commit
 * - a re-commit of the same job replaces its parts (never double rows) and removes the old ones
 * - a guard sees the recorded sources of earlier jobs; its refusal publishes nothing
 * - two jobs committing at the same time are both visible
 * - recordSchema returns the drift from the source's previous upload
 * - each part's SHA-256 and size are recorded at commit; a part whose bytes changed where the lake
 *   keeps it is never served (INTEGRITY naming the part and its job), `verify` lists it, and
 *   re-running its job heals the lake
 * - a commit that replaces a job takes that job's parts out in the same (one) catalog commit, keeps
 *   them where the lake keeps them, and records it in `retired` and `history`; a replaced job cannot
 *   be replaced again; the commit's identity files are published and read back checked
 * - a retract takes a job's parts out in one commit (kept), a second retract is refused, and a
 *   replace of the retracted job undoes it
 */
export interface LakeUnderTest {
  lake: Lake;
  /** Whether a published part (a catalog path) still exists where the lake keeps it. */
  published(relPath: string): Promise<boolean>;
  /** Flips one byte in the middle of a published part where the lake keeps it (S3: in the bucket). */
  corrupt(relPath: string): Promise<void>;
  close?: () => Promise<void>;
}

const intake = (municipality: string, animalId: string) => ({
  municipality,
  fiscalYear: 2024,
  sourceJob: "j",
  sourceRow: 1,
  animalId,
  intakeAt: "2024-05-01T10:00:00",
  intakeType: "stray",
  intakeTypeOriginal: "stray",
  condition: null,
  ageDays: null,
  ageClass: "adult",
  sex: "female",
  altered: null,
  foundLocation: null,
});

const IDENTITY_FILE = "_identities/intakes/131041.bin";
const IDENTITY_BYTES = Buffer.from("CDI1\x01\x00\x00\x00\x02\x00\x00\x00", "latin1");
/** The job's staging folder (openStaging returns it and the writer below has made it). */
const STAGING_OF = (_lake: Lake, jobId: string) => stagingDirs.get(jobId) ?? "";
const stagingDirs = new Map<string, string>();

/** Stages intakes for `jobId` through the Parquet writer; returns what `commitJob` takes. */
async function stage(lake: Lake, jobId: string, animals: [string, string][]): Promise<StagedFiles> {
  const dir = await lake.openStaging(jobId);
  stagingDirs.set(jobId, dir);
  const writer = await ParquetDatasetWriter.open(dir, "intakes", jobId);
  for (const [municipality, id] of animals) await writer.append(intake(municipality, id));
  return { intakes: await writer.finish() };
}

export function describeLakeContract(name: string, make: () => Promise<LakeUnderTest>): void {
  describe(`Lake contract: ${name}`, () => {
    let under: LakeUnderTest;
    let lake: Lake;
    let db: DuckDb;
    const rows = async () => {
      const files = await lake.localFiles("intakes", await lake.readCatalog());
      if (files.length === 0) return [];
      for (const f of files) expect(lake.localRoots.some((root) => f.startsWith(root))).toBe(true);
      return db.all(
        `SELECT animal_id, municipality, fiscal_year FROM read_parquet([${files.map(literal).join(", ")}], ${HIVE_OPTIONS}) ORDER BY animal_id`,
      );
    };

    beforeAll(async () => {
      under = await make();
      lake = under.lake;
      db = await DuckDb.open(":memory:");
    });
    afterAll(async () => {
      db.close();
      await under.close?.();
    });

    it("shows nothing staged before the commit, then the committed rows", async () => {
      const stamp = await lake.catalogStamp();
      const files = await stage(lake, "job-a", [
        ["131041", "A1"],
        ["231002", "A2"],
      ]);
      expect(files.intakes).toHaveLength(2);
      expect(await rows()).toEqual([]);
      expect(await lake.catalogStamp()).toBe(stamp);
      const result = await lake.commitJob("job-a", files, { source: { sha256: "aaa", municipality: null } });
      expect(result).toMatchObject({ committed: true });
      expect(result.committed && result.files.map((f) => [f.municipality, f.fiscalYear, f.jobId])).toEqual([
        ["131041", 2024, "job-a"],
        ["231002", 2024, "job-a"],
      ]);
      expect(await lake.catalogStamp()).not.toBe(stamp);
      expect(await rows()).toEqual([
        { animal_id: "A1", municipality: "131041", fiscal_year: 2024 },
        { animal_id: "A2", municipality: "231002", fiscal_year: 2024 },
      ]);
      expect((await lake.readCatalog()).jobs["job-a"]).toMatchObject({ sha256: "aaa", municipality: null });
    });

    it("replaces a job's parts when the same job commits again", async () => {
      const before = (await lake.readCatalog()).tables.intakes?.files.map((f) => f.path) ?? [];
      expect(before).toHaveLength(2);
      for (const f of before) expect(await under.published(f)).toBe(true);
      await lake.commitJob("job-a", await stage(lake, "job-a", [["131041", "A1"]]));
      expect(await rows()).toEqual([{ animal_id: "A1", municipality: "131041", fiscal_year: 2024 }]);
      const catalog = await lake.readCatalog();
      expect(catalog.tables.intakes?.files.map((f) => f.jobId)).toEqual(["job-a"]);
      for (const f of before) expect(await under.published(f)).toBe(false);
    });

    it("publishes nothing when the guard refuses, and the guard sees earlier sources", async () => {
      const stamp = await lake.catalogStamp();
      const files = await stage(lake, "job-dup", [["131041", "D1"]]);
      const result = await lake.commitJob("job-dup", files, {
        source: { sha256: "aaa", municipality: null },
        guard: (state) => {
          const earlier = Object.entries(state.jobs).find(([, s]) => s.sha256 === "aaa");
          return earlier ? `already loaded by ${earlier[0]}` : undefined;
        },
      });
      expect(result).toEqual({ committed: false, reason: "already loaded by job-a" });
      expect(await lake.catalogStamp()).toBe(stamp);
      expect((await rows()).map((r) => r.animal_id)).toEqual(["A1"]);
      expect((await lake.readCatalog()).jobs["job-dup"]).toBeUndefined();
    });

    it("keeps both of two jobs committing at the same time", async () => {
      const [b, c] = await Promise.all([
        stage(lake, "job-b", [["131041", "B1"]]),
        stage(lake, "job-c", [["401307", "C1"]]),
      ]);
      const results = await Promise.all([lake.commitJob("job-b", b), lake.commitJob("job-c", c)]);
      expect(results.map((r) => r.committed)).toEqual([true, true]);
      expect((await rows()).map((r) => r.animal_id)).toEqual(["A1", "B1", "C1"]);
    });

    it("returns the schema drift from the source's previous upload", async () => {
      const entry = (jobId: string, headers: string[], types: Record<string, string>) => ({
        jobId,
        versionId: "v",
        profile: "p",
        headers,
        types,
        at: "2024-05-01T00:00:00.000Z",
      });
      expect(await lake.recordSchema("131041/p", entry("s1", ["a", "b"], { a: "int", b: "text" }))).toBeNull();
      expect(await lake.recordSchema("131041/p", entry("s2", ["a", "c"], { a: "text", c: "text" }))).toEqual({
        added: ["c"],
        removed: ["b"],
        retyped: [{ column: "a", from: "int", to: "text" }],
      });
      expect((await lake.readCatalog()).sources["131041/p"]?.map((e) => e.jobId)).toEqual(["s1", "s2"]);
      expect((await rows()).map((r) => r.animal_id)).toEqual(["A1", "B1", "C1"]);
    });

    it("records each part's SHA-256 and size at commit, matching the bytes it serves", async () => {
      const state = await lake.readCatalog();
      const entries = state.tables.intakes?.files ?? [];
      const files = await lake.localFiles("intakes", state);
      expect(entries.length).toBeGreaterThan(0);
      for (const [i, entry] of entries.entries()) {
        expect(entry.sha256).toMatch(/^[0-9a-f]{64}$/);
        expect(await digestFile(files[i]!)).toEqual({ sha256: entry.sha256, size: entry.size });
      }
      expect(await lake.verify()).toEqual([]);
    });

    it("never serves a part whose bytes changed, names it, and heals when its job runs again", async () => {
      await lake.commitJob("job-z", await stage(lake, "job-z", [["999999", "Z1"]]));
      expect((await rows()).map((r) => r.animal_id)).toEqual(["A1", "B1", "C1", "Z1"]);
      const part = (await lake.readCatalog()).tables.intakes!.files.find((f) => f.jobId === "job-z")!;
      await sleep(20); // a later write: file-system timestamps tick coarsely
      await under.corrupt(part.path);
      await expect(rows()).rejects.toMatchObject({
        code: "INTEGRITY",
        message: expect.stringContaining(part.path),
        hint: expect.stringContaining("re-run job job-z"),
      });
      expect((await lake.verify()).map((p) => [p.path, p.problem, p.jobId])).toEqual([[part.path, "changed", "job-z"]]);
      await lake.commitJob("job-z", await stage(lake, "job-z", [["999999", "Z1"]]));
      expect((await rows()).map((r) => r.animal_id)).toEqual(["A1", "B1", "C1", "Z1"]);
      expect(await lake.verify()).toEqual([]);
    });

    it("replaces a job in one commit, keeping its parts, with the commit's identity files", async () => {
      const before = await lake.readCatalog();
      const old = before.tables.intakes!.files.filter((f) => f.jobId === "job-b");
      expect(old).toHaveLength(1);
      const files = await stage(lake, "job-r", [["131041", "B2"]]);
      const identity = path.join(IDENTITY_FILE.split("/").join(path.sep));
      await mkdir(path.dirname(path.join(STAGING_OF(lake, "job-r"), identity)), { recursive: true });
      await writeFile(path.join(STAGING_OF(lake, "job-r"), identity), IDENTITY_BYTES);
      const result = await lake.commitJob("job-r", files, {
        replaces: "job-b",
        identities: [{ dataset: "intakes", municipality: "131041", file: IDENTITY_FILE }],
      });
      expect(result.committed).toBe(true);
      expect((await rows()).map((r) => r.animal_id)).toEqual(["A1", "B2", "C1", "Z1"]);
      const after = await lake.readCatalog();
      expect(after.version).toBe(before.version + 1);
      expect(after.retired["job-b"]).toMatchObject({ by: "job-r", files: { intakes: old } });
      expect(after.history.at(-1)).toMatchObject({
        action: "replace",
        jobId: "job-b",
        by: "job-r",
        parts: { intakes: 1 },
      });
      for (const f of old) expect(await under.published(f.path)).toBe(true);
      const [entry] = after.identities["job-r"] ?? [];
      expect(entry).toMatchObject({ dataset: "intakes", municipality: "131041", size: IDENTITY_BYTES.length });
      expect(Buffer.from(await lake.readIdentity(entry!)).equals(IDENTITY_BYTES)).toBe(true);
      await expect(
        lake.commitJob("job-r2", await stage(lake, "job-r2", [["131041", "B3"]]), { replaces: "job-b" }),
      ).rejects.toMatchObject({ code: "BAD_INPUT", message: expect.stringContaining("already replaced by job job-r") });
      expect((await lake.readCatalog()).version).toBe(after.version);
      expect((await rows()).map((r) => r.animal_id)).toEqual(["A1", "B2", "C1", "Z1"]);
    });

    it("retracts a job in one commit, keeps its parts, refuses a second retract; a replace undoes it", async () => {
      const before = await lake.readCatalog();
      const parts = before.tables.intakes!.files.filter((f) => f.jobId === "job-c");
      const state = await lake.retractJob("job-c");
      expect(state.version).toBe(before.version + 1);
      expect((await lake.readCatalog()).version).toBe(before.version + 1);
      expect((await rows()).map((r) => r.animal_id)).toEqual(["A1", "B2", "Z1"]);
      for (const f of parts) expect(await under.published(f.path)).toBe(true);
      expect(state.history.at(-1)).toMatchObject({ action: "retract", jobId: "job-c", by: null });
      await expect(lake.retractJob("job-c")).rejects.toMatchObject({
        code: "BAD_INPUT",
        message: expect.stringContaining("already retracted"),
      });
      await expect(lake.retractJob("job-unknown")).rejects.toMatchObject({ code: "BAD_INPUT" });
      await lake.commitJob("job-c2", await stage(lake, "job-c2", [["401307", "C1"]]), { replaces: "job-c" });
      expect((await rows()).map((r) => r.animal_id)).toEqual(["A1", "B2", "C1", "Z1"]);
      expect((await lake.readCatalog()).retired["job-c"]).toMatchObject({ by: "job-c2", files: { intakes: parts } });
    });
  });
}
