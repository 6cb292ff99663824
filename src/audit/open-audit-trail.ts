import type { KeyStore } from "../keys/key-store.js";
import type { SigningKey } from "../keys/trail-signing-key.js";
import type { Logger } from "../log/logger.js";
import type { ObjectStore } from "../store/object-store.js";
import type { AuditSpool } from "./audit-spool.js";
import type { RecordSettings } from "./record.js";
import { AuditRecorder } from "./recorder.js";
import type { Timers } from "./timers.js";
import { TrailWriter } from "./trail-writer.js";

/**
 * Opens the platform's audit trail: the signing key from the key store, the digest chain resumed
 * from the store, and the recorder with its delivery and digest timers running. Records a killed
 * process left in the spool are delivered before it returns (the restart's recovery). Close it at
 * shutdown (`recorder.close()`): that delivers what is spooled and writes a last digest.
 */
export const DEFAULT_EVENT_SOURCE = "catdata.local";
export const DEFAULT_TRAIL_NAME = "catdata-api-trail";

interface AuditTrailBase {
  store: ObjectStore;
  accountId: string;
  region: string;
  /** `catdata.local` (default); on AWS `catdata.<domain>`. */
  eventSource?: string;
  trailName?: string;
  /** Path prefix the API is mounted under (`/api` locally), left out of route patterns. */
  basePath?: string;
  /** Where records wait for delivery (default: memory); the server gives a `FileSpool`. */
  spool?: AuditSpool;
  deliverEveryMs?: number;
  deliverEveryRecords?: number;
  digestEveryMs?: number;
  now?: () => Date;
  timers?: Timers;
  newId?: () => string;
  random?: () => string;
  logger?: Logger;
}

/** The digest signing key: from the key store (created there on first use), or given (tests). */
export type AuditTrailOptions = AuditTrailBase &
  ({ keys: Pick<KeyStore, "trailSigningKey"> } | { signingKey: SigningKey });

export async function openAuditTrail(options: AuditTrailOptions): Promise<AuditRecorder> {
  const now = options.now ?? (() => new Date());
  const signingKey = "signingKey" in options ? options.signingKey : await options.keys.trailSigningKey();
  const writer = await TrailWriter.open(
    {
      store: options.store,
      accountId: options.accountId,
      region: options.region,
      trailName: options.trailName ?? DEFAULT_TRAIL_NAME,
      signingKey,
      random: options.random,
      undigested: options.spool?.undigested,
    },
    now(),
  );
  const settings: RecordSettings = {
    eventSource: options.eventSource ?? DEFAULT_EVENT_SOURCE,
    region: options.region,
    accountId: options.accountId,
    newId: options.newId ?? (() => crypto.randomUUID()),
    basePath: options.basePath,
  };
  const recorder = new AuditRecorder({
    writer,
    settings,
    spool: options.spool,
    now,
    deliverEveryMs: options.deliverEveryMs,
    deliverEveryRecords: options.deliverEveryRecords,
    digestEveryMs: options.digestEveryMs,
    timers: options.timers,
    logger: options.logger,
  });
  const left = options.spool?.size ?? 0;
  if (left > 0) {
    options.logger?.info({ records: left }, "audit trail: delivering records spooled before a restart");
    await recorder.deliver();
  }
  return recorder;
}
