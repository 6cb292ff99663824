import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { badInput } from "../errors.js";
import { type Runtime, rawKeyFor } from "../runtime.js";
import { type JobRecord, jobIdFor } from "./jobs.js";
import { MAPPING_PREFIX } from "./run-job.js";
import { profileFromSuggestion } from "./suggest-mapping.js";

export interface IngestOptions {
  municipality?: string;
  profile?: string;
  /** A confirmed declarative mapping (JSON file from `catdata suggest-mapping`), instead of a profile. */
  mapping?: string;
}

/** Validates a mapping file and stores it under `mappings/`; returns the profile reference for the job. */
async function storeMapping(runtime: Runtime, file: string): Promise<string> {
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
 * Uploads a local file into the store under `raw/…`; the put event runs `process-cat-data`, whose
 * job record is returned. The raw version stays in the store whatever the ETL makes of it.
 */
export async function ingestFile(runtime: Runtime, file: string, options: IngestOptions = {}): Promise<JobRecord> {
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
  const key = rawKeyFor(options.municipality, file);
  const version = await runtime.store.put(key, createReadStream(file), { contentType: "text/csv", metadata });
  const job = await runtime.jobs.get(jobIdFor(runtime.store.bucket, key, version.versionId));
  if (!job) throw new Error(`no job was recorded for ${key}`);
  return job;
}
