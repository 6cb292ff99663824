import { createWriteStream } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { PassThrough, type Readable } from "node:stream";
import type { Dataset } from "../cats/model.js";
import { getMunicipality } from "../cats/municipalities.js";
import { badInput } from "../errors.js";
import { ParquetDatasetWriter } from "../lake/parquet-writer.js";
import type { Logger } from "../log/logger.js";
import type { ObjectCreatedEvent, ObjectStore } from "../store/object-store.js";
import { readCsv } from "./csv-reader.js";
import { JobLog, type JobRecord, jobIdFor } from "./jobs.js";
import { detectProfile, getProfile } from "./profiles/index.js";
import type { MappingProfile } from "./profiles/profile.js";
import { sniff } from "./sniff.js";

export interface ProcessDeps {
  home: string;
  store: ObjectStore;
  logger: Logger;
  now?: () => Date;
  /** Called as bytes of the raw object are read (for progress bars). */
  onProgress?: (bytesRead: number, totalBytes: number) => void;
}

/** Only objects under `raw/` are uploads to process (the S3 notification's prefix filter). */
export const RAW_PREFIX = "raw/";

/**
 * `process-cat-data`: the handler that runs on every put under `raw/` — through the local store's put
 * event here, and as the Lambda handler on S3's event notification in AWS (src/lambda/process-cat-data.ts).
 * Exactly once per object version: a re-delivered event returns the job it already finished.
 */
export function createProcessCatData(deps: ProcessDeps) {
  const jobs = new JobLog(deps.home);
  const now = deps.now ?? (() => new Date());
  return async function processCatData(event: { Records: ObjectCreatedEvent[] }): Promise<JobRecord[]> {
    const results: JobRecord[] = [];
    for (const record of event.Records) {
      const { key, versionId } = record.s3.object;
      if (!key.startsWith(RAW_PREFIX)) continue;
      const jobId = jobIdFor(record.s3.bucket.name, key, versionId);
      const existing = await jobs.get(jobId);
      if (existing && existing.status !== "failed" && existing.status !== "running") {
        results.push(existing);
        continue;
      }
      const job: JobRecord = {
        jobId,
        bucket: record.s3.bucket.name,
        key,
        versionId,
        sha256: record.s3.object.sha256 ?? "",
        status: "running",
        profile: null,
        municipality: null,
        attempts: (existing?.attempts ?? 0) + 1,
        startedAt: now().toISOString(),
        finishedAt: null,
        counts: { read: 0, loaded: 0, quarantined: 0, deduplicated: 0, skipped: 0 },
        loadedByDataset: {},
        error: null,
        duplicateOf: null,
      };
      await jobs.save(job);
      try {
        await runJob(deps, jobs, job);
      } catch (error) {
        job.status = "failed";
        job.error = error instanceof Error ? error.message : String(error);
        deps.logger.warn({ jobId, key, err: job.error }, "process-cat-data failed");
      }
      job.finishedAt = now().toISOString();
      await jobs.save(job);
      deps.logger.info({ jobId, key, status: job.status, counts: job.counts }, "process-cat-data finished");
      results.push(job);
    }
    return results;
  };
}

