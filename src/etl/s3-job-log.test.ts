/**
 * Pins the S3 job log against s3rver (an S3-compatible server on 127.0.0.1) with the shared JobLog
 * contract (job-log.contract.ts), plus its layout in the bucket: records at `jobs/<id>.json`, the
 * content index at `jobs/by-sha256/<sha>/<id>`, quarantine parts under `jobs/quarantine/<id>/`.
 */
import { randomBytes } from "node:crypto";
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeJobLogContract, jobRecord } from "../testing/contracts/job-log.contract.js";
import { startS3rver, type TestS3 } from "../testing/s3.js";
import { QuarantineCipher } from "./quarantine-cipher.js";
import { S3JobLog } from "./s3-job-log.js";

const BUCKET = "cat-data-bucket";

/** Every object in the bucket, concatenated. */
async function objectsIn(s3: TestS3): Promise<Buffer> {
  const listed = await s3.client.send(new ListObjectsV2Command({ Bucket: BUCKET }));
  const bodies = await Promise.all(
    (listed.Contents ?? []).map(async (o) => {
      const out = await s3.client.send(new GetObjectCommand({ Bucket: BUCKET, Key: o.Key }));
      return Buffer.from((await out.Body?.transformToByteArray()) ?? []);
    }),
  );
  return Buffer.concat(bodies);
}

describeJobLogContract("s3", async () => {
  const s3 = await startS3rver([BUCKET]);
  const cipher = new QuarantineCipher(randomBytes(32));
  const open = () => new S3JobLog({ bucket: BUCKET, region: "us-east-1", client: s3.client, pollMs: 50, cipher });
  return { jobs: open(), reopen: open, storedBytes: () => objectsIn(s3), close: () => s3.close() };
});

describe("S3JobLog layout", () => {
  let s3: TestS3;
  beforeAll(async () => {
    s3 = await startS3rver([BUCKET]);
  });
  afterAll(() => s3.close());

  const exists = async (key: string) =>
    s3.client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key })).then(
      () => true,
      () => false,
    );

  it("keeps records, the content index and quarantine parts under jobs/", async () => {
    const jobs = new S3JobLog({ bucket: BUCKET, region: "us-east-1", client: s3.client });
    const job = jobRecord({ status: "succeeded", sha256: "e".repeat(64) });
    await jobs.save(job);
    const q = await jobs.openQuarantine(job.jobId);
    await q.write({ row: 1, reason: "bad", values: {} });
    await q.close();
    expect(await exists(`jobs/${job.jobId}.json`)).toBe(true);
    expect(await exists(`jobs/by-sha256/${"e".repeat(64)}/${job.jobId}`)).toBe(true);
    expect(await exists(`jobs/quarantine/${job.jobId}/000000.jsonl`)).toBe(true);
    expect(await exists(`jobs/${"f".repeat(20)}.json`)).toBe(false);
  });
});
