import type { Logger } from "../log/logger.js";
import { type ObjectCreatedEvent, type ObjectStore, objectCreatedEvent } from "../store/object-store.js";
import { isFinished, type JobLog, type JobRecord, jobIdFor } from "./job-log.js";
import { newJobRecord } from "./new-job.js";
import { type ProcessCatData, RAW_PREFIX } from "./process-cat-data.js";

export interface JobQueueDeps {
  jobs: JobLog;
  store: ObjectStore;
  process: ProcessCatData;
  logger: Logger;
  now?: () => Date;
}

/**
 * The durable queue between put events and process-cat-data, as S3 → Lambda is in AWS: `enqueue`
 * (the store's put listener) only saves the job record as `queued` and returns, so `put` returns as
 * soon as the version exists; a worker owned by this object runs the queued jobs in the background,
 * one at a time. The job records ARE the queue: `recover` (at start-up) takes up every job a crash
 * or a kill -9 left `queued` or `running` — process-cat-data cleans its staging and runs it once.
 */
export class JobQueue {
  private readonly pending: string[] = [];
  private worker: Promise<void> | undefined;
  private closed = false;
  private readonly now: () => Date;

  constructor(private readonly deps: JobQueueDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /** Records the put as a queued job (durable) and returns its id; the worker runs it later. */
  async enqueue(event: ObjectCreatedEvent): Promise<string | undefined> {
    const { key, versionId } = event.s3.object;
    if (!key.startsWith(RAW_PREFIX)) return undefined;
    const jobId = jobIdFor(event.s3.bucket.name, key, versionId);
    if (!(await this.deps.jobs.get(jobId))) {
      await this.deps.jobs.save(newJobRecord(event, jobId, "queued", this.now()));
    }
    this.schedule(jobId);
    return jobId;
  }

  /** Takes up every job left `queued` or `running`, oldest first; returns their ids. */
  async recover(): Promise<string[]> {
    const left = (await this.deps.jobs.list()).filter((j) => j.status === "queued" || j.status === "running");
    const ids = left.reverse().map((j) => j.jobId);
    for (const id of ids) this.schedule(id);
    return ids;
  }

  /** Resolves when nothing is queued or running in this process. */
  async idle(): Promise<void> {
    while (this.worker) await this.worker;
  }

  /** Takes no more work and waits for the job in hand; what is still queued stays queued (durable). */
  async close(): Promise<void> {
    this.closed = true;
    this.pending.length = 0;
    await this.idle();
  }

  private schedule(jobId: string): void {
    if (this.closed || this.pending.includes(jobId)) return;
    this.pending.push(jobId);
    this.kick();
  }

  private kick(): void {
    if (this.worker) return;
    this.worker = this.work().finally(() => {
      this.worker = undefined;
      if (this.pending.length > 0 && !this.closed) this.kick();
    });
  }

  private async work(): Promise<void> {
    for (let id = this.pending.shift(); id !== undefined; id = this.pending.shift()) {
      const job = await this.deps.jobs.get(id).catch(() => undefined);
      if (!job || isFinished(job)) continue;
      try {
        await this.run(job);
      } catch (error) {
        this.deps.logger.error({ err: error, jobId: id, key: job.key }, "queued job could not run");
      }
    }
  }

  private async run(job: JobRecord): Promise<void> {
    let event: ObjectCreatedEvent;
    try {
      event = objectCreatedEvent(job.bucket, await this.deps.store.head(job.key, job.versionId));
    } catch (error) {
      // The version is gone (or unreadable): the job is over, and says why.
      await this.deps.jobs.save({
        ...job,
        status: "failed",
        error: `cannot read ${job.key} version ${job.versionId}: ${(error as Error).message}`,
        finishedAt: this.now().toISOString(),
      });
      return;
    }
    await this.deps.process({ Records: [event] });
  }
}