async function runJob(deps: ProcessDeps, jobs: JobLog, job: JobRecord): Promise<void> {
  const head = await deps.store.head(job.key, job.versionId);
  job.sha256 = head.sha256;
  const meta = await metadataOf(deps.store, job);
  const fileName = path.posix.basename(job.key);
  const first = await readHead(await deps.store.getStream(job.key, job.versionId));
  if (first.length === 0) throw badInput(`${fileName} is empty`, "upload a CSV with a header row and data rows");
  const sniffed = sniff(first);
  if (sniffed.kind !== "text") {
    const what = sniffed.kind === "binary" ? sniffed.reason : `it is a ${sniffed.kind} file`;
    throw badInput(`${fileName} cannot be read as CSV: ${what}`, "upload a CSV (UTF-8 or Shift_JIS) file");
  }
  const duplicate = (await jobs.list()).find(
    (j) =>
      j.jobId !== job.jobId &&
      j.sha256 === head.sha256 &&
      j.status === "succeeded" &&
      (meta.municipality === undefined || j.municipality === meta.municipality),
  );

  let profile: MappingProfile | undefined = meta.profile ? getProfile(meta.profile) : undefined;
  let municipality = "";
  let fyStart = 4;
  const writers = new Map<Dataset, ParquetDatasetWriter>();
  const seen = new Set<string>();
  await mkdir(path.dirname(jobs.quarantinePath(job.jobId)), { recursive: true });
  const quarantine = createWriteStream(jobs.quarantinePath(job.jobId), { flags: "w" });
  let headers: string[] = [];
  const source = counting(await deps.store.getStream(job.key, job.versionId), head.size, deps.onProgress);
  try {
    for await (const row of readCsv(source, { encoding: sniffed.encoding, onHeader: (h) => (headers = h.headers) })) {
      if (!profile) profile = detectProfile(headers, fileName);
      if (!job.profile) {
        // The upload's municipality, else the profile's; the template may also carry it per row.
        municipality = meta.municipality ?? profile.defaultMunicipality ?? "";
        fyStart = profile.fiscalYearStartMonth ?? getMunicipality(municipality)?.fiscalYearStartMonth ?? 4;
        job.profile = profile.name;
        job.municipality = municipality || null;
        if (duplicate) break;
      }
      job.counts.read += 1;
      const reject = (reason: string) => {
        job.counts.quarantined += 1;
        quarantine.write(`${JSON.stringify({ row: row.row, reason, values: row.values })}\n`);
      };
      if (row.problem) {
        reject(row.problem);
        continue;
      }
      const result = profile.mapRow(row.values, {
        municipality,
        fiscalYearStartMonth: fyStart,
        jobId: job.jobId,
        fileName,
        row: row.row,
      });
      if (result.kind === "skip") job.counts.skipped += 1;
      else if (result.kind === "reject") reject(result.reason);
      else {
        const fresh = result.records.filter((r) => {
          const k = profile?.dedupKey?.(r);
          if (!k) return true;
          const full = `${r.dataset}|${k}`;
          if (seen.has(full)) return false;
          seen.add(full);
          return true;
        });
        if (fresh.length === 0) {
          job.counts.deduplicated += 1;
          continue;
        }
        job.counts.loaded += 1;
        for (const r of fresh) {
          let writer = writers.get(r.dataset);
          if (!writer) {
            writer = await ParquetDatasetWriter.open(deps.home, r.dataset, job.jobId);
            writers.set(r.dataset, writer);
          }
          await writer.append(r.record);
          job.loadedByDataset[r.dataset] = (job.loadedByDataset[r.dataset] ?? 0) + 1;
        }
      }
    }
    if (duplicate) {
      job.status = "duplicate";
      job.duplicateOf = duplicate.jobId;
      job.counts = { ...duplicate.counts, loaded: 0, quarantined: 0, skipped: 0, deduplicated: duplicate.counts.read };
      job.error = `the same file was already loaded by job ${duplicate.jobId} (${duplicate.key})`;
      for (const w of writers.values()) await w.abort();
      return;
    }
    if (headers.length === 0) throw badInput(`${fileName} has no header row`, "the first line must name the columns");
    if (job.counts.read === 0)
      throw badInput(`${fileName} has a header but no data rows`, "add data rows below the header");
    for (const w of writers.values()) await w.commit();
    job.status = "succeeded";
  } catch (error) {
    for (const w of writers.values()) await w.abort().catch(() => {});
    throw error;
  } finally {
    quarantine.end();
    source.destroy();
  }
}

async function metadataOf(store: ObjectStore, job: JobRecord): Promise<{ municipality?: string; profile?: string }> {
  const v = (await store.listVersions(job.key)).find((x) => x.versionId === job.versionId) as
    | { metadata?: Record<string, string> }
    | undefined;
  const out: { municipality?: string; profile?: string } = {};
  if (v?.metadata?.municipality) out.municipality = v.metadata.municipality;
  if (v?.metadata?.profile) out.profile = v.metadata.profile;
  return out;
}

async function readHead(stream: Readable, bytes = 64 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    chunks.push(chunk as Buffer);
    size += (chunk as Buffer).length;
    if (size >= bytes) break;
  }
  stream.destroy();
  return Buffer.concat(chunks).subarray(0, bytes);
}

function counting(stream: Readable, total: number, onProgress?: (done: number, total: number) => void): Readable {
  if (!onProgress) return stream;
  let done = 0;
  const pass = new PassThrough();
  stream.on("data", (chunk: Buffer) => {
    done += chunk.length;
    onProgress(done, total);
  });
  stream.on("error", (e) => pass.destroy(e));
  return stream.pipe(pass);
}
