import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Dataset } from "../cats/model.js";
import { CatdataError } from "../errors.js";
import type { StagedIdentity } from "../lake/lake.js";
import type { KeySet } from "./key-set.js";

/**
 * A job's identity index: the 64-bit hashes (KeySet's `keyHash`) of the dedup keys (the profile's
 * `dedupKey`: source id + event date, e.g. animalId|intakeAt) of every record it loaded, one file per
 * dataset and municipality, published with the job's parts (Lake.commitJob `identities`). A later job
 * primes its dedup set with the live jobs' files for its municipality, so a re-export whose rows
 * overlap an earlier load counts those rows as deduplicated instead of loading them twice — 8 bytes a
 * record read, no part opened (docs/data-model.md, "Corrections").
 *
 * File: the 4 bytes of IDENTITY_MAGIC, then (h1, h2) pairs as little-endian uint32.
 */
export const IDENTITY_MAGIC = "CDI1";
/** Where identity files are staged below the job's staging folder. */
export const IDENTITY_STAGING_DIR = "_identities";

export class IdentityRecorder {
  /** Pairs per (dataset, municipality), grown by doubling. */
  private readonly lists = new Map<string, { dataset: Dataset; municipality: string; pairs: Uint32Array; n: number }>();

  add(dataset: Dataset, municipality: string, h1: number, h2: number): void {
    const key = `${dataset}\n${municipality}`;
    let list = this.lists.get(key);
    if (!list) {
      list = { dataset, municipality, pairs: new Uint32Array(1024), n: 0 };
      this.lists.set(key, list);
    }
    if (list.n + 2 > list.pairs.length) {
      const bigger = new Uint32Array(list.pairs.length * 2);
      bigger.set(list.pairs);
      list.pairs = bigger;
    }
    list.pairs[list.n++] = h1;
    list.pairs[list.n++] = h2;
  }

  /** Writes one file per (dataset, municipality) below `staging`; what Lake.commitJob's `identities` takes. */
  async stage(staging: string): Promise<StagedIdentity[]> {
    const out: StagedIdentity[] = [];
    for (const { dataset, municipality, pairs, n } of this.lists.values()) {
      const file = path.posix.join(IDENTITY_STAGING_DIR, dataset, `${encodeURIComponent(municipality) || "_"}.bin`);
      const bytes = Buffer.alloc(4 + n * 4);
      bytes.write(IDENTITY_MAGIC, 0, "latin1");
      for (let i = 0; i < n; i++) bytes.writeUInt32LE(pairs[i] ?? 0, 4 + i * 4);
      await mkdir(path.join(staging, IDENTITY_STAGING_DIR, dataset), { recursive: true, mode: 0o700 });
      await writeFile(path.join(staging, file), bytes, { mode: 0o600 });
      out.push({ dataset, municipality, file });
    }
    return out;
  }
}

/** Adds every identity in an index file's bytes to `into`; returns how many it held. */
export function loadIdentities(bytes: Uint8Array, into: KeySet, name: string): number {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < 4 || buf.toString("latin1", 0, 4) !== IDENTITY_MAGIC || (buf.length - 4) % 8 !== 0) {
    throw new CatdataError("INTEGRITY", `${name} is not a catdata identity index`, {
      hint: "re-run the job that wrote it, or restore the lake from a backup",
    });
  }
  const count = (buf.length - 4) / 8;
  for (let i = 0; i < count; i++) into.addHash(buf.readUInt32LE(4 + i * 8), buf.readUInt32LE(8 + i * 8));
  return count;
}
