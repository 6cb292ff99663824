import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { badInput } from "../errors.js";
import type { ObjectStore } from "../store/object-store.js";
import { type JobLog, type JobRecord, jobIdFor } from "./job-log.js";
import { rawKeyFor } from "./raw-key.js";
import { MAPPING_PREFIX } from "./run-job.js";
import { profileFromSuggestion } from "./suggest-mapping.js";

/** What an ingest needs of the runtime (the `Runtime` of src/runtime.ts satisfies it). */
export interface IngestServices {
  store: ObjectStore;
  jobs: JobLog;
  now: () => Date;
}

export interface IngestOptions {
  municipality?: string;
  profile?: string;
  /** A confirmed declarative mapping (JSON file from `catdata suggest-mapping`), instead of a profile. */
  mapping?: string;
  /** Called with the job record as its progress is written (throttled), for progress bars. */
  onProgress?: (job: JobRecord) => void;
}

/** Validates a mapping file and stores it under `mappings/`; returns the profile reference for the job. */
async function storeMapping(runtime: IngestServices, file: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
    profileFromSuggestion(JSON.parse(text));
  } catch (error) {
    throw badInput(
      `the mapping ${file} is not usable: ${(error as Error).message}`,
      "fix it, or make a new one with `catdata suggest-mapping <file>`",
    );
  }
  const key = `mappings/${createHash("sha256").update(text).digest("hex").slice(0, 16)}.json`;
  await runtime.store.put(key, Buffer.from(text), { contentType: "application/json" });
  return `${MAPPING_PREFIX}${key}`;
}

/**
 * Uploads a local file into the store under `raw/…`; the put event queues a `process-cat-data` job,
 * and this waits for it on the job record (never polling the store) and returns the finished record.
 * The raw version stays in the store whatever the ETL makes of it.
 */
export async function ingestFile(
  runtime: IngestServices,
  file: string,
  options: IngestOptions = {},
): Promise<JobRecord> {
  let size: number;
  try {
    const s = await stat(file);
    if (!s.isFile()) throw new Error("not a file");
    size = s.size;
  } catch {
    throw badInput(`cannot read ${file}`, "check the path; it must be a CSV file");
  }
  const metadata: Record<string, string> = { originalName: path.basename(file), size: String(size) };
  if (options.municipality) metadata.municipality = options.municipality;
  if (options.profile) metadata.profile = options.profile;
  if (options.mapping) metadata.profile = await storeMapping(runtime, options.mapping);
  const key = rawKeyFor(options.municipality, file, runtime.now);
  const version = await runtime.store.put(key, createReadStream(file), { contentType: "text/csv", metadata });
  const jobId = jobIdFor(runtime.store.bucket, key, version.versionId);
  return runtime.jobs.waitFor(jobId, options.onProgress ? { onProgress: options.onProgress } : {});
}
