import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { badInput } from "../errors.js";
import type { ObjectStore } from "../store/object-store.js";
import { type JobLog, type JobRecord, jobIdFor } from "./job-log.js";
import { parseDeclarative } from "./profiles/declarative-spec.js";
import { PROFILES } from "./profiles/index.js";
import { rawKeyFor } from "./raw-key.js";
import { FISCAL_YEAR_START_METADATA, MAPPING_PREFIX, REPLACES_METADATA } from "./run-job.js";
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
  /** The first month (1–12) of the municipality's fiscal year, when neither the mapping nor a known municipality gives it. */
  fiscalYearStart?: number;
  /** Called with the job record as its progress is written (throttled), for progress bars. */
  onProgress?: (job: JobRecord) => void;
  /** The job this upload corrects: its parts leave the lake in this job's commit (docs/data-model.md, "Corrections"). */
  replaces?: string;
}

/**
 * Validates a mapping file and stores it under `mappings/`; returns the profile reference for the
 * job and the municipality the mapping declares (the raw key's folder when the upload names none).
 */
async function storeMapping(
  runtime: IngestServices,
  file: string,
): Promise<{ profile: string; municipality: string | undefined }> {
  let text: string;
  let municipality: string | undefined;
  try {
    text = await readFile(file, "utf8");
    const json = JSON.parse(text);
    profileFromSuggestion(json);
    municipality = parseDeclarative(json).municipality;
  } catch (error) {
    throw badInput(
      `the mapping ${file} is not usable: ${(error as Error).message}`,
      "fix it, or make a new one with `catdata suggest-mapping <file>`",
    );
  }
  const key = `mappings/${createHash("sha256").update(text).digest("hex").slice(0, 16)}.json`;
  await runtime.store.put(key, Buffer.from(text), { contentType: "application/json" });
  return { profile: `${MAPPING_PREFIX}${key}`, municipality };
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
  if (options.replaces) metadata[REPLACES_METADATA] = options.replaces;
  if (options.fiscalYearStart !== undefined) {
    const month = options.fiscalYearStart;
    if (!Number.isInteger(month) || month < 1 || month > 12) {
      throw badInput(
        `the fiscal-year start ${month} is not a month 1–12`,
        "pass --fiscal-year-start 1…12 (4 = April, 7 = July, 10 = October)",
      );
    }
    metadata[FISCAL_YEAR_START_METADATA] = String(month);
  }
  let mappingMunicipality: string | undefined;
  if (options.mapping) {
    const stored = await storeMapping(runtime, options.mapping);
    metadata.profile = stored.profile;
    mappingMunicipality = stored.municipality;
  }
  // The key is chosen now, at put time: the upload's municipality, else the one the mapping (or the
  // named profile) declares. A profile detected from the headers is known only when the job runs.
  const named = options.profile ? PROFILES.find((p) => p.name === options.profile) : undefined;
  const key = rawKeyFor(options.municipality || mappingMunicipality || named?.defaultMunicipality, file, runtime.now);
  const version = await runtime.store.put(key, createReadStream(file), { contentType: "text/csv", metadata });
  const jobId = jobIdFor(runtime.store.bucket, key, version.versionId);
  return runtime.jobs.waitFor(jobId, options.onProgress ? { onProgress: options.onProgress } : {});
}
