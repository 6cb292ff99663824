import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { ObjectStore } from "../store/object-store.js";
import type { TrailFileSource } from "../trail/lake/load-trail.js";
import { TRAIL_PREFIX } from "./trail-keys.js";

/**
 * The trail as it sits in the store, for the CloudTrail reader: a `TrailFileSource` over the latest
 * version of every object under `AWSLogs/` (so `loadTrailSource` loads the platform's own trail
 * like any S3 trail), and an export of the same objects to a folder in the S3 layout (for
 * `catdata trail load <folder>` / `trail verify <folder>` or to hand the files to someone).
 */
export function storeTrailSource(store: ObjectStore, prefix = TRAIL_PREFIX): TrailFileSource {
  return {
    location: `${store.bucket}/${prefix}`,
    list: async () => (await store.list(prefix)).map((v) => v.key),
    read: (key) => store.get(key),
  };
}

export interface ExportResult {
  files: string[];
  /** Digest signatures (their `signature` metadata), by object key. */
  signatures: Record<string, string>;
  /** Objects the store could not return intact (its own integrity check failed), with the reason. */
  unreadable: { key: string; reason: string }[];
}

/** Writes the latest version of every trail object to `folder/<key>`. */
export async function exportTrail(store: ObjectStore, folder: string, prefix = TRAIL_PREFIX): Promise<ExportResult> {
  const result: ExportResult = { files: [], signatures: {}, unreadable: [] };
  for (const version of await store.list(prefix)) {
    const key = version.key;
    let bytes: Buffer;
    try {
      bytes = await store.get(key);
    } catch (error) {
      result.unreadable.push({ key, reason: error instanceof Error ? error.message : String(error) });
      continue;
    }
    const target = path.join(folder, ...key.split("/"));
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, bytes);
    result.files.push(key);
    if (!key.includes("/CloudTrail-Digest/")) continue;
    const signature = version.metadata?.signature ?? (await store.head(key)).metadata?.signature;
    if (signature) result.signatures[key] = signature;
  }
  return result;
}
