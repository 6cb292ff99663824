import { setTimeout as sleep } from "node:timers/promises";
import type { S3Client } from "@aws-sdk/client-s3";
import { s3ClientFor } from "../store/s3-client.js";
import {
  type DeadLetter,
  isJobId,
  isPublished,
  isSha256,
  type JobLog,
  type JobRecord,
  type QuarantinedRow,
  type QuarantineWriter,
  type WaitOptions,
} from "./job-log.js";
import { JobWaiter } from "./job-waiter.js";
import { PLAIN_ROWS, type QuarantineCipher } from "./quarantine-cipher.js";
import { S3Objects } from "./s3-objects.js";
import { openS3Quarantine, readS3Quarantine } from "./s3-quarantine.js";

/**
 * The job log in the bucket, beside the raw uploads (so the process-cat-data Lambda and the API
 * Lambda share it): `jobs/<id>.json` records, the content index `jobs/by-sha256/<sha>/<id>` (empty
 * objects), quarantined rows as parts `jobs/quarantine/<id>/<n>.jsonl` (4 MiB each, so memory stays
 * bounded) and dead letters `jobs/dead-letters/<at>-<id>.json`. There are no cross-process locks in
 * S3: `claim` and `withContentLock` just run, and the lake's commit guard re-checks duplicates.
 * Given a `cipher` (from the store's master key), each quarantined row is AES-256-GCM sealed before
 * it is uploaded, on top of SSE (quarantine-cipher.ts).
 */
export interface S3JobLogOptions {
  bucket: string;
  region: string;
  /** An S3-compatible server, e.g. http://127.0.0.1:4568 (path-style addressing is then used). */
  endpoint?: string;
  forcePathStyle?: boolean;
  client?: S3Client;
  prefix?: string;
  /** How often `waitFor` re-reads a record (default 1 s). */
  pollMs?: number;
  /** Seals quarantined rows client-side; without one they rely on SSE alone. */
  cipher?: QuarantineCipher;
}

export class S3JobLog implements JobLog {
  readonly client: S3Client;
  private readonly objects: S3Objects;
  private readonly prefix: string;
  private readonly waiter: JobWaiter;
  private readonly cipher: QuarantineCipher | undefined;

  constructor(options: S3JobLogOptions) {
    this.cipher = options.cipher;
    this.prefix = options.prefix ?? "jobs/";
    this.client = s3ClientFor(options);
    this.objects = new S3Objects(this.client, options.bucket);
    this.waiter = new JobWaiter((id) => this.get(id), options.pollMs ?? 1000);
  }

  async save(job: JobRecord): Promise<void> {
    if (!isJobId(job.jobId)) throw new Error(`not a job id: ${job.jobId}`);
    await this.objects.put(`${this.prefix}${job.jobId}.json`, JSON.stringify(job, null, 2));
    if (isPublished(job) && isSha256(job.sha256)) {
      await this.objects.put(`${this.prefix}by-sha256/${job.sha256}/${job.jobId}`, "", "application/octet-stream");
    }
    this.waiter.notify(job);
  }

  async get(jobId: string): Promise<JobRecord | undefined> {
    if (!isJobId(jobId)) return undefined;
    // S3 replaces an object atomically; s3rver can serve one half-written, so a torn read is retried.
    for (let attempt = 1; ; attempt++) {
      const text = await this.objects.read(`${this.prefix}${jobId}.json`);
      try {
        return text === undefined ? undefined : (JSON.parse(text) as JobRecord);
      } catch (error) {
        if (!(error instanceof SyntaxError) || attempt >= 5) throw error;
        await sleep(20 * attempt);
      }
    }
  }

  async list(): Promise<JobRecord[]> {
    const ids = (await this.objects.keys(this.prefix, "/"))
      .map((k) => k.slice(this.prefix.length))
      .filter((n) => /^[0-9a-f]{20}\.json$/.test(n))
      .map((n) => n.slice(0, -5));
    const jobs = await Promise.all(ids.map((id) => this.get(id)));
    return jobs.filter((j): j is JobRecord => j !== undefined).sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  }

  async committedWithContent(sha256: string): Promise<JobRecord[]> {
    if (!isSha256(sha256)) return [];
    const dir = `${this.prefix}by-sha256/${sha256}/`;
    const jobs = await Promise.all((await this.objects.keys(dir)).map((k) => this.get(k.slice(dir.length))));
    return jobs.filter((j): j is JobRecord => j !== undefined && isPublished(j));
  }

  private quarantineDir = (jobId: string) => `${this.prefix}quarantine/${jobId}/`;
  private rowCipher = (jobId: string) => this.cipher?.forJob(jobId) ?? PLAIN_ROWS;

  openQuarantine(jobId: string): Promise<QuarantineWriter> {
    return openS3Quarantine(this.objects, this.quarantineDir(jobId), this.rowCipher(jobId));
  }

  async readQuarantine(jobId: string, offset = 0, limit = Number.POSITIVE_INFINITY): Promise<QuarantinedRow[]> {
    if (!isJobId(jobId)) return [];
    return readS3Quarantine(this.objects, this.quarantineDir(jobId), offset, limit, this.rowCipher(jobId));
  }

  async deadLetter(entry: DeadLetter): Promise<void> {
    await this.objects.put(`${this.prefix}dead-letters/${entry.at}-${entry.jobId}.json`, JSON.stringify(entry));
  }

  async deadLetters(): Promise<DeadLetter[]> {
    const keys = await this.objects.keys(`${this.prefix}dead-letters/`);
    const texts = await Promise.all(keys.map((k) => this.objects.read(k)));
    return texts.filter((t): t is string => t !== undefined).map((t) => JSON.parse(t) as DeadLetter);
  }

  waitFor(jobId: string, options?: WaitOptions): Promise<JobRecord> {
    return this.waiter.waitFor(jobId, options);
  }

  async claim<T>(_jobId: string, fn: () => Promise<T>): Promise<{ ran: true; value: T }> {
    return { ran: true, value: await fn() };
  }

  withContentLock<T>(_sha256: string, fn: () => Promise<T>): Promise<T> {
    return fn();
  }
}
