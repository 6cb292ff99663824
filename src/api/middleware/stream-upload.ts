import { type Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ObjectStore, PutOptions } from "../../store/object-store.js";
import { tooLarge } from "./body-limit.js";

/**
 * Streams an upload into the store, counting bytes as they pass (past `limit` the put fails with
 * 413 and the store keeps nothing). `put` returns as soon as the version exists — the put event only
 * queues the ETL job (src/etl/job-queue.ts) — so the version is the put's own answer.
 */
export interface AcceptedUpload {
  key: string;
  versionId: string;
  bytes: number;
}

export async function streamIntoStore(
  store: ObjectStore,
  key: string,
  source: Readable,
  { limit, ...putOptions }: PutOptions & { limit: number },
): Promise<AcceptedUpload> {
  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      callback(bytes > limit ? tooLarge(limit, "the upload") : null, chunk);
    },
  });
  pipeline(source, counter).catch(() => undefined); // an error here also fails the put below
  const version = await store.put(key, counter, putOptions);
  return { key, versionId: version.versionId, bytes };
}
