/**
 * Pins the S3 source against a real S3-compatible server (s3rver, in process): the flaws2 delivery
 * files uploaded under their own keys load into exactly the rows that loading the folder gives;
 * a second load downloads nothing and adds nothing; a new day's object is the only one downloaded
 * and loaded; bytes already in the lake from a local folder are not loaded twice; `since` lists
 * only the date folders from that day on (prefixes derived from the layout, not a full listing).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { CreateBucketCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { DuckDb } from "../../duckdb/duckdb.js";
import { freePort } from "../../testing/free-port.js";
import { tempTrailLake } from "../../testing/trail.js";
import { loadTrailFolder } from "../lake/load-trail.js";
import { trailPartsSql } from "../lake/parts-fingerprint.js";
import type { TrailLake } from "../lake/trail-lake.js";
import { createS3Client, loadTrailS3 } from "./s3-source.js";

interface S3rverInstance {
  run(): Promise<unknown>;
  close(): Promise<unknown>;
}
type S3rverClass = new (options: Record<string, unknown>) => S3rverInstance;
const S3rver = createRequire(import.meta.url)("s3rver") as S3rverClass;

const flaws2 = path.resolve(process.env.CATDATA_SAMPLES_DIR ?? "../shared/data", "cloudtrail", "flaws2");
const keys = ((existsSync(flaws2) ? readdirSync(flaws2, { recursive: true, encoding: "utf8" }) : []) as string[])
  .map((f) => f.split(path.sep).join("/"))
  .filter((f) => f.endsWith(".json.gz"))
  .sort();
const tempLake = () => tempTrailLake("catdata-s3-");
const bucket = "trail-logs";
const dayFolder = "AWSLogs/653711331788/CloudTrail/us_east_1/2018/11/";

async function lakeRows(lake: TrailLake): Promise<Record<string, unknown>[]> {
  const db = await DuckDb.open(":memory:");
  try {
    return await db.all(`SELECT * FROM ${trailPartsSql(await lake.parts())} ORDER BY source_file, record_index`);
  } finally {
    db.close();
  }
}

/** Counts the GetObject requests a client sends and keeps the prefixes it lists in full. */
function watch(client: S3Client) {
  const sent = { gets: 0, prefixes: [] as string[] };
  const send = client.send.bind(client);
  vi.spyOn(client, "send").mockImplementation(((command: { constructor: { name: string }; input: unknown }) => {
    if (command.constructor.name === "GetObjectCommand") sent.gets += 1;
    if (command instanceof ListObjectsV2Command && command.input.MaxKeys === undefined) {
      sent.prefixes.push(command.input.Prefix ?? "");
    }
    return send(command as never);
  }) as never);
  return sent;
}

describe.skipIf(keys.length === 0)("loading CloudTrail from S3 (s3rver)", () => {
  let server: S3rverInstance;
  let client: S3Client;
  let uploader: S3Client;
  let sent: ReturnType<typeof watch>;
  const lake = tempLake();

  beforeAll(async () => {
    const port = await freePort();
    server = new S3rver({
      port,
      address: "127.0.0.1",
      silent: true,
      directory: mkdtempSync(path.join(os.tmpdir(), "s3rver-")),
    });
    await server.run();
    const options = {
      endpoint: `http://127.0.0.1:${port}`,
      region: "us-east-1",
      credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
    };
    client = createS3Client(options);
    sent = watch(client);
    uploader = new S3Client({ ...options, forcePathStyle: true, requestChecksumCalculation: "WHEN_REQUIRED" });
    await uploader.send(new CreateBucketCommand({ Bucket: bucket }));
    for (const key of keys) {
      await uploader.send(
        new PutObjectCommand({ Bucket: bucket, Key: key, Body: readFileSync(path.join(flaws2, key)) }),
      );
    }
  });
  afterAll(async () => {
    client?.destroy();
    uploader?.destroy();
    await server?.close();
  });

  it("loads the same rows as the folder, then nothing more, then only a new day's object", async () => {
    const folderLake = tempLake();
    await loadTrailFolder(folderLake, flaws2);
    sent.gets = 0;
    sent.prefixes = [];
    const first = await loadTrailS3(lake, `s3://${bucket}`, { client });
    expect(first).toMatchObject({ filesSeen: 8, filesLoaded: 8, recordsLoaded: 37, unreadableFiles: [] });
    expect(sent.gets).toBe(8);
    const rows = await lakeRows(lake);
    expect(rows).toHaveLength(37);
    expect(rows).toEqual(await lakeRows(folderLake));

    const again = await loadTrailS3(lake, `s3://${bucket}/`, { client });
    expect(again).toMatchObject({ filesSeen: 8, filesLoaded: 0, filesSkipped: 8, unchangedObjects: 8 });
    expect(sent.gets).toBe(8);

    const original = JSON.parse(gunzipSync(readFileSync(path.join(flaws2, keys[0] ?? ""))).toString());
    const nextDay = {
      Records: original.Records.slice(0, 2).map((r: { eventID: string }) => ({ ...r, eventID: `${r.eventID}-next` })),
    };
    const newKey = `${dayFolder}29/653711331788_CloudTrail_us-east-1_20181129T0005Z_next.json.gz`;
    await uploader.send(new PutObjectCommand({ Bucket: bucket, Key: newKey, Body: gzipSync(JSON.stringify(nextDay)) }));
    const third = await loadTrailS3(lake, `s3://${bucket}`, { client });
    expect(third).toMatchObject({ filesSeen: 9, filesLoaded: 1, recordsLoaded: 2, unchangedObjects: 8 });
    expect(sent.gets).toBe(9);
    expect((await lakeRows(lake)).filter((r) => r.source_file === newKey)).toHaveLength(2);
  });

  it("skips objects whose bytes a local folder already put in the lake", async () => {
    const folderLake = tempLake();
    await loadTrailFolder(folderLake, flaws2);
    const summary = await loadTrailS3(folderLake, `s3://${bucket}/AWSLogs/`, { client, since: "2018-11-28" });
    expect(summary).toMatchObject({ filesLoaded: 1, filesSkipped: 8, recordsLoaded: 2 });
  });

  it("with since, lists only the date folders from that day on", async () => {
    sent.gets = 0;
    sent.prefixes = [];
    const now = () => new Date("2018-12-02T08:00:00Z");
    const summary = await loadTrailS3(tempLake(), `s3://${bucket}/AWSLogs/653711331788/`, {
      client,
      since: "2018-11-29",
      now,
    });
    expect(summary).toMatchObject({ filesSeen: 1, filesLoaded: 1, recordsLoaded: 2 });
    expect(sent.prefixes).toEqual([
      `${dayFolder}29/`,
      `${dayFolder}30/`,
      "AWSLogs/653711331788/CloudTrail/us_east_1/2018/12/",
    ]);
  });
});
