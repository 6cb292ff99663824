import { EventEmitter } from "node:events";
import { CatdataError } from "../errors.js";
import { isFinished, type JobRecord, type WaitOptions } from "./job-log.js";

/**
 * `JobLog.waitFor` for both job logs: each log owns one `JobWaiter`, tells it about every record it
 * saves (in-process waiters wake at once) and the waiter re-reads the record every `pollMs` for saves
 * made by other processes (the server, another CLI command, a Lambda). Never reads the store.
 */
export class JobWaiter {
  private readonly saved = new EventEmitter();

  constructor(
    private readonly read: (jobId: string) => Promise<JobRecord | undefined>,
    private readonly pollMs: number,
  ) {
    this.saved.setMaxListeners(0);
  }

  notify(job: JobRecord): void {
    this.saved.emit(job.jobId, structuredClone(job));
  }

  waitFor(jobId: string, options: WaitOptions = {}): Promise<JobRecord> {
    return new Promise<JobRecord>((resolve, reject) => {
      let lastProgress = "";
      let done = false;
      const finish = (error: unknown, job?: JobRecord) => {
        if (done) return;
        done = true;
        this.saved.off(jobId, seen);
        clearInterval(timer);
        if (deadline) clearTimeout(deadline);
        options.signal?.removeEventListener("abort", aborted);
        if (job) resolve(job);
        else reject(error);
      };
      const seen = (job: JobRecord | undefined) => {
        if (done || !job) return;
        const progress = JSON.stringify(job.progress);
        if (job.progress && progress !== lastProgress) options.onProgress?.(job);
        lastProgress = progress;
        if (isFinished(job)) finish(undefined, job);
      };
      const poll = () => {
        this.read(jobId).then(seen, (error: unknown) => finish(error));
      };
      const aborted = () => finish(options.signal?.reason ?? new Error("aborted"));
      this.saved.on(jobId, seen);
      const timer = setInterval(poll, this.pollMs);
      const deadline =
        options.timeoutMs === undefined
          ? undefined
          : setTimeout(
              () =>
                finish(
                  new CatdataError("UNAVAILABLE", `job ${jobId} did not finish within ${options.timeoutMs} ms`, {
                    hint: "see its status with `catdata jobs`",
                  }),
                ),
              options.timeoutMs,
            );
      if (options.signal?.aborted) return aborted();
      options.signal?.addEventListener("abort", aborted, { once: true });
      poll();
    });
  }
}
