/**
 * Pins `verifyStoreTrail` on a trail written by the recorder into an encrypted local store (three
 * hourly digests over four log files), each tampering done to a copy of the store:
 * - untouched: verified, every signature checked and valid
 * - a changed byte in a log file (a new version through store.put): that file MODIFIED, naming its
 *   digest and the restorable original version
 * - a deleted log file (store.delete): DELETED, with its delete marker and restorable version
 * - an inserted log file (store.put of a new key): PENDING until the next digest, then INSERTED
 * - a deleted digest: the chain is broken, the digest DELETED, its log files not called inserted
 * - a changed byte in the encrypted bytes on disk: the store's own integrity check fires, and the
 *   file is reported MODIFIED with that reason
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import type { ObjectStore } from "../store/object-store.js";
import { manualClock, storeOnClock, testSigningKey } from "../testing/audit.js";
import { buildRecord } from "./build-record.js";
import { openAuditTrail } from "./open-audit-trail.js";
import type { AuditRecorder } from "./recorder.js";
import { verifyStoreTrail } from "./verify-store.js";

const root = mkdtempSync(path.join(os.tmpdir(), "catdata-audit-trail-"));
const publicKey = testSigningKey().publicKeyPem;
const open = (clock: ReturnType<typeof manualClock>, store: ObjectStore) =>
  openAuditTrail({
    store,
    accountId: "123456789012",
    region: "ap-northeast-1",
    signingKey: testSigningKey(),
    now: clock.now,
    timers: clock.timers,
    deliverEveryRecords: 2,
  });

const record = (recorder: AuditRecorder, time: Date, id: string) =>
  buildRecord(
    {
      ...{ time, method: "GET", routePattern: "/cats", path: "/cats", status: 200, query: {}, params: {} },
      ...{ body: undefined, response: undefined, error: undefined, requestId: id, sourceIp: "127.0.0.1" },
      ...{ userAgent: "t", user: { sub: "s", username: "ana" }, tls: undefined },
    },
    recorder.settings,
  );

/** Hour 10: log files A and B; hour 11: C; hour 12: D — digests at 11:00, 12:00, 13:00. */
const built = (async () => {
  const clock = manualClock();
  const recorder = await open(clock, storeOnClock(clock, root));
  const batch = async (id: string) => {
    for (const i of [1, 2]) recorder.record(record(recorder, clock.now(), `${id}-${i}`));
    await recorder.idle();
  };
  await batch("a");
  await batch("b");
  await clock.advance(3_600_000);
  await batch("c");
  await clock.advance(3_600_000);
  await batch("d");
  await clock.advance(3_600_000);
})();

async function copy() {
  await built;
  const dir = mkdtempSync(path.join(os.tmpdir(), "catdata-audit-copy-"));
  cpSync(root, dir, { recursive: true });
  const clock = manualClock("2024-05-01T13:05:00Z");
  const store = storeOnClock(clock, dir);
  const keys = (await store.list("AWSLogs/")).map((v) => v.key);
  const logs = keys.filter((k) => k.includes("/CloudTrail/"));
  const digests = keys.filter((k) => k.includes("/CloudTrail-Digest/"));
  return { dir, clock, store, logs, digests };
}

describe("verifying the audit trail in the store", () => {
  it("verifies an untouched trail, signatures included", async () => {
    const { store, logs, digests } = await copy();
    expect([logs.length, digests.length]).toEqual([4, 3]);
    const report = await verifyStoreTrail(store, { publicKey });
    expect(report).toMatchObject({ ok: true, validLogFiles: 4, modified: [], deleted: [], inserted: [], chain: [] });
    expect(report.signatures).toMatchObject({ status: "checked", valid: 3, invalid: [] });
  });

  it("reports a changed byte as modified, and a deleted file as deleted", async () => {
    const { store, logs } = await copy();
    const [changed, , deleted] = logs as [string, string, string];
    const text = gunzipSync(await store.get(changed))
      .toString()
      .replace("GetCats", "GetCatz");
    await store.put(changed, gzipSync(text));
    await store.delete(deleted);
    const report = await verifyStoreTrail(store, { publicKey });
    expect(report.ok).toBe(false);
    expect(report.modified).toEqual([
      { key: changed, reason: expect.stringMatching(/differs from .* in AWSLogs\/.*overwritten: 2 versions/) },
    ]);
    expect(report.deleted).toEqual([
      { key: deleted, kind: "log file", reason: expect.stringMatching(/delete marker\); version \w+ is restorable/) },
    ]);
    expect(report.inserted).toEqual([]);
  });

  it("reports an inserted file: pending before the next digest, inserted after it", async () => {
    const { clock, store, logs } = await copy();
    const inserted = (logs[0] ?? "").replace(/_[A-Za-z0-9]{16}\.json\.gz$/, "_EVILEVILEVILEVIL.json.gz");
    await store.put(inserted, gzipSync(JSON.stringify({ Records: [] })));
    expect(await verifyStoreTrail(store, { publicKey })).toMatchObject({ ok: true, pending: [inserted] });
    await clock.advance(5 * 60_000);
    const recorder = await open(clock, store);
    await recorder.close(); // the next digest, which does not list it
    const report = await verifyStoreTrail(store, { publicKey });
    expect(report).toMatchObject({ ok: false, inserted: [{ key: inserted }], modified: [], deleted: [] });
  });

  it("reports a deleted digest and the broken chain", async () => {
    const { store, digests } = await copy();
    const middle = digests[1] ?? "";
    await store.delete(middle);
    const report = await verifyStoreTrail(store, { publicKey });
    expect(report.ok).toBe(false);
    expect(report.deleted).toEqual([{ key: middle, kind: "digest", reason: expect.stringContaining("delete marker") }]);
    expect(report.chain).toEqual([{ key: digests[2], problem: expect.stringContaining("chain broken") }]);
    expect(report.inserted).toEqual([]);
    expect(report.notices.join("\n")).toContain(`listed only in the deleted digest ${middle}`);
  });

  it("reports encrypted bytes changed on disk: the store's integrity check fires", async () => {
    const { dir, store, logs } = await copy();
    const key = logs[1] ?? "";
    const folder = path.join(dir, "store", "cat-data-bucket", encodeURIComponent(key));
    const file = path.join(folder, readdirSync(folder).find((n) => n.endsWith(".obj")) ?? "");
    const bytes = readFileSync(file);
    bytes[Math.floor(bytes.length / 2)] = (bytes[Math.floor(bytes.length / 2)] ?? 0) ^ 0x01;
    writeFileSync(file, bytes);
    await expect(store.get(key)).rejects.toMatchObject({ code: "INTEGRITY" });
    const report = await verifyStoreTrail(store, { publicKey });
    expect(report.ok).toBe(false);
    expect(report.modified).toEqual([{ key, reason: expect.stringContaining("the store's integrity check failed") }]);
    expect(report.deleted).toEqual([]);
  });
});
