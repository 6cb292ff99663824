import { randomBytes } from "node:crypto";
import { readdir, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { writeFileAtomic } from "../local/atomic-write.js";

/**
 * The marts files of the DuckDB warehouse and the pointer that names the current one:
 *   <home>/warehouse/marts-<timestamp>-<pid>-<random>.duckdb   (one per rebuild, never rewritten)
 *   <home>/warehouse/current                                    (the current file's name)
 * The pointer is written to a temporary file and renamed over `current`, so a reader sees the old
 * name or the new one, never a partial write.
 */
const MARTS_FILE = /^marts-[0-9TZ]+-\d+-[0-9a-f]+\.duckdb$/;

export const pointerFile = (dir: string) => path.join(dir, "current");

/** A fresh, unique marts file name; the timestamp makes names sort by build time. */
export function martsFileName(now: Date): string {
  const stamp = now.toISOString().replace(/[-:.]/g, "");
  return `marts-${stamp}-${process.pid}-${randomBytes(3).toString("hex")}.duckdb`;
}

/** The current marts file name, or null before the first rebuild (or if the pointer was tampered with). */
export async function readPointer(dir: string): Promise<string | null> {
  try {
    const name = (await readFile(pointerFile(dir), "utf8")).trim();
    return MARTS_FILE.test(name) ? name : null;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

export async function writePointer(dir: string, name: string): Promise<void> {
  if (!MARTS_FILE.test(name)) throw new Error(`not a marts file name: ${name}`);
  await writeFileAtomic(pointerFile(dir), name);
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
