import path from "node:path";
import { PassThrough, type Readable } from "node:stream";
import type { Dataset } from "../cats/model.js";
import { getMunicipality } from "../cats/municipalities.js";
import { badInput } from "../errors.js";
import type { CatalogState, Lake, StagedFiles } from "../lake/lake.js";
import { ParquetDatasetWriter } from "../lake/parquet-writer.js";
import type { Logger } from "../log/logger.js";
import type { ObjectStore } from "../store/object-store.js";
import type { CsvRow } from "./csv-reader.js";
import { detectFormat, gunzip } from "./detect-format.js";
import { TypeSampler } from "./infer-types.js";
import type { JobLog, JobRecord, QuarantineWriter } from "./job-log.js";
import { KeySet } from "./key-set.js";
import { detectProfile, getProfile } from "./profiles/index.js";
import type { MappingProfile } from "./profiles/profile.js";
import { profileFromSuggestion } from "./suggest-mapping.js";
import { openTables } from "./tables.js";

/** `profile` metadata of the form `mapping:<key>` names a confirmed declarative mapping in the store. */
export const MAPPING_PREFIX = "mapping:";

async function resolveProfile(store: ObjectStore, name: string | undefined): Promise<MappingProfile | undefined> {
  if (!name) return undefined;
  if (!name.startsWith(MAPPING_PREFIX)) return getProfile(name);
  const json = JSON.parse((await store.get(name.slice(MAPPING_PREFIX.length))).toString("utf8"));
  return profileFromSuggestion(json);
}

export interface JobDeps {
  store: ObjectStore;
  lake: Lake;
  logger: Logger;
  now: () => Date;
  onProgress?: ((bytesRead: number, totalBytes: number) => void) | undefined;
}

/**
 * The pipeline for one object version: sniff → (gunzip) → tables (CSV, JSON, Excel sheets) →
 * profile per table → canonical records → staged Parquet → one catalog commit. Every row read is
 * counted once as loaded, quarantined (with its reason), deduplicated or skipped (not a cat).
 */
