import { randomBytes } from "node:crypto";
import { chmod, readdir, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE, writeFileAtomic } from "../local/atomic-write.js";
import { digestFile, type FileDigest } from "../local/file-digest.js";

/**
 * The marts files of the DuckDB warehouse and the pointer that names the current one:
 *   <home>/warehouse/marts-<timestamp>-<pid>-<random>.duckdb   (one per rebuild, never rewritten)
 *   <home>/warehouse/current                                    (the current file's name, SHA-256, size)
 * The pointer is written to a temporary file and renamed over `current`, so a reader sees the old
 * name or the new one, never a partial write. Publishing a file records its digest in the pointer
 * (line 2: `sha256 <hex> size <bytes>`) and makes it 0600 in a 0700 folder (DuckDB creates it 0644);
 * readers check the digest before they open it (marts-file-reader.ts). A pointer of one line (written
 * before digests were recorded) names a file that is read unchecked.
 */
const MARTS_FILE = /^marts-[0-9TZ]+-\d+-[0-9a-f]+\.duckdb$/;

export const pointerFile = (dir: string) => path.join(dir, "current");

/** A fresh, unique marts file name; the timestamp makes names sort by build time. */
export function martsFileName(now: Date): string {
  const stamp = now.toISOString().replace(/[-:.]/g, "");
  return `marts-${stamp}-${process.pid}-${randomBytes(3).toString("hex")}.duckdb`;
}

export interface PointerEntry {
  name: string;
  /** The file's digest when it was published (undefined in a pointer written before digests). */
  digest: FileDigest | undefined;
}

/** The current marts file name, or null before the first rebuild (or if the pointer was tampered with). */
export async function readPointer(dir: string): Promise<string | null> {
  return (await readPointerEntry(dir))?.name ?? null;
}

/** The current marts file name and its published digest, read together (one read of the pointer). */
export async function readPointerEntry(dir: string): Promise<PointerEntry | null> {
  let text: string;
  try {
    text = await readFile(pointerFile(dir), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
  const [first = "", second = ""] = text.trim().split("\n");
  const name = first.trim();
  if (!MARTS_FILE.test(name)) return null;
  const m = /^sha256 ([0-9a-f]{64}) size (\d+)$/.exec(second.trim());
  return { name, digest: m ? { sha256: m[1]!, size: Number(m[2]) } : undefined };
}

/** Publishes a finished marts file: 0600 in a 0700 folder, its digest recorded, then the pointer moved onto it. */
export async function writePointer(dir: string, name: string): Promise<void> {
  if (!MARTS_FILE.test(name)) throw new Error(`not a marts file name: ${name}`);
  const file = path.join(dir, name);
  await chmod(dir, PRIVATE_DIR_MODE);
  await chmod(file, PRIVATE_FILE_MODE);
  const { sha256, size } = await digestFile(file);
  await writeFileAtomic(pointerFile(dir), `${name}\nsha256 ${sha256} size ${size}\n`);
}

/**
 * Deletes marts files (and their WAL) other than `keep`. Called under the rebuild lock, so no file
 * being built is touched. The previous file is kept so a reader that read the old pointer a moment
 * ago can still open it; on POSIX a file already open stays readable after it is deleted.
 */
export async function removeOldMarts(dir: string, keep: ReadonlySet<string>): Promise<string[]> {
  const removed: string[] = [];
  for (const entry of await readdir(dir)) {
    const base = entry.endsWith(".wal") ? entry.slice(0, -4) : entry;
    const stray = entry.startsWith(".current-");
    if ((MARTS_FILE.test(base) && !keep.has(base)) || stray) {
      await rm(path.join(dir, entry), { force: true });
      removed.push(entry);
    }
  }
  return removed;
}
