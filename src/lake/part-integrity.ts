import type { Dataset } from "../cats/model.js";
import { CatdataError } from "../errors.js";
import type { FileCheck } from "../local/verified-files.js";
import type { CatalogFileEntry, CatalogState } from "./catalog-state.js";

/**
 * The lake's integrity rules, shared by both lakes: every part's SHA-256 and size are recorded in
 * the catalog at `commitJob`, and a part whose bytes no longer match is never handed to a reader —
 * `localFiles` throws an INTEGRITY error naming the part, its job and what to do; `verify` lists
 * every such part. Parts listed by a catalog written before checksums were recorded are served
 * unchecked and reported by `verify` as "unrecorded" (re-running their job records them).
 */
export interface PartProblem {
  dataset: Dataset;
  path: string;
  jobId: string;
  problem: "changed" | "missing" | "unrecorded";
  detail: string;
}

/** How many parts are checked at the same time (bounds open files while parts are hashed). */
export const VERIFY_CONCURRENCY = 4;

export const recordedDigest = (entry: CatalogFileEntry) =>
  entry.sha256 !== undefined && entry.size !== undefined ? { sha256: entry.sha256, size: entry.size } : undefined;

export function partProblem(dataset: Dataset, entry: CatalogFileEntry, check: FileCheck): PartProblem | undefined {
  if (check.ok) return undefined;
  const where = { dataset, path: entry.path, jobId: entry.jobId };
  if (check.actual === "missing") return { ...where, problem: "missing", detail: "the part's file is gone" };
  const found =
    check.actual.size === entry.size ? `sha256 ${check.actual.sha256.slice(0, 12)}…` : `${check.actual.size} bytes`;
  return {
    ...where,
    problem: "changed",
    detail: `recorded sha256 ${entry.sha256?.slice(0, 12)}… (${entry.size} bytes) at commit, found ${found}`,
  };
}

export function damagedPartError(problem: PartProblem): CatdataError {
  return new CatdataError(
    "INTEGRITY",
    `lake part ${problem.path} (${problem.dataset}, job ${problem.jobId}) does not match the checksum recorded at its commit: ${problem.detail}; it is not served`,
    {
      hint: `re-run job ${problem.jobId} so it replaces its parts from its raw upload (kept in the store), or restore the lake from a backup`,
    },
  );
}

/** Runs `check` on every part of `datasets` in `state`, VERIFY_CONCURRENCY at a time; the problems found. */
export async function verifyParts(
  state: CatalogState,
  datasets: readonly Dataset[],
  check: (dataset: Dataset, entry: CatalogFileEntry) => Promise<PartProblem | undefined>,
): Promise<PartProblem[]> {
  const work = datasets.flatMap((dataset) => (state.tables[dataset]?.files ?? []).map((entry) => ({ dataset, entry })));
  const problems: (PartProblem | undefined)[] = new Array(work.length);
  let next = 0;
  const worker = async () => {
    while (next < work.length) {
      const i = next++;
      const { dataset, entry } = work[i]!;
      problems[i] = recordedDigest(entry)
        ? await check(dataset, entry)
        : { dataset, path: entry.path, jobId: entry.jobId, problem: "unrecorded", detail: "no checksum recorded" };
    }
  };
  await Promise.all(Array.from({ length: Math.min(VERIFY_CONCURRENCY, work.length) }, worker));
  return problems.filter((p): p is PartProblem => p !== undefined);
}
