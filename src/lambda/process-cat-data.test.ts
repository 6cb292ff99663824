/**
 * Pins the process-cat-data Lambda entry, in process against s3rver (an S3-compatible server), with
 * the real S3 put event shape (URL-encoded key, no versionId on an unversioned bucket):
 * - the exported `handler` builds its runtime from the environment (CATDATA_STORE=s3) and runs the
 *   upload through process-cat-data: the job record lands at `jobs/<id>.json` in the bucket and the
 *   rows in the S3 lake, queryable
 * - a re-delivered event returns the same finished job (nothing loaded twice)
 * - a job that fails (an empty file) makes the invocation throw, naming the key and the reason
 */
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { jobIdFor } from "../etl/job-log.js";
import { S3JobLog } from "../etl/s3-job-log.js";
import { S3Lake } from "../lake/s3-lake.js";
import { S3ObjectStore } from "../store/s3-store.js";
import { austinCsv } from "../testing/austin-rows.js";
import { S3RVER_CREDENTIALS, startS3rver, type TestS3 } from "../testing/s3.js";
import { handler, type S3Event } from "./process-cat-data.js";

const BUCKET = "cat-data-bucket";

/** What S3 sends for a PUT (trimmed to the fields the handler reads, plus a few it ignores). */
const putEvent = (key: string, size: number): S3Event => ({
  Records: [
    {
      eventSource: "aws:s3",
      eventName: "ObjectCreated:Put",
      eventTime: "2026-01-10T12:00:00.000Z",
      s3: {
        bucket: { name: BUCKET },
        object: {
          key: encodeURIComponent(key).replace(/%2F/g, "/").replace(/%20/g, "+"),
          size,
          eTag: "x",
          sequencer: "0A1B",
        },
      },
    },
  ],
});

describe("process-cat-data Lambda", () => {
  let s3: TestS3;
  let store: S3ObjectStore;
  beforeAll(async () => {
    s3 = await startS3rver([BUCKET]);
    store = new S3ObjectStore({ region: "us-east-1", client: s3.client, emitLocalEvents: false });
    const home = mkdtempSync(path.join(os.tmpdir(), "catdata-lambda-"));
    vi.stubEnv("AWS_ACCESS_KEY_ID", S3RVER_CREDENTIALS.accessKeyId);
    vi.stubEnv("AWS_SECRET_ACCESS_KEY", S3RVER_CREDENTIALS.secretAccessKey);
    vi.stubEnv("CATDATA_STORE", "s3");
    vi.stubEnv("CATDATA_S3_ENDPOINT", s3.endpoint);
    vi.stubEnv("CATDATA_HOME", home);
    vi.stubEnv("CATDATA_KEY_FILE", path.join(home, "..", "master.key"));
    vi.stubEnv("CATDATA_LOG_LEVEL", "silent");
    vi.stubEnv("CATDATA_DEMO", "false");
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await s3.close();
  });

  it("loads an upload from its S3 put event, once", async () => {
    const key = "raw/us-tx-austin/2026-01-10/austin intakes.csv";
    const body = Buffer.from(austinCsv(25));
    await store.put(key, body, { contentType: "text/csv" });
    const result = await handler(putEvent(key, body.length));
    const jobId = jobIdFor(BUCKET, key, "null");
    expect(result.jobs).toEqual([
      {
        jobId,
        key,
        status: "succeeded",
        counts: { read: 25, loaded: 25, quarantined: 0, deduplicated: 0, skipped: 0 },
      },
    ]);
    const jobs = new S3JobLog({ bucket: BUCKET, region: "us-east-1", client: s3.client });
    expect(await jobs.get(jobId)).toMatchObject({ status: "succeeded", key, versionId: "null" });
    const lake = new S3Lake({
      bucket: BUCKET,
      region: "us-east-1",
      client: s3.client,
      scratchDir: mkdtempSync(path.join(os.tmpdir(), "catdata-l-")),
    });
    const catalog = await lake.readCatalog();
    expect(catalog.tables.intakes?.files.every((f) => f.jobId === jobId)).toBe(true);
    expect(catalog.jobs[jobId]?.sha256).toMatch(/^[0-9a-f]{64}$/);
    const again = await handler(putEvent(key, body.length));
    expect(again.jobs).toEqual(result.jobs);
  });

  it("throws when the job fails, naming the key and why", async () => {
    const key = "raw/us-tx-austin/2026-01-10/empty.csv";
    await store.put(key, Buffer.alloc(0), { contentType: "text/csv" });
    await expect(handler(putEvent(key, 0))).rejects.toThrow(/empty\.csv.*is empty/);
  });
});
