/**
 * Pins the trail lake in S3 (against s3rver): the TrailLake contract; parts land under
 * `trail/events/part-<sha256>.parquet` and the manifest is the object `trail/manifest.json`; a
 * reopened lake with an empty cache downloads the parts once and reads them locally; a damaged
 * cached copy is fetched again (the bucket's bytes match the manifest), never served.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeTrailLakeContract } from "../../testing/contracts/trail-lake.contract.js";
import { flipMiddleByte, flipMiddleByteOfFile } from "../../testing/flip-byte.js";
import { startS3rver, type TestS3 } from "../../testing/s3.js";
import { loadTrailFolder } from "./load-trail.js";
import { S3TrailLake } from "./s3-trail-lake.js";

let s3: TestS3;
let n = 0;
beforeAll(async () => {
  s3 = await startS3rver(["trail-bucket"]);
});
afterAll(async () => {
  await s3?.close();
});

const cache = () => mkdtempSync(path.join(os.tmpdir(), "catdata-trail-s3-cache-"));
const open = (prefix: string, cacheDir = cache()) =>
  new S3TrailLake({ bucket: "trail-bucket", region: "us-east-1", client: s3.client, cacheDir, prefix });

/** Flips a byte of the part in the bucket and drops the cached copy, so the lake fetches it again. */
async function corruptObject(key: string, cached: string): Promise<void> {
  const out = await s3.client.send(new GetObjectCommand({ Bucket: "trail-bucket", Key: key }));
  const body = flipMiddleByte(await out.Body!.transformToByteArray());
  await s3.client.send(new PutObjectCommand({ Bucket: "trail-bucket", Key: key, Body: body }));
  rmSync(cached, { force: true });
}

describeTrailLakeContract("s3 (s3rver)", async () => {
  const prefix = `t${++n}/trail/`;
  const dir = cache();
  return {
    lake: open(prefix, dir),
    reopen: () => open(prefix),
    corrupt: (part) => corruptObject(`${prefix}events/${part}`, path.join(dir, part)),
  };
});

describe("S3TrailLake", () => {
  it("puts parts and the manifest under trail/ in the bucket, and downloads parts once", async () => {
    const prefix = "layout/trail/";
    const lake = open(prefix);
    const folder = mkdtempSync(path.join(os.tmpdir(), "catdata-trail-s3-src-"));
    writeFileSync(
      path.join(folder, "a.json"),
      JSON.stringify({ Records: [{ eventID: "x1", eventTime: "2024-05-01T00:00:00Z", eventName: "ListBuckets" }] }),
    );
    await loadTrailFolder(lake, folder);
    const listed = await s3.client.send(new ListObjectsV2Command({ Bucket: "trail-bucket", Prefix: prefix }));
    const keys = (listed.Contents ?? []).map((o) => o.Key ?? "").sort();
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(/^layout\/trail\/events\/part-[0-9a-f]{64}\.parquet$/);
    expect(keys[1]).toBe("layout/trail/manifest.json");
    const fresh = open(prefix);
    const parts = await fresh.parts();
    expect(parts).toHaveLength(1);
    expect(parts.every((p) => existsSync(p))).toBe(true);
    expect(await fresh.parts()).toEqual(parts);
  });

  it("fetches a damaged cached copy again instead of serving it", async () => {
    const prefix = "cache-heal/trail/";
    const dir = cache();
    const lake = open(prefix, dir);
    const folder = mkdtempSync(path.join(os.tmpdir(), "catdata-trail-s3-src-"));
    writeFileSync(
      path.join(folder, "a.json"),
      JSON.stringify({ Records: [{ eventID: "c1", eventTime: "2024-05-01T00:00:00Z", eventName: "ListBuckets" }] }),
    );
    await loadTrailFolder(lake, folder);
    const [local] = await lake.parts();
    const good = readFileSync(local!);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await flipMiddleByteOfFile(local!);
    expect(readFileSync(local!).equals(good)).toBe(false);
    expect(await lake.parts()).toEqual([local]);
    expect(readFileSync(local!).equals(good)).toBe(true);
    expect(await lake.verify()).toEqual([]);
  });
});
