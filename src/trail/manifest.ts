import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { CatdataError } from "../errors.js";
import type { TrailFileKind } from "./parse-trail-file.js";

/**
 * `lake/trail/manifest.json`: the source files already in the lake, keyed by the sha256 of their
 * bytes (the same content under another name is the same file). Unreadable files are not listed,
 * so they are retried — and reported again — on every load. Written atomically (tmp + rename).
 */
export interface ManifestEntry {
  /** Path relative to `folder`. */
  sourcePath: string;
  /** The folder that was loaded (absolute). */
  folder: string;
  sha256: string;
  kind: TrailFileKind;
  records: number;
  problems: string[];
  loadedAt: string;
}

export interface TrailManifest {
  version: 1;
  files: ManifestEntry[];
}

export async function readManifest(file: string): Promise<TrailManifest> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    return { version: 1, files: [] };
  }
  try {
    const parsed = JSON.parse(text) as TrailManifest;
    if (!Array.isArray(parsed.files)) throw new Error("`files` is not an array");
    return parsed;
  } catch (error) {
    throw new CatdataError("INTEGRITY", `the trail manifest ${file} is damaged: ${String(error)}`, {
      hint: "delete it and load the folders again (parts are named by content, nothing is duplicated)",
    });
  }
}

export async function writeManifest(file: string, manifest: TrailManifest): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(manifest, null, 1)}\n`);
  await rename(tmp, file);
}
