import { mayReadUpload } from "../../auth/policy.js";
import { CatdataError } from "../../errors.js";
import type { JobLog, JobRecord } from "../../etl/job-log.js";
import type { ApiEnv } from "../context.js";

/**
 * Who may see an upload, for every route under `/uploads/:id` (status, preview, suggestion): the job
 * record is looked up, and an unknown id and a job the caller may not see get the same 404, so the
 * ids of other municipalities' uploads do not leak.
 */

/** The one 404 for an upload that does not exist or is not the caller's to see (the same body either way). */
export const uploadNotFound = () =>
  new CatdataError("NOT_FOUND", "no upload with this id that you may see", {
    hint: "use the jobId from POST /uploads; staff see their own municipality's uploads only",
  });

/** Whose upload a job is: the municipality the ETL resolved, else the one of its key; null when neither. */
export const ownerOf = (job: JobRecord): string | null => job.municipality ?? municipalityOfKey(job.key) ?? null;

/** The job of upload `id` when the caller may see it; else the 404 of an unknown id. */
export async function visibleUpload(jobs: JobLog, user: ApiEnv["Variables"]["user"], id: string): Promise<JobRecord> {
  const job = await jobs.get(id);
  if (!job || !mayReadUpload(user, ownerOf(job))) throw uploadNotFound();
  return job;
}

/** `raw/<municipality>/…`: whose upload a job is before the ETL has resolved its municipality. */
function municipalityOfKey(key: string): string | undefined {
  const segment = key.split("/")[1];
  return segment && segment !== "unassigned" ? segment : undefined;
}
