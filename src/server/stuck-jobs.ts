import type { JobRecord } from "../etl/job-log.js";

/**
 * Jobs that should have moved by now (the health check reports them):
 * - `running` whose record (progress, written at most every 500 ms while the raw file is read) has
 *   not changed for RUNNING_STALE_MS: its runner died or hangs. Ten minutes is far above any pause of
 *   a healthy run (the longest is the catalog commit, seconds) and short enough to page on.
 * - `queued` for longer than QUEUED_STALE_MS: the worker runs one job at a time, so a burst of large
 *   uploads may wait a while, but half an hour means no worker is taking them.
 */
export const RUNNING_STALE_MS = 10 * 60_000;
export const QUEUED_STALE_MS = 30 * 60_000;

export function stuckJobs(jobs: JobRecord[], now: Date): JobRecord[] {
  const age = (iso: string) => now.getTime() - Date.parse(iso);
  return jobs.filter(
    (j) =>
      (j.status === "running" && age(j.progress?.updatedAt ?? j.startedAt) > RUNNING_STALE_MS) ||
      (j.status === "queued" && age(j.startedAt) > QUEUED_STALE_MS),
  );
}
