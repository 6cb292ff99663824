import type { S3ObjectManifest } from "../sources/s3-object-manifest.js";
import type { ManifestEntry, TrailManifest } from "./manifest.js";

/**
 * The CloudTrail lake, behind one port: immutable Parquet parts named by content
 * (`part-<sha256>.parquet`), the manifest of loaded source files, and the S3 sources' object list.
 * Readers get the parts as LOCAL files DuckDB can read (a lake kept in S3 downloads each part once
 * into a local cache: parts never change). Chosen in the composition root (`src/runtime.ts`):
 * `local-trail-lake.ts` (under CATDATA_HOME) or `s3-trail-lake.ts` (`trail/` in the bucket).
 * Every part's SHA-256 and size are recorded in the manifest when its entry is added and checked
 * before the part is handed to a reader (trail-part-integrity.ts).
 */
export interface PartsFingerprint {
  /** How many parts, and a digest of their names: what the behaviour model keys on. */
  count: number;
  digest: string;
}

export interface TrailLake {
  /** Where the lake is, for messages: a folder or `s3://bucket/trail/`. */
  readonly location: string;
  /** A local folder where parts are staged before `putPart` (same file system as any local copy). */
  readonly stagingDir: string;
  /** The manifest; empty before the first load. Damaged: an INTEGRITY error. */
  readManifest(): Promise<TrailManifest>;
  /**
   * Appends entries to the manifest (serialised within this object): the commit point of their
   * parts. An entry replaces an earlier one of the same sha256; an entry whose part this object
   * stored (`putPart`) gets the part's SHA-256 and size recorded in it.
   */
  addEntries(entries: readonly ManifestEntry[]): Promise<void>;
  /** Takes over a finished local Parquet file as the part of this sha256 (atomic: readers see whole parts). */
  putPart(sha256: string, file: string): Promise<void>;
  /**
   * The parts the manifest names, as local file paths sorted by name; empty when nothing is loaded.
   * Each is checked against the digest recorded in its entry (hashed once per file version, then one
   * `stat`): a damaged or missing part is never returned — an INTEGRITY error names it and the
   * command that re-loads it.
   */
  parts(): Promise<string[]>;
  /** A fingerprint of the set of parts the manifest names; changes when a part is added. */
  fingerprint(): Promise<PartsFingerprint>;
  /** The problem with the part of this manifest entry, if any (cached like `parts`; no events: none). */
  checkPart(entry: ManifestEntry): Promise<TrailPartProblem | undefined>;
  /** Hashes every part the manifest names again; the damaged, missing and unrecorded ones. */
  verify(): Promise<TrailPartProblem[]>;
  /** The S3 objects already loaded by `catdata trail load s3://…` (by ETag). */
  readSourceObjects(): Promise<S3ObjectManifest>;
  writeSourceObjects(manifest: S3ObjectManifest): Promise<void>;
}

/** A damaged, missing or unrecorded trail lake part (trail-part-integrity.ts). */
export interface TrailPartProblem {
  /** `part-<sha256>.parquet`. */
  part: string;
  /** The source file the part came from, and the folder (or `s3://…`, `cloudtrail-lookup://…`) it was loaded from. */
  sourcePath: string;
  folder: string;
  problem: "changed" | "missing" | "unrecorded";
  detail: string;
}
