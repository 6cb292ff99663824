import { CatdataError } from "../../errors.js";
import { VERIFY_CONCURRENCY } from "../../lake/part-integrity.js";
import type { FileDigest } from "../../local/file-digest.js";
import type { FileCheck } from "../../local/verified-files.js";
import type { ManifestEntry, TrailManifest } from "./manifest.js";
import { partName } from "./parts-fingerprint.js";
import type { TrailPartProblem } from "./trail-lake.js";

/**
 * The trail lake's integrity rules, shared by both trail lakes: the SHA-256 and size of every part
 * are recorded in the manifest entry of the source file it came from when the entry is added (the
 * commit point; `part` in the entry), and a part whose bytes no longer match is never handed to
 * DuckDB — `TrailLake.parts()` throws an INTEGRITY error naming the part, its source file and the
 * command that re-loads it; `TrailLake.verify()` lists every such part. Entries written before
 * checksums were recorded have no `part`: their parts are served unchecked (only their presence is
 * checked) and `verify` reports them as "unrecorded".
 */

/** A part the manifest names: the entry of the source file whose events it holds. */
export interface CommittedPart {
  name: string;
  entry: ManifestEntry;
}

/** The parts the manifest names (entries with events; the last entry of a sha256 wins), sorted by name. */
export function committedParts(manifest: TrailManifest): CommittedPart[] {
  const bySha = new Map<string, ManifestEntry>();
  for (const entry of manifest.files) if (entry.records > 0) bySha.set(entry.sha256, entry);
  return [...bySha.values()]
    .map((entry) => ({ name: partName(entry.sha256), entry }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * Adds `entries` to `manifest` (an entry replaces an earlier one of the same sha256: a re-loaded
 * part), each stamped with the digest of its part taken when this lake object stored it
 * (`pending`, by sha256; consumed here).
 */
export function addCommitted(
  manifest: TrailManifest,
  entries: readonly ManifestEntry[],
  pending: Map<string, FileDigest>,
): TrailManifest {
  const stamped = entries.map((entry) => {
    const part = pending.get(entry.sha256);
    pending.delete(entry.sha256);
    return part && entry.records > 0 ? { ...entry, part } : entry;
  });
  const replaced = new Set(stamped.map((e) => e.sha256));
  return { ...manifest, files: [...manifest.files.filter((e) => !replaced.has(e.sha256)), ...stamped] };
}

/** The problem `check` found with a committed part, if any. */
export function trailPartProblem(part: CommittedPart, check: FileCheck): TrailPartProblem | undefined {
  if (check.ok) return undefined;
  if (check.actual === "missing") return missingPart(part);
  const where = { part: part.name, sourcePath: part.entry.sourcePath, folder: part.entry.folder };
  const recorded = part.entry.part;
  const found =
    check.actual.size === recorded?.size ? `sha256 ${check.actual.sha256.slice(0, 12)}…` : `${check.actual.size} bytes`;
  return {
    ...where,
    problem: "changed",
    detail: `recorded sha256 ${recorded?.sha256.slice(0, 12)}… (${recorded?.size} bytes) when it was loaded, found ${found}`,
  };
}

export const missingPart = (part: CommittedPart): TrailPartProblem => ({
  part: part.name,
  sourcePath: part.entry.sourcePath,
  folder: part.entry.folder,
  problem: "missing",
  detail: "the part's file is gone",
});

export const unrecorded = (part: CommittedPart): TrailPartProblem => ({
  part: part.name,
  sourcePath: part.entry.sourcePath,
  folder: part.entry.folder,
  problem: "unrecorded",
  detail: "no checksum recorded (loaded before checksums were kept): served unchecked",
});

/** What to do about a damaged part: re-load its source so the part is written again. */
export function reloadHint(problem: Pick<TrailPartProblem, "folder" | "sourcePath">): string {
  if (problem.folder.startsWith("cloudtrail-lookup://")) {
    return "restore the trail lake from a backup (events from LookupEvents cannot be re-read once they are older than 90 days)";
  }
  if (problem.folder.startsWith("s3://")) {
    return `restore the trail lake from a backup; \`catdata trail load ${problem.folder}\` re-reads only objects whose ETag changed`;
  }
  return `re-load its source file, which writes the part again: catdata trail load ${problem.folder}`;
}

export function damagedTrailPartError(problem: TrailPartProblem): CatdataError {
  return new CatdataError(
    "INTEGRITY",
    `trail lake part ${problem.part} (from ${problem.sourcePath}) failed its integrity check: ${problem.detail}; it is not read`,
    { hint: reloadHint(problem) },
  );
}

/** Runs `check` on every part, VERIFY_CONCURRENCY at a time; the problems found, in part order. */
export async function checkParts(
  parts: readonly CommittedPart[],
  check: (part: CommittedPart) => Promise<TrailPartProblem | undefined>,
): Promise<TrailPartProblem[]> {
  const problems: (TrailPartProblem | undefined)[] = new Array(parts.length);
  let next = 0;
  const worker = async () => {
    while (next < parts.length) {
      const i = next++;
      problems[i] = await check(parts[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(VERIFY_CONCURRENCY, parts.length) }, worker));
  return problems.filter((p): p is TrailPartProblem => p !== undefined);
}

/** Throws the first damaged part's error ("unrecorded" parts are served). */
export function refuseDamaged(problems: readonly TrailPartProblem[]): void {
  const damaged = problems.find((p) => p.problem !== "unrecorded");
  if (damaged) throw damagedTrailPartError(damaged);
}
