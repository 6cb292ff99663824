import type { Logger } from "../log/logger.js";
import type { AuditRecord, RecordSettings } from "./record.js";
import { realTimers, type Timers } from "./timers.js";

/**
 * The in-memory side of the trail: requests hand records to `record()` (no I/O on the request
 * path); a batch is delivered as one log file every `deliverEveryMs` or as soon as
 * `deliverEveryRecords` are waiting, and a digest is written every `digestEveryMs` and on `flush()`.
 * Deliveries and digests run one at a time, in order. A failed delivery keeps its records for the
 * next attempt. Clock and timers are injected.
 */
/** Where batches go: `TrailWriter` (the store), or a fake in tests. */
export interface TrailDelivery {
  deliver(records: AuditRecord[], now: Date): Promise<unknown>;
  writeDigest(now: Date): Promise<unknown>;
}

export interface RecorderOptions {
  writer: TrailDelivery;
  /** How records are stamped (event source, region, account, ids): read by the middleware. */
  settings: RecordSettings;
  deliverEveryMs?: number;
  deliverEveryRecords?: number;
  digestEveryMs?: number;
  /** Records kept while the store fails; beyond it the oldest are dropped (and counted). */
  maxBuffered?: number;
  now?: () => Date;
  timers?: Timers;
  logger?: Logger;
}

/** For `/metrics`: the trail's delivery state. */
export interface RecorderStats {
  deliveredFiles: number;
  deliveredRecords: number;
  digests: number;
  /** Time from the oldest record of the last delivered batch to its delivery. */
  lastDeliveryLagMs: number | null;
  buffered: number;
  failedDeliveries: number;
  droppedRecords: number;
}

export class AuditRecorder {
  private buffer: { record: AuditRecord; at: number }[] = [];
  private countTriggered = false;
  private captured: Promise<void> = Promise.resolve();
  private queue: Promise<unknown> = Promise.resolve();
  private readonly stops: (() => void)[];
  private readonly now: () => Date;
  private readonly perFile: number;
  private readonly counters: Omit<RecorderStats, "buffered"> = {
    deliveredFiles: 0,
    deliveredRecords: 0,
    digests: 0,
    lastDeliveryLagMs: null,
    failedDeliveries: 0,
    droppedRecords: 0,
  };

  readonly settings: RecordSettings;

  constructor(private readonly options: RecorderOptions) {
    this.settings = options.settings;
    this.now = options.now ?? (() => new Date());
    this.perFile = options.deliverEveryRecords ?? 500;
    const timers = options.timers ?? realTimers;
    this.stops = [
      timers.every(options.deliverEveryMs ?? 60_000, () => this.deliver()),
      timers.every(options.digestEveryMs ?? 3_600_000, () => this.digest()),
    ];
  }

  record(record: AuditRecord): void {
    this.buffer.push({ record, at: this.now().getTime() });
    const max = this.options.maxBuffered ?? 100_000;
    if (this.buffer.length > max) {
      this.counters.droppedRecords += this.buffer.length - max;
      this.buffer.splice(0, this.buffer.length - max);
    }
    if (this.buffer.length >= this.perFile && !this.countTriggered) {
      this.countTriggered = true;
      void this.deliver().finally(() => {
        this.countTriggered = false;
      });
    }
  }

  /**
   * A record built after the response (it may wait on a body). Records enter the buffer in the order
   * their calls were captured, whatever order their builds finish in; `flush()` waits for them.
   */
  capture(work: Promise<AuditRecord | undefined>): void {
    const previous = this.captured;
    this.captured = work
      .catch((error: unknown) => {
        this.options.logger?.error({ err: error }, "audit record lost");
        return undefined;
      })
      .then(async (record) => {
        await previous;
        if (record) this.record(record);
      });
  }

  stats(): RecorderStats {
    return { ...this.counters, buffered: this.buffer.length };
  }

  /** Delivers everything buffered (in files of at most `deliverEveryRecords`). */
  deliver(): Promise<void> {
    return this.serial(async () => {
      while (this.buffer.length > 0) {
        const batch = this.buffer.splice(0, this.perFile);
        const now = this.now();
        try {
          await this.options.writer.deliver(
            batch.map((b) => b.record),
            now,
          );
        } catch (error) {
          this.buffer.unshift(...batch);
          this.counters.failedDeliveries += 1;
          this.options.logger?.error({ err: error, records: batch.length }, "audit trail delivery failed");
          return;
        }
        this.counters.deliveredFiles += 1;
        this.counters.deliveredRecords += batch.length;
        this.counters.lastDeliveryLagMs = now.getTime() - Math.min(...batch.map((b) => b.at));
      }
    });
  }

  /** Writes the digest of the log files delivered since the last one (also when there are none). */
  digest(): Promise<void> {
    return this.serial(async () => {
      try {
        await this.options.writer.writeDigest(this.now());
        this.counters.digests += 1;
      } catch (error) {
        this.options.logger?.error({ err: error }, "audit trail digest failed");
      }
    });
  }

  /** Resolves when the deliveries and digests started so far are done. */
  async idle(): Promise<void> {
    await this.queue;
  }

  /** Waits for pending records, delivers them and writes a digest: call at shutdown. */
  async flush(): Promise<void> {
    for (let last: Promise<void> | undefined; last !== this.captured; ) {
      last = this.captured;
      await last;
    }
    await this.deliver();
    await this.digest();
  }

  /** Stops the timers and flushes. */
  async close(): Promise<void> {
    for (const stop of this.stops) stop();
    await this.flush();
  }

  private serial(task: () => Promise<void>): Promise<void> {
    const run = this.queue.then(task, task);
    this.queue = run;
    return run;
  }
}
