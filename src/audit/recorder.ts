import type { Logger } from "../log/logger.js";
import { type AuditSpool, DEFAULT_SEGMENT_RECORDS, type SpoolEntry } from "./audit-spool.js";
import { MemorySpool } from "./memory-spool.js";
import type { AuditRecord, RecordSettings } from "./record.js";
import { realTimers, type Timers } from "./timers.js";

/**
 * The trail's recorder: requests hand records to `capture()`, which resolves once the record is in
 * the spool (on disk with a `FileSpool`: the response waits for that, never for the store). The
 * spool is delivered as log files (one per segment of at most `deliverEveryRecords`) every
 * `deliverEveryMs`, as soon as `deliverEveryRecords` are waiting, and at start-up for what a killed
 * process left; a digest is written every `digestEveryMs` and on `flush()`. Deliveries and digests
 * run one at a time, in order. A failed delivery keeps its records for the next attempt. Clock and
 * timers are injected.
 */
/** Where batches go: `TrailWriter` (the store), or a fake in tests. */
export interface TrailDelivery {
  deliver(records: AuditRecord[], now: Date): Promise<unknown>;
  writeDigest(now: Date): Promise<unknown>;
}

/** Delivery every minute, or at this many waiting records (one log file each). */
export const DEFAULT_DELIVER_EVERY_MS = 60_000;
export const DEFAULT_DELIVER_EVERY_RECORDS = DEFAULT_SEGMENT_RECORDS;
/** Records kept while the store fails; beyond it the oldest are dropped (and counted). */
export const DEFAULT_MAX_BUFFERED = 100_000;

export interface RecorderOptions {
  writer: TrailDelivery;
  /** How records are stamped (event source, region, account, ids): read by the middleware. */
  settings: RecordSettings;
  /** Where records wait for delivery: in memory by default; `FileSpool` survives a kill. */
  spool?: AuditSpool;
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
  private countTriggered = false;
  private readonly pending = new Set<Promise<void>>();
  private queue: Promise<unknown> = Promise.resolve();
  private readonly stops: (() => void)[];
  private readonly now: () => Date;
  private readonly perFile: number;
  private readonly spool: AuditSpool;
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
    this.perFile = options.deliverEveryRecords ?? DEFAULT_DELIVER_EVERY_RECORDS;
    this.spool = options.spool ?? new MemorySpool(this.perFile);
    const timers = options.timers ?? realTimers;
    this.stops = [
      timers.every(options.deliverEveryMs ?? DEFAULT_DELIVER_EVERY_MS, () => this.deliver()),
      timers.every(options.digestEveryMs ?? 3_600_000, () => this.digest()),
    ];
  }

  /** Spools a record; resolves once it is spooled (durable with a file spool). */
  record(record: AuditRecord): Promise<void> {
    return this.track(this.spoolOne(record));
  }

  private async spoolOne(record: AuditRecord): Promise<void> {
    await this.spool.append([{ record, at: this.now().getTime() }]);
    const max = this.options.maxBuffered ?? DEFAULT_MAX_BUFFERED;
    if (this.spool.size > max) this.counters.droppedRecords += await this.spool.dropOldest(this.spool.size - max);
    if (this.spool.size >= this.perFile && !this.countTriggered) {
      this.countTriggered = true;
      void this.deliver().finally(() => {
        this.countTriggered = false;
      });
    }
  }

  /**
   * A record built after the handler (it may wait on a body, bounded): resolves once it is spooled,
   * so the middleware holds the response until then. Never rejects: a lost record is logged.
   */
  capture(work: Promise<AuditRecord | undefined>): Promise<void> {
    return this.track(
      work
        .then(async (record) => {
          if (record) await this.spoolOne(record);
        })
        .catch((error: unknown) => {
          this.options.logger?.error({ err: error }, "audit record lost");
        }),
    );
  }

  private track(work: Promise<void>): Promise<void> {
    this.pending.add(work);
    void work.finally(() => this.pending.delete(work)).catch(() => undefined);
    return work;
  }

  stats(): RecorderStats {
    return { ...this.counters, buffered: this.spool.size };
  }

  /** Delivers everything spooled: one log file per segment (split into files of at most `deliverEveryRecords`). */
  deliver(): Promise<void> {
    return this.serial(async () => {
      for (const segment of await this.spool.seal()) {
        while (segment.entries.length > 0) {
          const batch = segment.entries.slice(0, this.perFile);
          const now = this.now();
          try {
            await this.options.writer.deliver(inEventOrder(batch), now);
          } catch (error) {
            this.counters.failedDeliveries += 1;
            this.options.logger?.error({ err: error, records: batch.length }, "audit trail delivery failed");
            return;
          }
          await this.spool.delivered(segment, batch);
          this.counters.deliveredFiles += 1;
          this.counters.deliveredRecords += batch.length;
          this.counters.lastDeliveryLagMs = now.getTime() - Math.min(...batch.map((b) => b.at));
        }
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

  /** Resolves when the records captured and the deliveries and digests started so far are done. */
  async idle(): Promise<void> {
    await Promise.all([...this.pending]);
    await this.queue;
  }

  /** Waits for pending records, delivers them and writes a digest: call at shutdown. */
  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
    await this.deliver();
    await this.digest();
  }

  /** Stops the timers, flushes and closes the spool. */
  async close(): Promise<void> {
    for (const stop of this.stops) stop();
    await this.flush();
    await this.spool.close();
  }

  private serial(task: () => Promise<void>): Promise<void> {
    const run = this.queue.then(task, task);
    this.queue = run;
    return run;
  }
}

/** A log file's records by event time (stable: records of one second keep their spool order). */
const inEventOrder = (batch: readonly SpoolEntry[]): AuditRecord[] =>
  batch.map((b) => b.record).sort((a, b) => (a.eventTime < b.eventTime ? -1 : a.eventTime > b.eventTime ? 1 : 0));
