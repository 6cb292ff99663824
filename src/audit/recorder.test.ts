/**
 * Pins delivery and digests, on a manual clock and a real encrypted local store:
 * - a batch is delivered when N records wait, and after N seconds otherwise (not before); a big
 *   backlog goes out in files of at most N records
 * - log files are gzipped {"Records":[…]} under CloudTrail's key layout, outside raw/ (no ETL)
 * - stats() gives delivered files/records, the last delivery lag (oldest record → delivery) and
 *   what is buffered; a failed delivery keeps its records and the next one delivers them
 * - a digest every hour, also for an empty hour, chained (previous key, hash of its uncompressed
 *   content, signature), listing each log file with the SHA-256 of its uncompressed content;
 *   signed over CloudTrail's signing string, the signature in the object's metadata
 * - a reopened trail continues the chain from the newest digest in the store; the signing key
 *   file is created 0600 with its public key beside it
 */
import { createHash, verify } from "node:crypto";
import { statSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { RAW_PREFIX } from "../etl/process-cat-data.js";
import { LocalKeyStore } from "../keys/local-key-store.js";
import { DataDir } from "../local/data-dir.js";
import type { ObjectStore } from "../store/object-store.js";
import { type ManualClock, manualClock, storeOnClock, testSigningKey } from "../testing/audit.js";
import { tempDir } from "../testing/fixtures.js";
import { signingString } from "../trail/digest/digest.js";
import { buildRecord } from "./build-record.js";
import { openAuditTrail } from "./open-audit-trail.js";
import type { AuditRecorder } from "./recorder.js";

const ACCOUNT = "123456789012";
const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

async function trail(clock: ManualClock, store: ObjectStore, over: { deliverEveryRecords?: number } = {}) {
  return openAuditTrail({
    store,
    accountId: ACCOUNT,
    region: "ap-northeast-1",
    signingKey: testSigningKey(),
    now: clock.now,
    timers: clock.timers,
    deliverEveryMs: 60_000,
    deliverEveryRecords: over.deliverEveryRecords ?? 3,
    digestEveryMs: 3_600_000,
  });
}

function add(recorder: AuditRecorder, clock: ManualClock, n: number) {
  for (let i = 0; i < n; i += 1) {
    recorder.record(
      buildRecord(
        {
          time: clock.now(),
          method: "GET",
          routePattern: "/cats",
          path: "/cats",
          status: 200,
          query: {},
          params: {},
          body: undefined,
          response: undefined,
          error: undefined,
          requestId: `r${i}`,
          sourceIp: "127.0.0.1",
          userAgent: "t",
          user: undefined,
          tls: undefined,
        },
        recorder.settings,
      ),
    );
  }
}

const gz = async (store: ObjectStore, key: string) => JSON.parse(gunzipSync(await store.get(key)).toString("utf8"));
const logKeys = async (store: ObjectStore) => (await store.list(`AWSLogs/${ACCOUNT}/CloudTrail/`)).map((v) => v.key);
const digestKeys = async (store: ObjectStore) =>
  (await store.list(`AWSLogs/${ACCOUNT}/CloudTrail-Digest/`)).map((v) => v.key);

describe("audit trail delivery", () => {
  it("delivers by count and by time, in CloudTrail's layout, and reports its stats", async () => {
    const clock = manualClock();
    const store = storeOnClock(clock);
    const recorder = await trail(clock, store);
    add(recorder, clock, 2);
    await clock.advance(30_000);
    expect(await logKeys(store)).toEqual([]);
    add(recorder, clock, 1); // the third record: a full batch
    await recorder.idle();
    expect(await logKeys(store)).toHaveLength(1);
    expect(recorder.stats()).toMatchObject({ deliveredFiles: 1, deliveredRecords: 3, lastDeliveryLagMs: 30_000 });
    add(recorder, clock, 1);
    await clock.advance(29_999);
    expect(recorder.stats()).toMatchObject({ deliveredFiles: 1, buffered: 1 });
    await clock.advance(1); // the minute timer
    expect(recorder.stats()).toMatchObject({ deliveredFiles: 2, buffered: 0, lastDeliveryLagMs: 30_000 });
    const keys = await logKeys(store);
    expect(keys[0]).toMatch(
      /^AWSLogs\/123456789012\/CloudTrail\/ap-northeast-1\/2024\/05\/01\/123456789012_CloudTrail_ap-northeast-1_20240501T1000Z_[A-Za-z0-9]{16}\.json\.gz$/,
    );
    expect(keys.every((k) => !k.startsWith(RAW_PREFIX))).toBe(true);
    expect((await gz(store, keys[0] ?? "")).Records.map((r: { requestID: string }) => r.requestID)).toEqual([
      "r0",
      "r1",
      "r0",
    ]);
  });

  it("keeps records when a delivery fails and splits a backlog into files of N", async () => {
    const clock = manualClock();
    const store = storeOnClock(clock);
    const recorder = await trail(clock, store, { deliverEveryRecords: 2 });
    const put = store.put.bind(store);
    let failures = 1;
    store.put = async (...args) => (failures-- > 0 ? Promise.reject(new Error("disk full")) : put(...args));
    add(recorder, clock, 5);
    await recorder.idle();
    expect(recorder.stats()).toMatchObject({ failedDeliveries: 1, buffered: 5 });
    await recorder.deliver();
    expect(recorder.stats()).toMatchObject({ deliveredFiles: 3, deliveredRecords: 5, buffered: 0 });
  });

  it("writes hourly digests, empty hours included, chained and signed; a reopened trail continues the chain", async () => {
    const clock = manualClock();
    const store = storeOnClock(clock);
    const first = await trail(clock, store);
    add(first, clock, 3);
    await clock.advance(3_600_000); // hour 1: one log file; hour 2 below is empty
    await clock.advance(3_600_000);
    await first.close();
    const second = await trail(clock, store);
    await clock.advance(60_000);
    await second.close();
    const keys = await digestKeys(store);
    expect(keys.map((k) => k.split("_").at(-1))).toEqual([
      "20240501T110000Z.json.gz",
      "20240501T120000Z.json.gz",
      "20240501T120001Z.json.gz", // close() in the same second as the hourly digest: one second later
      "20240501T120100Z.json.gz",
    ]);
    const digests = await Promise.all(keys.map((k) => gz(store, k)));
    const [log] = await logKeys(store);
    expect(digests[0]).toMatchObject({
      digestStartTime: "2024-05-01T10:00:00Z",
      digestEndTime: "2024-05-01T11:00:00Z",
      previousDigestS3Object: null,
      logFiles: [
        { s3Object: log, hashValue: sha256(gunzipSync(await store.get(log ?? ""))), hashAlgorithm: "SHA-256" },
      ],
      digestSignatureAlgorithm: "SHA256withRSA",
      digestPublicKeyFingerprint: testSigningKey().fingerprint,
    });
    for (const [i, digest] of digests.entries()) {
      const meta = (await store.head(keys[i] ?? "")).metadata ?? {};
      const hash = sha256(gunzipSync(await store.get(keys[i] ?? "")));
      const signed = verify(
        "sha256",
        Buffer.from(signingString(digest, hash)),
        testSigningKey().publicKey,
        Buffer.from(meta.signature ?? "", "hex"),
      );
      expect(signed).toBe(true);
      if (i === 0) continue;
      const previous = digests[i - 1];
      expect(digest).toMatchObject({
        digestStartTime: previous.digestEndTime,
        previousDigestS3Object: keys[i - 1],
        previousDigestHashValue: sha256(gunzipSync(await store.get(keys[i - 1] ?? ""))),
        previousDigestSignature: (await store.head(keys[i - 1] ?? "")).metadata?.signature,
      });
      if (i > 0) expect(digest.logFiles).toEqual([]);
    }
  });

  it("creates the signing key 0600 with its public key beside it", async () => {
    const dir = new DataDir(tempDir());
    const key = await new LocalKeyStore(dir).trailSigningKey();
    expect(statSync(dir.keys.trailSigningPrivate).mode & 0o777).toBe(0o600);
    expect((await new LocalKeyStore(dir).trailSigningKey()).fingerprint).toBe(key.fingerprint);
    expect(statSync(dir.keys.trailSigningPublic).isFile()).toBe(true);
  });

  it("signs its digests with the key store's trail key", async () => {
    const clock = manualClock();
    const store = storeOnClock(clock);
    const keys = new LocalKeyStore(new DataDir(tempDir()));
    const recorder = await openAuditTrail({ store, keys, accountId: ACCOUNT, region: "ap-northeast-1", ...clock });
    await clock.advance(3_600_000);
    await recorder.close();
    const [digestKey] = (await store.list("AWSLogs/")).map((v) => v.key).filter((k) => k.includes("Digest"));
    const digest = JSON.parse(gunzipSync(await store.get(digestKey ?? "")).toString()) as Record<string, unknown>;
    expect(digest.digestPublicKeyFingerprint).toBe((await keys.trailSigningKey()).fingerprint);
  });
});
