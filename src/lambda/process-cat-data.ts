import { loadConfig } from "../config/config.js";
import type { JobRecord } from "../etl/job-log.js";
import type { ProcessCatData } from "../etl/process-cat-data.js";
import { createLogger } from "../log/logger.js";
import { openRuntime } from "../runtime.js";
import type { ObjectCreatedEvent } from "../store/object-store.js";

/**
 * `process-cat-data` in AWS: the bucket's event notification (PUT under raw/) → this Lambda → the
 * same handler the local job queue runs, over the S3 store, the S3 lake and the S3 job log that the
 * runtime builds from the function's environment. A job that fails throws, so Lambda's retries and
 * the function's dead-letter queue / alarm see it; duplicates and re-deliveries end normally.
 */
export interface S3EventRecord {
  eventSource: string;
  eventName: string;
  eventTime: string;
  s3: {
    bucket: { name: string };
    object: { key: string; size?: number; versionId?: string; sequencer?: string; eTag?: string };
  };
}

export interface S3Event {
  Records: S3EventRecord[];
}

/** S3 URL-encodes keys in events (a space as `+`); an unversioned bucket sends no versionId ("null"). */
export function toObjectCreated(record: S3EventRecord): ObjectCreatedEvent {
  const key = decodeURIComponent(record.s3.object.key.replace(/\+/g, " "));
  const versionId = record.s3.object.versionId ?? "null";
  return {
    eventSource: "aws:s3",
    eventName: record.eventName === "ObjectCreated:Copy" ? "ObjectCreated:Copy" : "ObjectCreated:Put",
    eventTime: record.eventTime,
    s3: {
      bucket: { name: record.s3.bucket.name },
      object: { key, size: record.s3.object.size ?? 0, versionId, sequencer: record.s3.object.sequencer ?? versionId },
    },
  };
}

export function createHandler(processCatData: ProcessCatData) {
  return async (event: S3Event): Promise<{ jobs: Pick<JobRecord, "jobId" | "key" | "status" | "counts">[] }> => {
    const records = event.Records.filter((r) => r.eventName.startsWith("ObjectCreated:")).map(toObjectCreated);
    const jobs = await processCatData({ Records: records });
    const failed = jobs.filter((j) => j.status === "failed");
    if (failed.length > 0) {
      throw new Error(
        `process-cat-data failed: ${failed.map((j) => `${j.key} (job ${j.jobId}): ${j.error}`).join("; ")}`,
      );
    }
    return { jobs: jobs.map(({ jobId, key, status, counts }) => ({ jobId, key, status, counts })) };
  };
}

let ready: Promise<ReturnType<typeof createHandler>> | undefined;

async function coldStart() {
  const config = loadConfig(process.env, "/tmp");
  const runtime = await openRuntime(config, createLogger(config.logLevel), { rebuildMartsAfterLoad: false });
  return createHandler(runtime.processCatData);
}

/** The export infra/ deploys. */
export async function handler(event: S3Event) {
  ready ??= coldStart();
  return (await ready)(event);
}
