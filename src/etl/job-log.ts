import { createHash } from "node:crypto";
import type { Dataset } from "../cats/model.js";
import type { SchemaDrift } from "../lake/catalog-state.js";
import type { ObjectCreatedEvent } from "../store/object-store.js";

/**
 * `needs_review`: the job committed (its rows are published, like `succeeded`) but quarantined at
 * least NEEDS_REVIEW_QUARANTINE_SHARE of its rows that were not skipped; `error` says what was
 * quarantined most. The CLI exits non-zero for it; the API lists it as is (docs/api.md).
 */
export type JobStatus = "queued" | "running" | "succeeded" | "needs_review" | "failed" | "duplicate";

/** Jobs whose rows were published to the lake (a commit happened). */
export const PUBLISHED_STATUSES: readonly JobStatus[] = ["succeeded", "needs_review"];
export const isPublished = (job: Pick<JobRecord, "status">) => PUBLISHED_STATUSES.includes(job.status);

/** How far the job has read its raw object (written to the record throttled, not per chunk). */
export interface JobProgress {
  bytesRead: number;
  totalBytes: number;
  updatedAt: string;
}

/** One run of `process-cat-data` over one object version. */
/** One group of skipped rows in a job's summary. */
export interface SkippedGroup {
  reason: string;
  /** '' when the profile gives none. */
  label: string;
  rows: number;
}

export interface JobRecord {
  jobId: string;
  bucket: string;
  key: string;
  versionId: string;
  sha256: string;
  status: JobStatus;
  profile: string | null;
  municipality: string | null;
  attempts: number;
  /** When the job was queued; then when its current attempt started. */
  startedAt: string;
  finishedAt: string | null;
  progress: JobProgress | null;
  /**
   * Every row read is counted once: read = loaded + quarantined + deduplicated + skipped + failed
   * (src/etl/counts.ts). `failed`: rows of a failed job that would have loaded but were not published
   * (a failed job has loaded 0); absent on older records, where it is 0.
   */
  counts: { read: number; loaded: number; quarantined: number; deduplicated: number; skipped: number; failed?: number };
  loadedByDataset: Partial<Record<Dataset, number>>;
  /** Each table read (a CSV file, or a sheet of a workbook): its profile, headers and schema drift. */
  tables: {
    name: string;
    profile: string;
    headers: string[];
    drift: SchemaDrift | null;
    /** Set when the table was not loaded (a workbook sheet no profile matches): why; its rows are not counted. */
    skipped?: string;
  }[];
  /**
   * The rows skipped (not cats, species not declared…) by reason and label (the species cell, a
   * request type), the most frequent SKIPPED_BY_SHOWN first. Absent on older records.
   */
  skippedBy?: SkippedGroup[];
  /** Why the job failed, why it is a duplicate, or why it needs review. */
  error: string | null;
  duplicateOf: string | null;
  /**
   * The mapping the upload named (a profile name or a stored mapping's `mapping:` key), null when the
   * profile was detected; part of the duplicate rule (bytes + municipality + mapping). Absent on older records.
   */
  mapping?: string | null;
  /** The job this upload replaces (`catdata ingest --replaces`), whose parts left the catalog at its commit. */
  replaces?: string | null;
}

export interface QuarantinedRow {
  row: number;
  reason: string;
  values: Record<string, string>;
}

/** A job's rejected rows as they are found; `close` makes them readable (and replaces an earlier run's). */
export interface QuarantineWriter {
  write(row: QuarantinedRow): Promise<void>;
  close(): Promise<void>;
}

export interface DeadLetter {
  at: string;
  jobId: string;
  error: string | null;
  event: ObjectCreatedEvent;
}

export interface WaitOptions {
  /** Called with the record whenever its progress changes. */
  onProgress?: (job: JobRecord) => void;
  timeoutMs?: number;
  signal?: AbortSignal;
}

/**
 * The ETL job records, their quarantined rows and the dead letters. One interface, one file per
 * implementation: `local-job-log.ts` (DataDir.jobs) and `s3-job-log.ts` (`jobs/` in the bucket);
 * `src/runtime.ts` chooses.
 */
export interface JobLog {
  save(job: JobRecord): Promise<void>;
  get(jobId: string): Promise<JobRecord | undefined>;
  /** All jobs, newest first. */
  list(): Promise<JobRecord[]>;
  /** Published jobs (succeeded or needs_review) that loaded exactly these bytes (an index by content SHA-256). */
  committedWithContent(sha256: string): Promise<JobRecord[]>;
  /** A fresh quarantine for the job (an earlier run's rows are dropped when it closes). */
  openQuarantine(jobId: string): Promise<QuarantineWriter>;
  /** Quarantined rows `offset … offset+limit-1` (default all). */
  readQuarantine(jobId: string, offset?: number, limit?: number): Promise<QuarantinedRow[]>;
  deadLetter(entry: DeadLetter): Promise<void>;
  deadLetters(): Promise<DeadLetter[]>;
  /**
   * Resolves with the record once the job is finished (succeeded, failed, duplicate): notified by
   * `save` in this process, and re-reading the record at an interval for other processes.
   */
  waitFor(jobId: string, options?: WaitOptions): Promise<JobRecord>;
  /**
   * Runs `fn` as the only runner of the job; resolves `{ ran: false }` at once when a live process
   * already runs it. (S3: always runs; Lambda delivers one event to one invocation at a time.)
   */
  claim<T>(jobId: string, fn: () => Promise<T>): Promise<{ ran: true; value: T } | { ran: false }>;
  /** Serialises check → run → commit of jobs with the same content between processes (S3: none; the commit guard is the re-check). */
  withContentLock<T>(sha256: string, fn: () => Promise<T>): Promise<T>;
}

export const FINISHED_STATUSES: readonly JobStatus[] = ["succeeded", "needs_review", "failed", "duplicate"];
export const isFinished = (job: Pick<JobRecord, "status">) => FINISHED_STATUSES.includes(job.status);

/** A job id is derived from the object version, so a re-delivered event finds its job again (exactly once). */
export const jobIdFor = (bucket: string, key: string, versionId: string) =>
  createHash("sha256").update(`${bucket}\n${key}\n${versionId}`).digest("hex").slice(0, 20);

export const isJobId = (id: string) => /^[0-9a-f]{20}$/.test(id);
export const isSha256 = (sha: string) => /^[0-9a-f]{64}$/.test(sha);
