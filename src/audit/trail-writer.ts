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
 * newest digest already in the store, so a restart continues it. Not safe for concurrent calls:
 * the recorder serialises them.
 */
export interface TrailWriterOptions extends TrailLocation {
  store: ObjectStore;
  signingKey: SigningKey;
  random?: () => string;
}

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

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
    if (newest === undefined) return;
    const json = gunzipSync(await store.get(newest));
    const body = JSON.parse(json.toString("utf8")) as { digestEndTime?: string };
    const signature = (await store.head(newest)).metadata?.signature ?? "";
    this.previous = { bucket: store.bucket, key: newest, sha256: sha256(json), signature };
    if (body.digestEndTime) this.periodStart = new Date(body.digestEndTime);
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
    const times = records.map((r) => r.eventTime).sort();
    const entry: LogFileEntry = {
      s3Bucket: store.bucket,
      s3Object: key,
      hashValue: sha256(json),
      hashAlgorithm: "SHA-256",
      newestEventTime: times.at(-1) ?? "",
      oldestEventTime: times[0] ?? "",
    };
    this.pending.push(entry);
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
    this.previous = { bucket: store.bucket, key, sha256: digest.sha256, signature: digest.signature };
    this.periodStart = end;
    return key;
  }
}
