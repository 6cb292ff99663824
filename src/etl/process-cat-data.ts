import { appendFile, mkdir } from "node:fs/promises";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { CatdataError } from "../errors.js";
import { lakePaths } from "../lake/layout.js";
import type { Logger } from "../log/logger.js";
import { type ObjectCreatedEvent, type ObjectStore, objectCreatedEvent } from "../store/object-store.js";
import { JobLog, type JobRecord, jobIdFor } from "./jobs.js";
import { runJob } from "./run-job.js";

export interface ProcessDeps {
  home: string;
  store: ObjectStore;
  logger: Logger;
  now?: () => Date;
  /** Called as bytes of the raw object are read (for progress bars). */
  onProgress?: (bytesRead: number, totalBytes: number) => void;
  /** Attempts per object before it goes to the dead-letter list (default 3). */
  maxAttempts?: number;
  /** Backoff between attempts (default 200 ms × 4^n); tests pass a no-op. */
  sleep?: (ms: number) => Promise<unknown>;
  /** Called after each succeeded job (e.g. to rebuild the marts). */
  onSucceeded?: (job: JobRecord) => Promise<void>;
}

/** Only objects under `raw/` are uploads to process (the S3 notification's prefix filter). */
export const RAW_PREFIX = "raw/";

/** Errors in the input are final; anything else (I/O, a busy lock) is worth another attempt. */
const isRetryable = (error: unknown) =>
  !(error instanceof CatdataError && ["BAD_INPUT", "NOT_FOUND", "FORBIDDEN", "PAYLOAD_TOO_LARGE"].includes(error.code));

/**
 * `process-cat-data`: the handler that runs on every put under `raw/` — through the local store's put
 * event here, and as the Lambda handler on S3's event notification in AWS (src/lambda/process-cat-data.ts).
 * Exactly once per object version: a re-delivered event returns the job it already finished. Transient
 * failures are retried with backoff; what still fails is appended to the dead-letter list.
 */
export function createProcessCatData(deps: ProcessDeps) {
  const jobs = new JobLog(deps.home);
  const now = deps.now ?? (() => new Date());
  const maxAttempts = deps.maxAttempts ?? 3;
  const wait = deps.sleep ?? sleep;

  async function processObject(record: ObjectCreatedEvent): Promise<JobRecord | undefined> {
    const { key, versionId } = record.s3.object;
    if (!key.startsWith(RAW_PREFIX)) return undefined;
    const jobId = jobIdFor(record.s3.bucket.name, key, versionId);
    const existing = await jobs.get(jobId);
    if (existing && existing.status !== "failed" && existing.status !== "running") return existing;
    let job = newJob(record, jobId, existing);
    for (;;) {
      await jobs.save(job);
      try {
        await runJob(deps, jobs, job);
        break;
      } catch (error) {
        job.error = error instanceof Error ? error.message : String(error);
        deps.logger.warn({ jobId, key, attempt: job.attempts, err: job.error }, "process-cat-data attempt failed");
        if (!isRetryable(error) || job.attempts >= maxAttempts) {
          job.status = "failed";
          if (isRetryable(error)) await deadLetter(deps.home, record, job, now());
          break;
        }
        await wait(200 * 4 ** (job.attempts - 1));
        job = newJob(record, jobId, job);
      }
    }
    job.finishedAt = now().toISOString();
    await jobs.save(job);
    deps.logger.info({ jobId, key, status: job.status, counts: job.counts }, "process-cat-data finished");
    if (job.status === "succeeded") await deps.onSucceeded?.(job);
    return job;
  }

  function newJob(record: ObjectCreatedEvent, jobId: string, previous: JobRecord | undefined): JobRecord {
    return {
      jobId,
      bucket: record.s3.bucket.name,
      key: record.s3.object.key,
      versionId: record.s3.object.versionId,
      sha256: record.s3.object.sha256 ?? "",
      status: "running",
      profile: null,
      municipality: null,
      attempts: (previous?.attempts ?? 0) + 1,
      startedAt: now().toISOString(),
      finishedAt: null,
      counts: { read: 0, loaded: 0, quarantined: 0, deduplicated: 0, skipped: 0 },
      loadedByDataset: {},
      tables: [],
      error: null,
      duplicateOf: null,
    };
  }

  const handler = async (event: { Records: ObjectCreatedEvent[] }): Promise<JobRecord[]> => {
    const results: JobRecord[] = [];
    for (const record of event.Records) {
      const job = await processObject(record);
      if (job) results.push(job);
    }
    return results;
  };

  /** After a crash (kill -9): reruns every job left `running`; its staged files are replaced. */
  handler.recover = async (): Promise<JobRecord[]> => {
    const stuck = (await jobs.list()).filter((j) => j.status === "running");
    const out: JobRecord[] = [];
    for (const j of stuck) {
      const head = await deps.store.head(j.key, j.versionId);
      const event = objectCreatedEvent(j.bucket, head);
      const job = await processObject(event);
      if (job) out.push(job);
    }
    return out;
  };
  return handler;
}

async function deadLetter(home: string, record: ObjectCreatedEvent, job: JobRecord, at: Date): Promise<void> {
  const dir = lakePaths(home).jobs;
  await mkdir(dir, { recursive: true });
  await appendFile(
    path.join(dir, "dead-letter.jsonl"),
    `${JSON.stringify({ at: at.toISOString(), jobId: job.jobId, error: job.error, event: record })}\n`,
  );
}
