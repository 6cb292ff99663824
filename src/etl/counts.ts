import type { JobRecord } from "./job-log.js";

/**
 * The identity every job record keeps, running or finished, succeeded or failed: each row read is
 * counted exactly once as loaded, quarantined (with its reason), deduplicated, skipped (not a cat:
 * the profile's species pre-filter or its mapRow said "skip") or failed (a failed job publishes
 * nothing, so the rows it would have loaded are `failed` and `loaded` is 0).
 */
export type JobCounts = JobRecord["counts"];

/** The outcome of one row, as counted. */
export type RowOutcome = "loaded" | "quarantined" | "deduplicated" | "skipped";

export const accountedFor = (c: JobCounts): number =>
  c.loaded + c.quarantined + c.deduplicated + c.skipped + (c.failed ?? 0);

export const countsAddUp = (c: JobCounts): boolean => c.read === accountedFor(c);

/** After a failure: nothing was committed, so what would have loaded becomes `failed` (plus the row in hand). */
export function countFailure(job: JobRecord, rowInHand: boolean): void {
  const c = job.counts;
  if (rowInHand) c.read += 1;
  c.failed = (c.failed ?? 0) + c.loaded + (rowInHand ? 1 : 0);
  c.loaded = 0;
  job.loadedByDataset = {};
}
