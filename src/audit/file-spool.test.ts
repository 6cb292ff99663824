/**
 * Pins the audit spool on disk:
 * - an append is in its segment file (0600, in a 0700 folder) when it resolves; concurrent appends
 *   share writes and every one of them is kept, in segments of at most `maxSegmentRecords`
 *   (exactly N: one segment; N + 1: two)
 * - a reopened folder (the next process after a kill) has every acknowledged record as sealed
 *   segments, a torn last line skipped; `delivered` removes a segment's file once it is empty
 * - openAuditTrail delivers what a killed process left before it returns, into a log file; a process
 *   killed after a delivery and before its digest leaves the file in `undigested.json`, so the next
 *   process's digest lists it: `audit verify` finds nothing inserted
 */
import { appendFileSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { manualClock, storeOnClock, testSigningKey } from "../testing/audit.js";
import { tempDir } from "../testing/fixtures.js";
import type { SpoolEntry } from "./audit-spool.js";
import { FileSpool } from "./file-spool.js";
import { openAuditTrail } from "./open-audit-trail.js";
import type { AuditRecord } from "./record.js";
import { verifyStoreTrail } from "./verify-store.js";

const N = 3;
const entry = (id: string): SpoolEntry => ({
  record: { eventID: id, eventTime: "2024-05-01T10:00:00Z", eventName: "GetCats" } as AuditRecord,
  at: 0,
});
const segments = (folder: string) => readdirSync(folder).filter((f) => f.endsWith(".jsonl"));
const lines = (folder: string) =>
  segments(folder)
    .sort()
    .map((f) => readFileSync(path.join(folder, f), "utf8").split("\n").filter(Boolean).length);

describe("FileSpool", () => {
  it("has each record on disk when append resolves, in segments of at most N", async () => {
    const folder = path.join(tempDir(), "spool");
    const spool = await FileSpool.open(folder, { maxSegmentRecords: N });
    await spool.append([entry("a")]);
    const [file] = readdirSync(folder);
    expect(JSON.parse(readFileSync(path.join(folder, file ?? ""), "utf8")).record.eventID).toBe("a");
    expect(statSync(path.join(folder, file ?? "")).mode & 0o777).toBe(0o600);
    expect(statSync(folder).mode & 0o777).toBe(0o700);
    await Promise.all(["b", "c"].map((id) => spool.append([entry(id)])));
    expect(lines(folder)).toEqual([N]); // exactly N: one segment
    await Promise.all(["d", "e", "f", "g"].map((id) => spool.append([entry(id)])));
    expect(lines(folder)).toEqual([N, N, 1]);
    expect(spool.size).toBe(7);
    await spool.close();
  });

  it("recovers acknowledged records after a kill, skips a torn line, and removes delivered segments", async () => {
    const folder = path.join(tempDir(), "spool");
    const first = await FileSpool.open(folder, { maxSegmentRecords: N });
    for (const id of ["a", "b", "c", "d"]) await first.append([entry(id)]);
    // The process is killed mid-write: half a line at the end of its open segment, never acknowledged.
    const open = readdirSync(folder).sort().at(-1) ?? "";
    appendFileSync(path.join(folder, open), '{"record":{"eventID":"e"');
    const second = await FileSpool.open(folder, { maxSegmentRecords: N });
    const segments = await second.seal();
    expect(segments.flatMap((s) => s.entries.map((e) => e.record.eventID))).toEqual(["a", "b", "c", "d"]);
    for (const s of segments) await second.delivered(s, s.entries);
    expect(readdirSync(folder)).toEqual([]);
    expect(second.size).toBe(0);
    await second.append([entry("f")]);
    expect(readdirSync(folder)).toHaveLength(1);
  });

  it("is delivered at start-up: openAuditTrail empties what a killed process left", async () => {
    const folder = path.join(tempDir(), "spool");
    const left = await FileSpool.open(folder);
    for (const id of ["a", "b"]) await left.append([entry(id)]);
    const clock = manualClock();
    const store = storeOnClock(clock);
    const trail = async () =>
      openAuditTrail({
        store,
        accountId: "123456789012",
        region: "ap-northeast-1",
        signingKey: testSigningKey(),
        spool: await FileSpool.open(folder),
        ...clock,
      });
    const recorder = await trail();
    expect(segments(folder)).toEqual([]);
    const [log] = (await store.list("AWSLogs/")).map((v) => v.key);
    const records = JSON.parse(gunzipSync(await store.get(log ?? "")).toString()).Records as AuditRecord[];
    expect(records.map((r) => r.eventID)).toEqual(["a", "b"]);
    expect(recorder.stats()).toMatchObject({ deliveredRecords: 2, buffered: 0 });
    // Killed now: delivered, no digest yet. The next process's digest lists that file.
    await clock.advance(60_000);
    const next = await trail();
    await next.close();
    const report = await verifyStoreTrail(store, { publicKey: testSigningKey().publicKeyPem });
    expect(report).toMatchObject({ ok: true, logFiles: 1, validLogFiles: 1, inserted: [], pending: [] });
  });
});
