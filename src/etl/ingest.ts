import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import { badInput } from "../errors.js";
import { type Runtime, rawKeyFor } from "../runtime.js";
import { type JobRecord, jobIdFor } from "./jobs.js";

export interface IngestOptions {
  municipality?: string;
  profile?: string;
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
  const key = rawKeyFor(options.municipality, file);
  const version = await runtime.store.put(key, createReadStream(file), { contentType: "text/csv", metadata });
  const job = await runtime.jobs.get(jobIdFor(runtime.store.bucket, key, version.versionId));
  if (!job) throw new Error(`no job was recorded for ${key}`);
  return job;
}
