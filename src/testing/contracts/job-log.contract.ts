import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JobLog, JobRecord } from "../../etl/job-log.js";
import type { ObjectCreatedEvent } from "../../store/object-store.js";

/**
 * The contract every JobLog keeps (called by local-job-log.test.ts and s3-job-log.test.ts):
 * - a saved record reads back; an unknown or malformed id is undefined; list is newest first
 * - the content index finds succeeded jobs only, by exact SHA-256
 * - quarantined rows read back in order, paged by offset/limit; a new quarantine replaces the old
 * - quarantined rows are sealed at rest: no byte the log stores holds a row's values in clear, and
 *   another instance with the same key reads them back
 * - dead letters read back
 * - waitFor resolves on the save that finishes the job — in process at once, and from another
 *   instance over the same storage by re-reading the record — reporting progress on the way;
 *   it gives up after its timeout, and when its signal aborts
 */
export interface JobLogFixture {
  jobs: JobLog;
  /** Another instance over the same storage (as another process would open it). */
  reopen(): JobLog;
  /** Every byte the log keeps at rest (all its files / objects), concatenated. */
  storedBytes(): Promise<Buffer>;
  close(): Promise<void>;
}

const SHA = "a".repeat(64);
let next = 0;
export function jobRecord(overrides: Partial<JobRecord> = {}): JobRecord {
  next += 1;
  return {
    jobId: next.toString(16).padStart(20, "0"),
    bucket: "cat-data-bucket",
    key: `raw/131041/2024-04-01/f${next}.csv`,
    versionId: `v${next}`,
    sha256: SHA,
    status: "queued",
    profile: null,
    municipality: null,
    attempts: 0,
    startedAt: new Date(Date.UTC(2024, 3, 1, 0, 0, next)).toISOString(),
    finishedAt: null,
    progress: null,
    counts: { read: 0, loaded: 0, quarantined: 0, deduplicated: 0, skipped: 0 },
    loadedByDataset: {},
    tables: [],
    error: null,
    duplicateOf: null,
    ...overrides,
  };
}

const EVENT: ObjectCreatedEvent = {
  eventSource: "catdata:store",
  eventName: "ObjectCreated:Put",
  eventTime: "2024-04-01T00:00:00.000Z",
  s3: { bucket: { name: "cat-data-bucket" }, object: { key: "raw/x.csv", size: 1, versionId: "v", sequencer: "v" } },
};

