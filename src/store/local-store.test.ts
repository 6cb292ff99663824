/**
 * Pins the local object store (the cat-data-bucket role):
 * - every put creates a new version; older versions stay readable; restore copies one back as latest
 * - contents are encrypted at rest (plaintext never on disk) and verified on every read
 * - a changed byte, a truncated file or the wrong master key is an integrity error, not wrong data
 * - delete adds a marker; list hides deleted keys; invalid keys (traversal) are refused
 * - a put emits an S3-shaped ObjectCreated event with the version id
 * - the master key is created 0600 outside the data directory and refused inside it
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { beforeEach, describe, expect, it } from "vitest";
import { LocalObjectStore } from "./local-store.js";
import { loadOrCreateMasterKey } from "./master-key.js";
import type { ObjectCreatedEvent } from "./object-store.js";

let root: string;
let store: LocalObjectStore;
const key = randomBytes(32);

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), "catdata-store-"));
  store = new LocalObjectStore(root, "cat-data-bucket", key);
});

function objFiles(k: string): string[] {
  const dir = path.join(root, "cat-data-bucket", encodeURIComponent(k));
  return readdirSync(dir)
    .filter((n) => n.endsWith(".obj"))
    .map((n) => path.join(dir, n));
}

describe("LocalObjectStore", () => {
  it("keeps every version and restores an older one as the new latest", async () => {
    const v1 = await store.put("raw/131041/intakes.csv", Buffer.from("a,b\n1,2\n"));
    const v2 = await store.put("raw/131041/intakes.csv", Buffer.from("a,b\n3,4\n"));
    expect(v1.versionId).not.toBe(v2.versionId);
    expect((await store.get("raw/131041/intakes.csv")).toString()).toBe("a,b\n3,4\n");
    expect((await store.get("raw/131041/intakes.csv", v1.versionId)).toString()).toBe("a,b\n1,2\n");
    const versions = await store.listVersions("raw/131041/intakes.csv");
    expect(versions.map((v) => v.versionId)).toEqual([v2.versionId, v1.versionId]);
    const v3 = await store.restore("raw/131041/intakes.csv", v1.versionId);
    expect((await store.get("raw/131041/intakes.csv")).toString()).toBe("a,b\n1,2\n");
    expect(await store.listVersions("raw/131041/intakes.csv")).toHaveLength(3);
    expect(v3.sha256).toBe(v1.sha256);
  });

  it("never writes plaintext to disk", async () => {
    const secret = "猫の個体番号,SECRET-MARKER-123\n".repeat(100);
    await store.put("raw/x.csv", Buffer.from(secret));
    const [file] = objFiles("raw/x.csv");
    const onDisk = readFileSync(file!);
    expect(onDisk.includes(Buffer.from("SECRET-MARKER-123"))).toBe(false);
    expect(onDisk.length).toBe(Buffer.byteLength(secret) + 4 + 12 + 16);
  });

  it("streams large bodies and verifies them on read", async () => {
    const big = randomBytes(3 * 1024 * 1024 + 7);
    const v = await store.put("raw/big.bin", Readable.from([big.subarray(0, 1000), big.subarray(1000)]));
    expect(v.size).toBe(big.length);
    expect((await store.get("raw/big.bin")).equals(big)).toBe(true);
  });

  it("detects a changed byte, a truncated file and a wrong key", async () => {
    await store.put("raw/t.csv", Buffer.from("x".repeat(5000)));
    const [file] = objFiles("raw/t.csv");
    const original = readFileSync(file!);
    const flipped = Buffer.from(original);
    flipped[100] = (flipped[100] ?? 0) ^ 1;
    writeFileSync(file!, flipped);
    await expect(store.get("raw/t.csv")).rejects.toThrow(/failed verification/);
    writeFileSync(file!, original.subarray(0, original.length - 5));
    await expect(store.get("raw/t.csv")).rejects.toThrow(/failed verification/);
    writeFileSync(file!, original);
    const other = new LocalObjectStore(root, "cat-data-bucket", randomBytes(32));
    await expect(other.get("raw/t.csv")).rejects.toThrow(/failed verification/);
    expect((await store.get("raw/t.csv")).toString()).toBe("x".repeat(5000));
  });

  it("deletes with a marker and lists only live keys under a prefix", async () => {
    await store.put("raw/a.csv", Buffer.from("a"));
    await store.put("raw/b.csv", Buffer.from("b"));
    await store.put("curated/c.parquet", Buffer.from("c"));
    await store.delete("raw/a.csv");
    expect((await store.list("raw/")).map((o) => o.key)).toEqual(["raw/b.csv"]);
    await expect(store.get("raw/a.csv")).rejects.toThrow(/no object/);
    const versions = await store.listVersions("raw/a.csv");
    expect(versions[0]?.deleteMarker).toBe(true);
    await store.restore("raw/a.csv", versions[1]!.versionId);
    expect((await store.get("raw/a.csv")).toString()).toBe("a");
  });

  it("refuses keys that could escape the bucket", async () => {
    for (const bad of ["../etc/passwd", "/abs.csv", "raw/../../x", "raw//x", "", "raw/\u0000x"]) {
      await expect(store.put(bad, Buffer.from("x"))).rejects.toThrow(/invalid object key/);
    }
  });

  it("emits an S3-shaped put event per version", async () => {
    const events: ObjectCreatedEvent[] = [];
    const off = store.onPut((e) => {
      events.push(e);
    });
    const v = await store.put("raw/e.csv", Buffer.from("e"));
    off();
    await store.put("raw/e.csv", Buffer.from("f"));
    expect(events).toHaveLength(1);
    expect(events[0]?.eventName).toBe("ObjectCreated:Put");
    expect(events[0]?.s3.object).toMatchObject({ key: "raw/e.csv", versionId: v.versionId, size: 1 });
  });
});

describe("master key", () => {
  it("is created once with mode 0600 and read back unchanged", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "catdata-key-"));
    const file = path.join(dir, "keys", "master.key");
    const k1 = loadOrCreateMasterKey(file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(loadOrCreateMasterKey(file).equals(k1)).toBe(true);
  });

  it("is refused inside the data directory", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "catdata-key-"));
    expect(() => loadOrCreateMasterKey(path.join(dir, "data", "k"), path.join(dir, "data"))).toThrow(
      /inside the data directory/,
    );
  });
});
