import { statSync } from "node:fs";
import { digestFile, type FileDigest } from "./file-digest.js";

/**
 * Files checked against the digest (SHA-256 + size) recorded when they were committed, hashed once
 * per (inode, size, mtime, ctime): a later check of an unchanged file costs one `stat`. Any write
 * through the file system changes the ctime (which no one can set back), so a changed file is
 * hashed again. LIMIT: damage below the file system that keeps all four (disk bit rot) is caught
 * only when this object is new (the next process start) or by a full `verify`. Owned by the lake
 * or reader that needs it — never a module-level map — and bounded by MAX_VERIFIED_FILES.
 */
export const MAX_VERIFIED_FILES = 100_000;

export type FileCheck = { ok: true } | { ok: false; actual: FileDigest | "missing" };

export class VerifiedFiles {
  private readonly verified = new Map<string, string>();
  private readonly maxEntries: number;

  constructor(options: { maxEntries?: number } = {}) {
    this.maxEntries = options.maxEntries ?? MAX_VERIFIED_FILES;
  }

  /** How many file versions are remembered as verified. */
  get size(): number {
    return this.verified.size;
  }

  /** Whether `file` holds exactly the bytes `expected` describes. `fresh` skips the cache. */
  async check(file: string, expected: FileDigest, options: { fresh?: boolean } = {}): Promise<FileCheck> {
    const before = statKey(file);
    if (before === undefined) return { ok: false, actual: "missing" };
    const key = `${before.key}:${expected.sha256}:${expected.size}`;
    if (!options.fresh && this.verified.get(file) === key) return { ok: true };
    this.verified.delete(file);
    if (before.size !== expected.size) return { ok: false, actual: { sha256: "(not read)", size: before.size } };
    const actual = await digestFile(file);
    if (actual.sha256 !== expected.sha256 || actual.size !== expected.size) return { ok: false, actual };
    // Cached only if the file did not change while it was read.
    const after = statKey(file);
    if (after?.key === before.key) {
      if (this.verified.size >= this.maxEntries) this.verified.clear();
      this.verified.set(file, key);
    }
    return { ok: true };
  }

  forget(file: string): void {
    this.verified.delete(file);
  }
}

/**
 * Synchronous on purpose: a check of an unchanged file is this one `stat`, and every query checks
 * every part it reads; `statSync` costs a few microseconds, where the async one queues each call on
 * libuv's 4-thread pool (measured: 3–4 s of a 30 s API load run went to it).
 */
function statKey(file: string): { key: string; size: number } | undefined {
  const s = statSync(file, { bigint: true, throwIfNoEntry: false });
  return s && { key: `${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`, size: Number(s.size) };
}
