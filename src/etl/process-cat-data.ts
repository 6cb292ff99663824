import { setTimeout as sleep } from "node:timers/promises";
import { CatdataError } from "../errors.js";
import type { Lake } from "../lake/lake.js";
import { KeyedQueue } from "../local/key-queue.js";
import type { Logger } from "../log/logger.js";
import type { ObjectCreatedEvent, ObjectStore } from "../store/object-store.js";
import { isFinished, isPublished, type JobLog, type JobRecord, jobIdFor } from "./job-log.js";
import type { IngestLimits } from "./limits.js";
import { newJobRecord } from "./new-job.js";
import { type MunicipalityLookup, runJob } from "./run-job.js";

export interface ProcessDeps {
  store: ObjectStore;
  /** The curated lake the jobs stage into and commit to. */
  lake: Lake;
  jobs: JobLog;
  logger: Logger;
  now?: () => Date;
  /** Attempts per object before it goes to the dead-letter list (default 3). */
  maxAttempts?: number;
  /** Backoff between attempts (default 200 ms × 4^n); tests pass a no-op. */
  sleep?: (ms: number) => Promise<unknown>;
  /** Progress is written to the job record at most this often (default 500 ms). */
  progressEveryMs?: number;
  /** The readers' caps (config.ingest); their defaults when omitted. */
  limits?: Partial<IngestLimits>;
  /** Whether plain UTF-8 CSVs with a SQL form of their profile go through DuckDB (config.etlSqlPath; default yes). */
  sqlPath?: boolean;
  /** The deployment's municipalities, for a job's fiscal-year start (config.municipalities). */
  municipalities?: MunicipalityLookup;
  /** Called after each published job, succeeded or needs_review (e.g. to rebuild the marts). */
  onSucceeded?: (job: JobRecord) => Promise<void>;
}

export type ProcessCatData = (event: { Records: ObjectCreatedEvent[] }) => Promise<JobRecord[]>;

/** Only objects under `raw/` are uploads to process (the S3 notification's prefix filter). */
export const RAW_PREFIX = "raw/";

/** Error codes that say the input (or the request) is wrong: the same bytes fail the same way again. */
const FINAL_CODES: readonly string[] = ["BAD_INPUT", "NOT_FOUND", "FORBIDDEN", "PAYLOAD_TOO_LARGE"];

/**
 * Deterministic errors are final — one attempt, failed, not dead-lettered: a CatdataError with a
 * final code anywhere in the error's cause chain. Anything else (I/O, a busy lock, S3) is transient
 * and worth another attempt.
 */
export function isRetryable(error: unknown): boolean {
  for (let e = error, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth++) {
    if (e instanceof CatdataError && FINAL_CODES.includes(e.code)) return false;
  }
  return true;
}

/** The job's error text: what was wrong, and what to do when the error says. */
const describe = (error: unknown) =>
  error instanceof CatdataError && error.hint
    ? `${error.message} — ${error.hint}`
    : error instanceof Error
      ? error.message
      : String(error);

/**
 * `process-cat-data`: the handler for every put under `raw/` — run by the job queue here
 * (src/etl/job-queue.ts), and as the Lambda handler on S3's event notification in AWS
 * (src/lambda/process-cat-data.ts). Exactly once per object version: a re-delivered event returns
 * the job it already finished, and a job another live process runs is left to it (`JobLog.claim`).
 * Jobs with the same content run one at a time (check → run → commit), so a concurrent re-upload
 * ends `duplicate`. Transient failures are retried with backoff; what still fails is dead-lettered.
 */
export function createProcessCatData(deps: ProcessDeps): ProcessCatData {
  const { jobs } = deps;
  const now = deps.now ?? (() => new Date());
  const maxAttempts = deps.maxAttempts ?? 3;
  const wait = deps.sleep ?? sleep;
  const progressEveryMs = deps.progressEveryMs ?? 500;
  /** In this process, one job per content hash at a time (the job log's lock covers other processes). */
  const byContent = new KeyedQueue();

  async function processObject(record: ObjectCreatedEvent): Promise<JobRecord | undefined> {
    const { key, versionId } = record.s3.object;
    if (!key.startsWith(RAW_PREFIX)) return undefined;
    const jobId = jobIdFor(record.s3.bucket.name, key, versionId);
    const existing = await jobs.get(jobId);
    if (existing && isFinished(existing) && existing.status !== "failed") return existing;
    const claimed = await jobs.claim(jobId, () => run(record, jobId));
    return claimed.ran ? claimed.value : await jobs.get(jobId);
  }

  /** Holding the job's claim: whatever is `running` now was left by a runner that died. */
  async function run(record: ObjectCreatedEvent, jobId: string): Promise<JobRecord> {
    const existing = await jobs.get(jobId);
    if (existing && isFinished(existing) && existing.status !== "failed") return existing;
    if (existing?.status === "running") await deps.lake.discardStaging(jobId);
    const { key, versionId, sha256 } = record.s3.object;
    const sha = sha256 || (await deps.store.head(key, versionId)).sha256;
    const job = await byContent.run(sha, () => jobs.withContentLock(sha, () => attempts(record, jobId, existing)));
    deps.logger.info({ jobId, key: job.key, status: job.status, counts: job.counts }, "process-cat-data finished");
    return job;
  }

  async function attempts(record: ObjectCreatedEvent, jobId: string, previous: JobRecord | undefined) {
    let job = newJobRecord(record, jobId, "running", now(), previous);
    for (;;) {
      await jobs.save(job);
      const progress = throttledProgress(job);
      try {
        await runJob({ ...deps, now, onProgress: progress.report }, jobs, job);
        await progress.settled();
        break;
      } catch (error) {
        await progress.settled();
        job.error = describe(error);
        // Bad input is the job's outcome (its record says why), not an operational problem: info, so
        // the CLI (warn and above) shows only its own summary; transient failures stay warnings.
        const level = isRetryable(error) ? "warn" : "info";
        deps.logger[level](
          { jobId, key: job.key, attempt: job.attempts, err: job.error },
          "process-cat-data attempt failed",
        );
        if (!isRetryable(error) || job.attempts >= maxAttempts) {
          job.status = "failed";
          if (isRetryable(error)) {
            await jobs.deadLetter({ at: now().toISOString(), jobId, error: job.error, event: record });
          }
          break;
        }
        await wait(200 * 4 ** (job.attempts - 1));
        job = newJobRecord(record, jobId, "running", now(), job);
      }
    }
    job.finishedAt = now().toISOString();
    // Before the record says "succeeded" (or "needs_review": published too): whoever waits for it then
    // also finds the marts rebuild asked for.
    if (isPublished(job)) await deps.onSucceeded?.(job);
    await jobs.save(job);
    return job;
  }

  /** Writes the bytes read into the record at most every `progressEveryMs`, one save at a time. */
  function throttledProgress(job: JobRecord) {
    let last = 0;
    let chain: Promise<unknown> = Promise.resolve();
    return {
      report: (bytesRead: number, totalBytes: number) => {
        const at = now();
        if (at.getTime() - last < progressEveryMs && bytesRead < totalBytes) return;
        last = at.getTime();
        job.progress = { bytesRead, totalBytes, updatedAt: at.toISOString() };
        const snapshot = structuredClone(job);
        chain = chain.then(() => jobs.save(snapshot)).catch(() => undefined);
      },
      settled: () => chain,
    };
  }

  return async (event) => {
    const results: JobRecord[] = [];
    for (const record of event.Records) {
      const job = await processObject(record);
      if (job) results.push(job);
    }
    return results;
  };
}
