import { type Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { setTimeout as sleep } from "node:timers/promises";
import type { ObjectStore, PutOptions } from "../../store/object-store.js";
import { tooLarge } from "./body-limit.js";

/**
 * Streams an upload into the store, counting bytes as they pass (past `limit` the put fails with
 * 413 and the store keeps nothing), and answers as soon as the new version *exists* — not when the
 * put-triggered ETL behind it has finished: the local store runs process-cat-data inside `put`, and a
 * 1 GiB file takes minutes. `done` settles when the put (and so the ETL run) is over.
 */
export interface AcceptedUpload {
  key: string;
  versionId: string;
  bytes: () => number;
  done: Promise<unknown>;
}

/** Uploads to one key are taken one at a time here, so "the version that was not there before" is ours. */
const keyLocks = new Map<string, Promise<unknown>>();

export async function streamIntoStore(
  store: ObjectStore,
  key: string,
  source: Readable,
  options: PutOptions & { limit: number },
): Promise<AcceptedUpload> {
  const previous = keyLocks.get(key) ?? Promise.resolve();
  let release = () => {};
  const mine = new Promise<void>((resolve) => {
    release = resolve;
  });
  const chained = previous.then(() => mine);
  keyLocks.set(key, chained);
  await previous;
  try {
    return await accept(store, key, source, options);
  } finally {
    release();
    if (keyLocks.get(key) === chained) keyLocks.delete(key);
  }
}

async function accept(
  store: ObjectStore,
  key: string,
  source: Readable,
  { limit, ...putOptions }: PutOptions & { limit: number },
): Promise<AcceptedUpload> {
  const before = new Set((await store.listVersions(key).catch(() => [])).map((v) => v.versionId));
  let bytes = 0;
  let received = () => {};
  const allReceived = new Promise<void>((resolve) => {
    received = resolve;
  });
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      callback(bytes > limit ? tooLarge(limit, "the upload") : null, chunk);
    },
    flush(callback) {
      received();
      callback();
    },
  });
  pipeline(source, counter).catch(() => undefined); // an error here also fails the put below
  let settled = false;
  const put = store.put(key, counter, putOptions).finally(() => {
    settled = true;
  });
  const appeared = async (): Promise<string> => {
    await allReceived;
    while (!settled) {
      const fresh = (await store.listVersions(key).catch(() => [])).find((v) => !before.has(v.versionId));
      if (fresh && !fresh.deleteMarker) return fresh.versionId;
      await sleep(20);
    }
    return (await put).versionId;
  };
  const versionId = await Promise.race([put.then((v) => v.versionId), appeared()]);
  return { key, versionId, bytes: () => bytes, done: put };
}
