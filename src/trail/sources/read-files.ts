import { createHash } from "node:crypto";
import type { Dirent } from "node:fs";
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { badInput } from "../../errors.js";
import { type ParsedTrailFile, parseTrailBytes } from "../parse/parse-trail-file.js";

/**
 * Walks a folder of CloudTrail files (recursively, in a fixed byte-wise order, hidden entries
 * skipped) and reads each one. A file that cannot be read or parsed comes back as `unreadable`
 * with its reason; it never aborts the walk.
 */
export const TRAIL_FILE_SUFFIXES = [".json", ".json.gz", ".jsonl", ".jsonl.gz", ".ndjson", ".cloudtrail"] as const;

export interface TrailFile extends ParsedTrailFile {
  /** Relative to the folder that was walked, with `/` separators. */
  path: string;
  /** sha256 of the file's bytes as stored (before any gunzip). */
  sha256: string;
}

export const isTrailFileName = (name: string): boolean => {
  const lower = name.toLowerCase();
  return TRAIL_FILE_SUFFIXES.some((suffix) => lower.endsWith(suffix));
};

const byName = (a: Dirent, b: Dirent) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** The CloudTrail files under `root` as sorted relative paths. `root` may also be a single file. */
export async function listTrailFiles(root: string): Promise<string[]> {
  const info = await stat(root).catch(() => undefined);
  if (!info) throw badInput(`no such folder: ${root}`, "give the path of a folder of CloudTrail files");
  if (info.isFile()) return [path.basename(root)];
  const found: string[] = [];
  const walk = async (dir: string, rel: string): Promise<void> => {
    const entries = (await readdir(dir, { withFileTypes: true })).sort(byName);
    for (const entry of entries) {
      if (entry.name.startsWith(".")) continue;
      const childRel = rel === "" ? entry.name : `${rel}/${entry.name}`;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full, childRel);
      else if ((entry.isFile() || entry.isSymbolicLink()) && isTrailFileName(entry.name)) found.push(childRel);
    }
  };
  await walk(root, "");
  return found;
}

export const sha256Hex = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex");

/** The folder the relative paths of `listTrailFiles(root)` are relative to. */
export const baseOf = async (root: string): Promise<string> =>
  (await stat(root)).isFile() ? path.dirname(root) : root;

export async function readTrailFile(base: string, relPath: string): Promise<TrailFile> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path.join(base, relPath));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      path: relPath,
      sha256: "",
      kind: "unreadable",
      records: [],
      skipped: 0,
      problems: [`cannot read: ${reason}`],
    };
  }
  return { path: relPath, sha256: sha256Hex(bytes), ...parseTrailBytes(relPath, bytes) };
}

export async function* readTrailFolder(root: string): AsyncGenerator<TrailFile> {
  const files = await listTrailFiles(root);
  const base = await baseOf(root);
  for (const rel of files) yield await readTrailFile(base, rel);
}
