import { createHash } from "node:crypto";
import { gunzipSync, gzipSync } from "node:zlib";
import type { SigningKey } from "../keys/trail-signing-key.js";
import type { ObjectStore } from "../store/object-store.js";
import { buildDigest, type ChainLink, digestMetadata, type LogFileEntry } from "./digest-file.js";
import type { AuditRecord } from "./record.js";
import { digestFileKey, digestFolder, isDigestOf, logFileKey, randomSuffix, type TrailLocation } from "./trail-keys.js";

/**
 * Delivery into the store: a batch of records becomes one gzipped `{"Records":[…]}` log file, and
 * the log files delivered since the last digest become the next signed digest file, chained to the
 * one before (an empty period still gets its digest, as in CloudTrail). The chain resumes from the
 * newest digest already in the store, so a restart continues it; the log files a killed process
 * delivered after that digest (its `undigested` list — never whatever else lies in the store, which
 * could be an inserted file) are listed in the next one. Not safe for concurrent calls: the
 * recorder serialises them.
 */
export interface TrailWriterOptions extends TrailLocation {
  store: ObjectStore;
  signingKey: SigningKey;
  random?: () => string;
  /** Where the log files delivered since the last digest are kept across a kill (the spool's folder). */
  undigested?: UndigestedLog;
}

/** The writer's list of log files not yet in a digest, kept durably (only the files it delivered itself). */
export interface UndigestedLog {
  load(): Promise<LogFileEntry[]>;
  save(entries: readonly LogFileEntry[]): Promise<void>;
}

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

function logFileEntry(bucket: string, key: string, json: Uint8Array, records: AuditRecord[]): LogFileEntry {
  const times = records.map((r) => r.eventTime).sort();
  return {
    s3Bucket: bucket,
    s3Object: key,
    hashValue: sha256(json),
    hashAlgorithm: "SHA-256",
    newestEventTime: times.at(-1) ?? "",
    oldestEventTime: times[0] ?? "",
  };
}

export class TrailWriter {
  private pending: LogFileEntry[] = [];
  private previous: ChainLink | undefined;
  private periodStart: Date | undefined;

  private constructor(private readonly options: TrailWriterOptions) {}

  static async open(options: TrailWriterOptions, now: Date): Promise<TrailWriter> {
    const writer = new TrailWriter(options);
    await writer.resume(now);
    return writer;
  }

  private async resume(now: Date): Promise<void> {
    const { store } = this.options;
    const keys = (await store.list(digestFolder(this.options)))
      .map((v) => v.key)
      .filter((key) => isDigestOf(this.options, key))
      .sort();
    const newest = keys.at(-1);
    this.periodStart = now;
    let listed = new Set<string>();
    if (newest !== undefined) {
      const json = gunzipSync(await store.get(newest));
      const body = JSON.parse(json.toString("utf8")) as { digestEndTime?: string; logFiles?: { s3Object?: string }[] };
      const signature = (await store.head(newest)).metadata?.signature ?? "";
      this.previous = { bucket: store.bucket, key: newest, sha256: sha256(json), signature };
      if (body.digestEndTime) this.periodStart = new Date(body.digestEndTime);
      listed = new Set((body.logFiles ?? []).map((f) => f.s3Object ?? ""));
    }
    // What a killed process delivered after its last digest: the next digest lists it.
    this.pending = ((await this.options.undigested?.load()) ?? []).filter((f) => !listed.has(f.s3Object));
  }

  /** Log files delivered and not yet in a digest. */
  get undigested(): number {
    return this.pending.length;
  }

  async deliver(records: AuditRecord[], now: Date): Promise<LogFileEntry> {
    const { store } = this.options;
    const json = Buffer.from(JSON.stringify({ Records: records }));
    const key = logFileKey(this.options, now, (this.options.random ?? randomSuffix)());
    await store.put(key, gzipSync(json), { contentType: "application/json", metadata: { "content-encoding": "gzip" } });
    const entry = logFileEntry(store.bucket, key, json, records);
    this.pending.push(entry);
    await this.options.undigested?.save(this.pending);
    return entry;
  }

  /** Writes the digest for [last digest end, now) and returns its key. */
  async writeDigest(now: Date): Promise<string> {
    const { store, accountId, signingKey } = this.options;
    const start = this.periodStart ?? now;
    // Digest keys carry the end time to the second: never reuse the previous one's.
    const end = new Date(Math.max(Math.floor(now.getTime() / 1000) * 1000, start.getTime() + 1000));
    const key = digestFileKey(this.options, end);
    const logFiles = [...this.pending];
    const digest = buildDigest(
      { accountId, bucket: store.bucket, key, start, end, logFiles, previous: this.previous },
      signingKey,
    );
    await store.put(key, gzipSync(digest.json), {
      contentType: "application/json",
      metadata: digestMetadata(digest.signature),
    });
    this.pending = this.pending.slice(logFiles.length);
    await this.options.undigested?.save(this.pending);
    this.previous = { bucket: store.bucket, key, sha256: digest.sha256, signature: digest.signature };
    this.periodStart = end;
    return key;
  }
}
