/**
 * Pins the S3 object store.
 * Verified against a real S3-compatible server (s3rver on 127.0.0.1, in process):
 * - put/get/head round trip with the plaintext SHA-256 and metadata (non-ASCII values too) kept
 * - a multi-MB stream goes up in parts (UploadPart) and reads back verified; the spool file is removed
 * - a byte changed on the server's disk, a wrong `sha256` metadata or none at all is an integrity
 *   error (get throws; getStream errors at its end), never wrong data
 * - list (prefix, sorted), delete (then NOT_FOUND), invalid keys, a missing bucket, local put events
 *   only when configured, and on a server without versioning one version "null"
 * - the runtime with CATDATA_STORE=s3 + endpoint runs the ETL on put (an ingest lands in the lake)
 * Verified by request shape (aws-sdk-client-mock; s3rver has no versioning):
 * - PutObject asks for SSE AES256 with the sha256 metadata; GetObject/HeadObject carry VersionId
 * - ListObjectVersions (paged) gives versions and delete markers newest first
 * - restore is CopyObject with CopySource bucket/key?versionId=…, SSE and the sha256 kept
 * - delete is DeleteObject and returns the marker; NoSuchVersion / AccessDenied / NoSuchBucket map
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { ingestFile } from "../etl/ingest.js";
import { silentLogger } from "../log/logger.js";
import { openRuntime } from "../runtime.js";
import { tempConfig } from "../testing/fixtures.js";
import { S3RVER_CREDENTIALS, startS3rver, type TestS3 } from "../testing/s3.js";
import type { ObjectCreatedEvent } from "./object-store.js";
import { S3ObjectStore } from "./s3-store.js";

const BUCKET = "cat-data-bucket";

describe("S3ObjectStore against s3rver", () => {
  let s3: TestS3;
  let store: S3ObjectStore;
  beforeAll(async () => {
    s3 = await startS3rver();
    store = new S3ObjectStore({ region: "us-east-1", client: s3.client, emitLocalEvents: true });
  });
  afterAll(() => s3.close());

  it("round-trips a body with its checksum and metadata", async () => {
    const body = Buffer.from("animal_id,name\nA1,タマ\n");
    const v = await store.put("raw/131041/tama.csv", body, {
      contentType: "text/csv",
      metadata: { municipality: "131041", originalName: "たま.csv" },
    });
    expect(v).toMatchObject({ versionId: "null", size: body.length, isLatest: true, deleteMarker: false });
    expect(v.sha256).toBe(createHash("sha256").update(body).digest("hex"));
    expect((await store.get("raw/131041/tama.csv")).equals(body)).toBe(true);
    const head = await store.head("raw/131041/tama.csv");
    expect(head).toMatchObject({ sha256: v.sha256, size: body.length, contentType: "text/csv", isLatest: true });
    expect(head.metadata).toEqual({ municipality: "131041", originalname: "たま.csv" });
    const versions = await store.listVersions("raw/131041/tama.csv");
    expect(versions).toHaveLength(1);
    expect(versions[0]).toMatchObject({ versionId: "null", sha256: v.sha256 });
  });

  it("streams a multi-MB body up in parts and verifies it on the way back", async () => {
    const spoolDir = mkdtempSync(path.join(os.tmpdir(), "catdata-spool-"));
    const parts = new S3ObjectStore({ region: "us-east-1", client: s3.client, emitLocalEvents: false, spoolDir });
    const send = vi.spyOn(s3.client, "send");
    const big = randomBytes(11 * 1024 * 1024 + 7);
    const v = await parts.put("raw/big.bin", Readable.from([big.subarray(0, 1000), big.subarray(1000)]));
    const sent = send.mock.calls.map(([command]) => command.constructor.name);
    send.mockRestore();
    expect(sent.filter((n) => n === "UploadPartCommand")).toHaveLength(2);
    expect(sent).toContain("CompleteMultipartUploadCommand");
    expect(readdirSync(spoolDir)).toEqual([]);
    expect(v.size).toBe(big.length);
    expect((await parts.get("raw/big.bin")).equals(big)).toBe(true);
  });

  it("detects a tampered object, a wrong checksum and a missing one", async () => {
    await store.put("raw/t.csv", Buffer.from("x".repeat(5000)));
    const file = s3.objectFile(BUCKET, "raw/t.csv");
    const original = readFileSync(file);
    const flipped = Buffer.from(original);
    flipped[100] = (flipped[100] ?? 0) ^ 1;
    writeFileSync(file, flipped);
    await expect(store.get("raw/t.csv")).rejects.toMatchObject({
      code: "INTEGRITY",
      message: expect.stringMatching(/raw\/t.csv \(version latest\) failed verification: sha256 is/),
    });
    const stream = await store.getStream("raw/t.csv");
    await expect(stream.toArray()).rejects.toThrow(/sha256 is [0-9a-f]{64}, expected/);
    writeFileSync(file, original);
    expect((await store.get("raw/t.csv")).toString()).toBe("x".repeat(5000));

    const put = (Key: string, Metadata?: Record<string, string>) =>
      s3.client.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body: "forged", ...(Metadata ? { Metadata } : {}) }));
    await put("raw/forged.csv", { sha256: "0".repeat(64) });
    await expect(store.get("raw/forged.csv")).rejects.toThrow(/failed verification/);
    await put("raw/foreign.csv");
    await expect(store.get("raw/foreign.csv")).rejects.toMatchObject({
      code: "INTEGRITY",
      message: expect.stringMatching(/has no sha256 metadata/),
    });
  });

  it("lists live keys under a prefix, deletes, and refuses bad keys and buckets", async () => {
    await store.put("curated/c.parquet", Buffer.from("c"));
    await store.put("raw/list/b.csv", Buffer.from("b"));
    await store.put("raw/list/a.csv", Buffer.from("a"));
    expect((await store.list("raw/list/")).map((o) => [o.key, o.size])).toEqual([
      ["raw/list/a.csv", 1],
      ["raw/list/b.csv", 1],
    ]);
    const marker = await store.delete("raw/list/a.csv");
    expect(marker.deleteMarker).toBe(true);
    expect((await store.list("raw/list/")).map((o) => o.key)).toEqual(["raw/list/b.csv"]);
    await expect(store.get("raw/list/a.csv")).rejects.toMatchObject({ code: "NOT_FOUND", message: /no object/ });
    await expect(store.delete("raw/list/a.csv")).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await store.listVersions("raw/list/a.csv")).toEqual([]);
    await expect(store.put("../etc/passwd", Buffer.from("x"))).rejects.toThrow(/invalid object key/);
    const elsewhere = new S3ObjectStore({
      bucket: "no-such-bucket",
      region: "us-east-1",
      client: s3.client,
      emitLocalEvents: false,
    });
    await expect(elsewhere.get("raw/x.csv")).rejects.toMatchObject({
      code: "CONFIG_INVALID",
      message: /no-such-bucket does not exist/,
    });
  });

  it("emits put events only when configured to", async () => {
    const events: ObjectCreatedEvent[] = [];
    const off = store.onPut((e) => {
      events.push(e);
    });
    const quiet = new S3ObjectStore({ region: "us-east-1", client: s3.client, emitLocalEvents: false });
    quiet.onPut((e) => {
      events.push(e);
    });
    await quiet.put("raw/e.csv", Buffer.from("quiet"));
    const v = await store.put("raw/e.csv", Buffer.from("e"));
    off();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ eventName: "ObjectCreated:Put", s3: { bucket: { name: BUCKET } } });
    expect(events[0]?.s3.object).toMatchObject({ key: "raw/e.csv", size: 1, versionId: "null", sha256: v.sha256 });
  });

  it("runs the ETL on put through the runtime (CATDATA_STORE=s3 with an endpoint)", async () => {
    vi.stubEnv("AWS_ACCESS_KEY_ID", S3RVER_CREDENTIALS.accessKeyId);
    vi.stubEnv("AWS_SECRET_ACCESS_KEY", S3RVER_CREDENTIALS.secretAccessKey);
    const config = tempConfig({ CATDATA_STORE: "s3", CATDATA_S3_ENDPOINT: s3.endpoint });
    const runtime = await openRuntime(config, silentLogger);
    try {
      const csv = path.join(config.dataDirectory, "..", "austin.csv");
      writeFileSync(
        csv,
        "Animal ID,Name,DateTime,MonthYear,Found Location,Intake Type,Intake Condition,Animal Type,Sex upon Intake,Age upon Intake,Breed,Color\r\n" +
          "A1,Tom,01/03/2019 04:19:00 PM,01/03/2019 04:19:00 PM,Austin (TX),Stray,Normal,Cat,Intact Male,2 years,Domestic Shorthair,Black\r\n",
      );
      const job = await ingestFile(runtime, csv);
      expect(job).toMatchObject({ status: "succeeded", counts: { read: 1, loaded: 1 } });
      expect(runtime.store).toBeInstanceOf(S3ObjectStore);
      expect((await runtime.query.query("SELECT animal_id FROM intakes")).rows).toEqual([{ animal_id: "A1" }]);
    } finally {
      await runtime.close();
      vi.unstubAllEnvs();
    }
  });
});

describe("S3ObjectStore request shapes (versioned bucket, mocked)", () => {
  const client = new S3Client({ region: "ap-northeast-1", credentials: S3RVER_CREDENTIALS });
  const s3 = mockClient(client);
  const store = new S3ObjectStore({ region: "ap-northeast-1", client, emitLocalEvents: true });
  const sha = "a".repeat(64);
  const at = (s: string) => new Date(`2024-05-01T10:00:${s}Z`);
  beforeEach(() => s3.reset());

  it("puts with SSE AES256 and the sha256 metadata", async () => {
    s3.on(PutObjectCommand).resolves({ VersionId: "v9" });
    const v = await store.put("raw/a.csv", Buffer.from("abc"), {
      contentType: "text/csv",
      metadata: { profile: "austin" },
    });
    expect(s3.commandCalls(PutObjectCommand)[0]?.args[0].input).toMatchObject({
      Bucket: BUCKET,
      Key: "raw/a.csv",
      ContentType: "text/csv",
      ServerSideEncryption: "AES256",
      Metadata: { profile: "austin", sha256: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
    });
    expect(v.versionId).toBe("v9");
  });

  it("lists versions and delete markers newest first, reading a version by its id", async () => {
    s3.on(ListObjectVersionsCommand, { KeyMarker: undefined }).resolves({
      IsTruncated: true,
      NextKeyMarker: "raw/a.csv",
      NextVersionIdMarker: "v2",
      DeleteMarkers: [{ Key: "raw/a.csv", VersionId: "d3", IsLatest: true, LastModified: at("03") }],
      Versions: [{ Key: "raw/a.csv", VersionId: "v2", IsLatest: false, LastModified: at("02") }],
    });
    s3.on(ListObjectVersionsCommand, { KeyMarker: "raw/a.csv" }).resolves({
      IsTruncated: false,
      Versions: [
        { Key: "raw/a.csv", VersionId: "v1", IsLatest: false, LastModified: at("01") },
        { Key: "raw/a.csv.bak", VersionId: "x1", IsLatest: true, LastModified: at("09") },
      ],
    });
    s3.on(HeadObjectCommand).callsFake((input: { VersionId?: string }) => ({
      VersionId: input.VersionId,
      ContentLength: 3,
      LastModified: at(input.VersionId === "v2" ? "02" : "01"),
      Metadata: { sha256: sha },
    }));
    const versions = await store.listVersions("raw/a.csv");
    expect(versions.map((v) => [v.versionId, v.deleteMarker, v.isLatest, v.sha256])).toEqual([
      ["d3", true, true, ""],
      ["v2", false, false, sha],
      ["v1", false, false, sha],
    ]);
    expect(s3.commandCalls(ListObjectVersionsCommand).map((c) => c.args[0].input)).toEqual([
      { Bucket: BUCKET, Prefix: "raw/a.csv", KeyMarker: undefined, VersionIdMarker: undefined },
      { Bucket: BUCKET, Prefix: "raw/a.csv", KeyMarker: "raw/a.csv", VersionIdMarker: "v2" },
    ]);
    const body = Buffer.from("abc");
    s3.on(GetObjectCommand).resolves({ Body: Readable.from([body]) as never, Metadata: { sha256: sha } });
    await expect(store.get("raw/a.csv", "v1")).rejects.toThrow(/failed verification/);
    expect(s3.commandCalls(GetObjectCommand)[0]?.args[0].input).toEqual({
      Bucket: BUCKET,
      Key: "raw/a.csv",
      VersionId: "v1",
    });
  });

  it("restores with CopyObject from bucket/key?versionId=… and emits a Copy event", async () => {
    s3.on(HeadObjectCommand).resolves({
      VersionId: "v1",
      ContentLength: 3,
      ContentType: "text/csv",
      Metadata: { sha256: sha, municipality: "131041" },
    });
    s3.on(CopyObjectCommand).resolves({ VersionId: "v4", CopyObjectResult: { LastModified: at("04") } });
    const events: ObjectCreatedEvent[] = [];
    const off = store.onPut((e) => {
      events.push(e);
    });
    const v = await store.restore("raw/131041/猫 data.csv", "v1");
    off();
    expect(s3.commandCalls(CopyObjectCommand)[0]?.args[0].input).toEqual({
      Bucket: BUCKET,
      Key: "raw/131041/猫 data.csv",
      CopySource: "cat-data-bucket/raw/131041/%E7%8C%AB%20data.csv?versionId=v1",
      MetadataDirective: "REPLACE",
      Metadata: { sha256: sha, municipality: "131041", restoredfrom: "v1" },
      ContentType: "text/csv",
      ServerSideEncryption: "AES256",
    });
    expect(v).toMatchObject({ versionId: "v4", sha256: sha, isLatest: true, createdAt: "2024-05-01T10:00:04.000Z" });
    expect(events[0]).toMatchObject({ eventName: "ObjectCreated:Copy", s3: { object: { versionId: "v4" } } });
  });

  it("deletes with a marker and maps S3's errors", async () => {
    s3.on(HeadObjectCommand).resolves({ VersionId: "v1", Metadata: { sha256: sha } });
    s3.on(DeleteObjectCommand).resolves({ DeleteMarker: true, VersionId: "d5" });
    expect(await store.delete("raw/a.csv")).toMatchObject({ versionId: "d5", deleteMarker: true, isLatest: true });
    expect(s3.commandCalls(DeleteObjectCommand)[0]?.args[0].input).toEqual({ Bucket: BUCKET, Key: "raw/a.csv" });
    const err = (name: string) => Object.assign(new Error(name), { name, $metadata: {} });
    s3.on(HeadObjectCommand).rejects(err("NoSuchVersion"));
    await expect(store.head("raw/a.csv", "v0")).rejects.toMatchObject({
      code: "NOT_FOUND",
      message: "no version v0 of raw/a.csv",
    });
    s3.on(GetObjectCommand).rejects(err("AccessDenied"));
    await expect(store.get("raw/a.csv")).rejects.toMatchObject({ code: "FORBIDDEN" });
    s3.on(GetObjectCommand).rejects(err("NoSuchBucket"));
    await expect(store.get("raw/a.csv")).rejects.toMatchObject({ code: "CONFIG_INVALID" });
  });
});