export function describeJobLogContract(name: string, make: () => Promise<JobLogFixture>): void {
  describe(`JobLog contract: ${name}`, () => {
    let f: JobLogFixture;
    beforeAll(async () => {
      f = await make();
    });
    afterAll(() => f.close());

    it("saves, reads back and lists newest first", async () => {
      const a = jobRecord();
      const b = jobRecord({ status: "running", attempts: 1 });
      await f.jobs.save(a);
      await f.jobs.save(b);
      expect(await f.jobs.get(a.jobId)).toEqual(a);
      expect(await f.jobs.get("f".repeat(20))).toBeUndefined();
      expect(await f.jobs.get("../etc/passwd")).toBeUndefined();
      const ids = (await f.jobs.list()).map((j) => j.jobId);
      expect(ids.indexOf(b.jobId)).toBeLessThan(ids.indexOf(a.jobId));
    });

    it("indexes succeeded jobs by content", async () => {
      const sha = "b".repeat(64);
      const ok = jobRecord({ sha256: sha, status: "succeeded" });
      await f.jobs.save(jobRecord({ sha256: sha, status: "failed" }));
      await f.jobs.save(jobRecord({ sha256: sha, status: "running" }));
      await f.jobs.save(ok);
      expect((await f.jobs.committedWithContent(sha)).map((j) => j.jobId)).toEqual([ok.jobId]);
      expect(await f.jobs.committedWithContent("c".repeat(64))).toEqual([]);
      expect(await f.jobs.committedWithContent("not-a-sha")).toEqual([]);
    });

    it("keeps quarantined rows in order, paged, and replaces them on a re-run", async () => {
      const job = jobRecord();
      const first = await f.jobs.openQuarantine(job.jobId);
      for (let row = 1; row <= 5; row++) await first.write({ row, reason: `bad ${row}`, values: { a: "ü" } });
      await first.close();
      expect((await f.jobs.readQuarantine(job.jobId)).map((r) => r.row)).toEqual([1, 2, 3, 4, 5]);
      expect((await f.jobs.readQuarantine(job.jobId, 1, 2)).map((r) => r.reason)).toEqual(["bad 2", "bad 3"]);
      expect((await f.jobs.readQuarantine(job.jobId))[0]?.values).toEqual({ a: "ü" });
      const rerun = await f.jobs.openQuarantine(job.jobId);
      await rerun.write({ row: 9, reason: "again", values: {} });
      await rerun.close();
      expect(await f.jobs.readQuarantine(job.jobId)).toEqual([{ row: 9, reason: "again", values: {} }]);
      expect(await f.jobs.readQuarantine(jobRecord().jobId)).toEqual([]);
    });

    it("stores quarantined rows sealed, never in clear, and reads them back", async () => {
      const job = jobRecord();
      const secret = { Name: "Tama-4242", "Found Location": "1-2-3 Secret-cho" };
      const q = await f.jobs.openQuarantine(job.jobId);
      await q.write({ row: 7, reason: "negative age", values: secret });
      await q.close();
      const stored = await f.storedBytes();
      expect(stored.length).toBeGreaterThan(0);
      for (const clear of ["Tama-4242", "Secret-cho", "negative age"]) expect(stored.includes(clear)).toBe(false);
      expect(await f.reopen().readQuarantine(job.jobId)).toEqual([{ row: 7, reason: "negative age", values: secret }]);
    });

    it("keeps dead letters", async () => {
      const entry = { at: "2024-04-01T00:00:00.000Z", jobId: jobRecord().jobId, error: "EIO", event: EVENT };
      await f.jobs.deadLetter(entry);
      expect(await f.jobs.deadLetters()).toContainEqual(entry);
    });

    it("waitFor resolves on the finishing save, reporting progress", async () => {
      const job = jobRecord({ status: "running" });
      await f.jobs.save(job);
      const seen: number[] = [];
      const waiting = f.jobs.waitFor(job.jobId, { onProgress: (j) => seen.push(j.progress?.bytesRead ?? -1) });
      const progress = { bytesRead: 10, totalBytes: 20, updatedAt: "2024-04-01T00:00:01.000Z" };
      await f.jobs.save({ ...job, progress });
      await f.jobs.save({ ...job, progress, status: "succeeded", finishedAt: "2024-04-01T00:00:02.000Z" });
      await expect(waiting).resolves.toMatchObject({ jobId: job.jobId, status: "succeeded" });
      expect(seen[0]).toBe(10);
    });

    it("waitFor sees a save made through another instance", async () => {
      const job = jobRecord({ status: "queued" });
      await f.jobs.save(job);
      const waiting = f.jobs.waitFor(job.jobId, { timeoutMs: 20_000 });
      await f.reopen().save({ ...job, status: "duplicate", duplicateOf: "0".repeat(20) });
      await expect(waiting).resolves.toMatchObject({ status: "duplicate", duplicateOf: "0".repeat(20) });
    });

    it("waitFor gives up after its timeout and on abort", async () => {
      const job = jobRecord({ status: "running" });
      await f.jobs.save(job);
      await expect(f.jobs.waitFor(job.jobId, { timeoutMs: 50 })).rejects.toMatchObject({ code: "UNAVAILABLE" });
      const abort = new AbortController();
      const waiting = f.jobs.waitFor(job.jobId, { signal: abort.signal });
      abort.abort(new Error("stopped"));
      await expect(waiting).rejects.toThrow("stopped");
    });
  });
}
