import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { normaliseRecord } from "../parse/normalise.js";
import { MAX_TRAIL_FILE_BYTES, parseTrailBytes, tooLarge } from "../parse/parse-trail-file.js";
import { baseOf, listTrailFiles, sha256Hex } from "../sources/read-files.js";
import type { ManifestEntry } from "./manifest.js";
import { TrailPartWriter } from "./part-writer.js";
import type { TrailLake } from "./trail-lake.js";

/**
 * Loads CloudTrail files into the lake, incrementally: a file whose bytes are already in the
 * manifest (same sha256) is skipped, so loading twice adds nothing. Every record of every readable
 * file becomes a row; unreadable files are reported with their reason and not recorded, so a later
 * load retries them. One file at a time: memory holds one file's bytes, records and rows. A file
 * larger than `MAX_TRAIL_FILE_BYTES` as stored (the source's `size`, a `stat` for folders) is
 * unreadable with the parser's own reason before any of it is read. A file already in the manifest
 * whose part fails its integrity check is loaded again, which writes the part again (the heal).
 * `loadTrailFolder` reads a local folder; `loadTrailSource` takes any `TrailFileSource` (S3, …).
 */
export interface LoadOptions {
  onProgress?: (done: number, total: number) => void;
  now?: () => Date;
  /** Called for every file whose sha256 is known after this load (loaded now, or already there). */
  onFileDone?: (relPath: string, sha256: string) => void | Promise<void>;
  /** The largest file read, as stored and decompressed; default `MAX_TRAIL_FILE_BYTES`. */
  maxFileBytes?: number;
}

/** Where files come from: relative paths, and their bytes. */
export interface TrailFileSource {
  /** Recorded as the manifest's `folder` (an absolute path, `s3://bucket/prefix`, …). */
  location: string;
  list(): Promise<string[]>;
  read(relPath: string): Promise<Uint8Array>;
  /** The file's size as stored, when the source can tell without reading it. */
  size?(relPath: string): Promise<number>;
}

export interface LoadSummary {
  filesSeen: number;
  filesLoaded: number;
  /** Already in the lake (same sha256), from an earlier load or an identical file earlier in this one. */
  filesSkipped: number;
  /** Files skipped because an identical file (same bytes) came earlier in this same load. */
  duplicateFiles: { path: string; sameAs: string }[];
  recordsLoaded: number;
  unreadableFiles: { path: string; reason: string }[];
  /** Digest files seen in this load (loaded or skipped); they hold no events. */
  digestFiles: number;
  /** Insights records loaded in this load (also rows, with `is_insight`). */
  insightsRecords: number;
  /** Files loaded with problems (broken lines, set-aside digests, …). */
  filesWithProblems: { path: string; problems: string[] }[];
}

const MANIFEST_EVERY = 200;

export const emptyLoadSummary = (filesSeen = 0): LoadSummary => ({
  filesSeen,
  filesLoaded: 0,
  filesSkipped: 0,
  duplicateFiles: [],
  recordsLoaded: 0,
  unreadableFiles: [],
  digestFiles: 0,
  insightsRecords: 0,
  filesWithProblems: [],
});

export async function folderSource(folder: string): Promise<TrailFileSource> {
  const base = await baseOf(folder);
  return {
    location: path.resolve(base),
    list: () => listTrailFiles(folder),
    read: (rel) => readFile(path.join(base, rel)),
    size: async (rel) => (await stat(path.join(base, rel))).size,
  };
}

export async function loadTrailFolder(
  lake: TrailLake,
  folder: string,
  options: LoadOptions = {},
): Promise<LoadSummary> {
  const files = await listTrailFiles(folder);
  const source = await folderSource(folder);
  return loadTrailSource(lake, { ...source, list: async () => files }, options);
}

export async function loadTrailSource(
  lake: TrailLake,
  source: TrailFileSource,
  options: LoadOptions = {},
): Promise<LoadSummary> {
  const now = options.now ?? (() => new Date());
  const maxBytes = options.maxFileBytes ?? MAX_TRAIL_FILE_BYTES;
  const files = await source.list();
  const manifest = await lake.readManifest();
  const known = new Map(manifest.files.map((entry) => [entry.sha256, entry]));
  const loadedNow = new Map<string, string>();
  const summary = emptyLoadSummary(files.length);
  const writer = await TrailPartWriter.open(lake);
  let unsaved: ManifestEntry[] = [];
  try {
    for (const [i, rel] of files.entries()) {
      options.onProgress?.(i, files.length);
      const size = await source.size?.(rel).catch(() => undefined);
      if (size !== undefined && size > maxBytes) {
        summary.unreadableFiles.push({ path: rel, reason: tooLarge(maxBytes).problems.join("; ") });
        continue;
      }
      const bytes = await source.read(rel).catch((error: Error) => error);
      if (bytes instanceof Error) {
        summary.unreadableFiles.push({ path: rel, reason: `cannot read: ${bytes.message}` });
        continue;
      }
      const sha256 = sha256Hex(bytes);
      const seen = known.get(sha256);
      if (seen && !loadedNow.has(sha256) && (await lake.checkPart(seen)) !== undefined) {
        known.delete(sha256); // its part is damaged or gone: load the file again, which writes it again
      } else if (seen) {
        summary.filesSkipped += 1;
        if (seen.kind === "digest") summary.digestFiles += 1;
        const sameAs = loadedNow.get(sha256);
        if (sameAs !== undefined) summary.duplicateFiles.push({ path: rel, sameAs });
        await options.onFileDone?.(rel, sha256);
        continue;
      }
      const parsed = parseTrailBytes(rel, bytes, { maxBytes });
      if (parsed.kind === "unreadable") {
        summary.unreadableFiles.push({ path: rel, reason: parsed.problems.join("; ") });
        continue;
      }
      const events = parsed.records.map((record, index) => normaliseRecord(record, { file: rel, index }));
      if (events.length > 0) await writer.write(sha256, events);
      const entry: ManifestEntry = {
        sourcePath: rel,
        folder: source.location,
        sha256,
        kind: parsed.kind,
        records: events.length,
        problems: parsed.problems,
        loadedAt: now().toISOString(),
      };
      unsaved.push(entry);
      known.set(sha256, entry);
      loadedNow.set(sha256, rel);
      summary.filesLoaded += 1;
      summary.recordsLoaded += events.length;
      summary.insightsRecords += events.filter((e) => e.isInsight).length;
      if (parsed.kind === "digest") summary.digestFiles += 1;
      if (parsed.problems.length > 0 && parsed.kind !== "empty") {
        summary.filesWithProblems.push({ path: rel, problems: parsed.problems });
      }
      if (unsaved.length >= MANIFEST_EVERY) {
        await lake.addEntries(unsaved);
        unsaved = [];
      }
      await options.onFileDone?.(rel, sha256);
    }
    options.onProgress?.(files.length, files.length);
  } finally {
    writer.close();
    if (unsaved.length > 0) await lake.addEntries(unsaved);
  }
  return summary;
}
