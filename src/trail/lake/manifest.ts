import { CatdataError } from "../../errors.js";
import type { FileDigest } from "../../local/file-digest.js";
import type { TrailFileKind } from "../parse/parse-trail-file.js";

/**
 * The trail lake's manifest: the source files already in the lake, keyed by the sha256 of their
 * bytes (the same content under another name is the same file). Unreadable files are not listed,
 * so they are retried — and reported again — on every load. The manifest is the commit point: the
 * parts readers get are the ones its entries name, each checked against the digest in its entry. Stored by the `TrailLake` (a file, or an
 * object); this module only parses and renders it.
 */
export interface ManifestEntry {
  /** Path relative to `folder`. */
  sourcePath: string;
  /** The folder that was loaded (absolute), `s3://bucket/prefix`, `cloudtrail-lookup://…`. */
  folder: string;
  sha256: string;
  kind: TrailFileKind;
  records: number;
  problems: string[];
  loadedAt: string;
  /**
   * The SHA-256 and size of the file's Parquet part (`part-<sha256>.parquet`), recorded when this
   * entry was added and checked before the part is read (trail-part-integrity.ts). Absent for files
   * without events and in manifests written before checksums were recorded (read unchecked).
   */
  part?: FileDigest;
}

export interface TrailManifest {
  version: 1;
  files: ManifestEntry[];
}

export const emptyManifest = (): TrailManifest => ({ version: 1, files: [] });

export function parseManifest(text: string, where: string): TrailManifest {
  try {
    const parsed = JSON.parse(text) as TrailManifest;
    if (!Array.isArray(parsed.files)) throw new Error("`files` is not an array");
    return parsed;
  } catch (error) {
    throw new CatdataError("INTEGRITY", `the trail manifest ${where} is damaged: ${String(error)}`, {
      hint: "delete it and load the folders again (parts are named by content, nothing is duplicated)",
    });
  }
}

export const renderManifest = (manifest: TrailManifest): string => `${JSON.stringify(manifest, null, 1)}\n`;