export async function runJob(deps: JobDeps, jobs: JobLog, job: JobRecord): Promise<void> {
  const head = await deps.store.head(job.key, job.versionId);
  job.sha256 = head.sha256;
  const meta = head.metadata ?? {};
  const fileName = path.posix.basename(job.key);
  const { format, gzip } = await detectFormat(deps.store, job, fileName);

  const duplicate = (await jobs.committedWithContent(head.sha256)).find(
    (j) => j.jobId !== job.jobId && (meta.municipality === undefined || j.municipality === meta.municipality),
  );
  if (duplicate) {
    Object.assign(job, {
      status: "duplicate",
      duplicateOf: duplicate.jobId,
      profile: duplicate.profile,
      municipality: duplicate.municipality,
      counts: {
        read: duplicate.counts.read,
        loaded: 0,
        quarantined: 0,
        skipped: 0,
        deduplicated: duplicate.counts.read,
      },
      error: `the same file was already loaded by job ${duplicate.jobId} (${duplicate.key})`,
    });
    return;
  }
  /** At commit, under the catalog lock: another job that committed the same bytes (for the same municipality). */
  let committedBefore: string | undefined;
  const guard = (state: CatalogState) => {
    committedBefore = Object.entries(state.jobs).find(
      ([id, s]) =>
        id !== job.jobId &&
        s.sha256 === head.sha256 &&
        (meta.municipality === undefined || s.municipality === job.municipality),
    )?.[0];
    return committedBefore && `the same file was already committed by job ${committedBefore}`;
  };

  const named = await resolveProfile(deps.store, meta.profile);
  const writers = new Map<Dataset, ParquetDatasetWriter>();
  const seen = new KeySet();
  let quarantine = await jobs.openQuarantine(job.jobId);
  const staging = await deps.lake.openStaging(job.jobId);
  const raw = counting(await deps.store.getStream(job.key, job.versionId), head.size, deps.onProgress);
  const source = gzip ? gunzip(raw) : raw;
  let sawHeaders = false;
  try {
    for await (const table of openTables(source, format, fileName)) {
      const sampler = new TypeSampler();
      let profile: MappingProfile | undefined;
      let municipality = meta.municipality ?? "";
      let fyStart = 4;
      for await (const row of table.rows) {
        if (!profile) {
          profile =
            named ??
            detectProfile(table.headers(), `${fileName}${format.kind === "xlsx" ? ` (sheet ${table.name})` : ""}`);
          municipality ||= profile.defaultMunicipality ?? "";
          fyStart = profile.fiscalYearStartMonth ?? getMunicipality(municipality)?.fiscalYearStartMonth ?? 4;
          job.profile = job.profile ? `${job.profile},${profile.name}` : profile.name;
          job.municipality ??= municipality || null;
        }
        job.counts.read += 1;
        sampler.add(row.values);
        await mapRow(row, profile, {
          municipality,
          fyStart,
          fileName,
          job,
          seen,
          writers,
          quarantine,
          staging,
        });
      }
      sawHeaders ||= table.headers().length > 0;
      if (!profile) continue;
      const drift = await deps.lake.recordSchema(`${municipality || "unassigned"}/${profile.name}`, {
        jobId: job.jobId,
        versionId: job.versionId,
        profile: profile.name,
        headers: table.headers(),
        types: sampler.types(),
        at: deps.now().toISOString(),
      });
      job.tables.push({ name: table.name, profile: profile.name, headers: table.headers(), drift });
    }
    if (job.tables.length === 0) {
      throw sawHeaders
        ? badInput(`${fileName} has a header but no data rows`, "add data rows below the header")
        : badInput(`${fileName} has no header row`, "the first line must name the columns");
    }
    const staged: StagedFiles = {};
    for (const [dataset, w] of writers) staged[dataset] = await w.finish();
    const result = await deps.lake.commitJob(job.jobId, staged, {
      source: { sha256: head.sha256, municipality: job.municipality ?? null },
      guard,
    });
    if (result.committed) job.status = "succeeded";
    else {
      // Nothing was published: the rows count as the other job's, and this job keeps no quarantine.
      await quarantine.close();
      quarantine = await jobs.openQuarantine(job.jobId);
      const read = job.counts.read;
      Object.assign(job, {
        status: "duplicate",
        duplicateOf: committedBefore ?? null,
        counts: { read, loaded: 0, quarantined: 0, skipped: 0, deduplicated: read },
        loadedByDataset: {},
        error: result.reason,
      });
    }
  } catch (error) {
    for (const w of writers.values()) await w.abort().catch(() => {});
    await deps.lake.discardStaging(job.jobId).catch(() => {});
    throw error;
  } finally {
    await quarantine.close();
    source.destroy();
  }
}

interface RowState {
  municipality: string;
  fyStart: number;
  fileName: string;
  job: JobRecord;
  seen: KeySet;
  writers: Map<Dataset, ParquetDatasetWriter>;
  quarantine: QuarantineWriter;
  /** The job's staging folder (Lake.openStaging). */
  staging: string;
}

async function mapRow(row: CsvRow, profile: MappingProfile, s: RowState): Promise<void> {
  const { job } = s;
  const reject = async (reason: string) => {
    job.counts.quarantined += 1;
    await s.quarantine.write({ row: row.row, reason, values: row.values });
  };
  if (row.problem) return reject(row.problem);
  const context = {
    municipality: s.municipality,
    fiscalYearStartMonth: s.fyStart,
    jobId: job.jobId,
    fileName: s.fileName,
    row: row.row,
  };
  const result = profile.mapRow(row.values, context);
  if (result.kind === "skip") {
    job.counts.skipped += 1;
    return;
  }
  if (result.kind === "reject") return reject(result.reason);
  const fresh = result.records.filter((r) => {
    const k = profile.dedupKey?.(r);
    if (!k) return true;
    return s.seen.add(`${r.dataset}|${k}`);
  });
  if (fresh.length === 0) {
    job.counts.deduplicated += 1;
    return;
  }
  job.counts.loaded += 1;
  for (const r of fresh) {
    let writer = s.writers.get(r.dataset);
    if (!writer) {
      writer = await ParquetDatasetWriter.open(s.staging, r.dataset, job.jobId);
      s.writers.set(r.dataset, writer);
    }
    await writer.append(r.record);
    job.loadedByDataset[r.dataset] = (job.loadedByDataset[r.dataset] ?? 0) + 1;
  }
}

/** Reports progress in bytes of the stored object; the gunzip (if any) sits after it. */
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
