import path from "node:path";
import { PassThrough, type Readable } from "node:stream";
import type { Dataset } from "../cats/model.js";
import { getMunicipality } from "../cats/municipalities.js";
import { badInput, CatdataError } from "../errors.js";
import type { CatalogState, Lake, StagedFiles } from "../lake/lake.js";
import { ParquetDatasetWriter } from "../lake/parquet-writer.js";
import type { Logger } from "../log/logger.js";
import type { ObjectStore } from "../store/object-store.js";
import { countFailure, type RowOutcome } from "./counts.js";
import type { CsvRow } from "./csv-reader.js";
import { detectFormat, gunzip } from "./detect-format.js";
import { TypeSampler } from "./infer-types.js";
import type { JobLog, JobRecord, QuarantineWriter } from "./job-log.js";
import { KeySet } from "./key-set.js";
import type { IngestLimits } from "./limits.js";
import { ValueError } from "./parse-values.js";
import { detectProfile, getProfile } from "./profiles/index.js";
import type { MappedRecord, MappingProfile, MapResult, RowContext } from "./profiles/profile.js";
import { profileFromSuggestion } from "./suggest-mapping.js";
import { openTables } from "./tables.js";
import { recordProblem } from "./validate-record.js";

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
  /** The readers' caps (config.ingest, src/etl/limits.ts); their defaults when omitted. */
  limits?: Partial<IngestLimits> | undefined;
}

/**
 * The pipeline for one object version: sniff → (gunzip) → tables (CSV, JSON, Excel sheets) →
 * profile per table → canonical records → staged Parquet → one catalog commit. Every row read is
 * counted once as loaded, quarantined (with its reason), deduplicated or skipped (not a cat), and
 * counted when its outcome is known, so every record saved (progress included) adds up (counts.ts).
 * A job that fails publishes nothing: its counts say loaded 0, and what would have loaded is `failed`.
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
  /** Dedup keys seen in this upload, one set per dataset (so no key needs the dataset prefixed). */
  const seen = new Map<Dataset, KeySet>();
  let quarantine = await jobs.openQuarantine(job.jobId);
  const staging = await deps.lake.openStaging(job.jobId);
  const raw = counting(await deps.store.getStream(job.key, job.versionId), head.size, deps.onProgress);
  const source = gzip ? gunzip(raw, deps.limits, fileName) : raw;
  let sawHeaders = false;
  /** A row is between being read and being counted (its outcome not known yet). */
  let rowInHand = false;
  try {
    for await (const table of openTables(source, format, fileName, deps.limits ? { limits: deps.limits } : {})) {
      const sampler = new TypeSampler();
      let profile: MappingProfile | undefined;
      let state: RowState | undefined;
      let municipality = meta.municipality ?? "";
      for await (const row of table.rows) {
        if (!profile || !state) {
          profile =
            named ??
            detectProfile(table.headers(), `${fileName}${format.kind === "xlsx" ? ` (sheet ${table.name})` : ""}`);
          municipality ||= profile.defaultMunicipality ?? "";
          const fiscalYearStartMonth =
            profile.fiscalYearStartMonth ?? getMunicipality(municipality)?.fiscalYearStartMonth ?? 4;
          job.profile = job.profile ? `${job.profile},${profile.name}` : profile.name;
          job.municipality ??= municipality || null;
          state = {
            profile,
            context: { municipality, fiscalYearStartMonth, jobId: job.jobId, fileName, row: 0 },
            job,
            seen,
            writers,
            quarantine,
            staging,
          };
        }
        rowInHand = true;
        sampler.add(row.values);
        const taken = takeRow(row, state);
        const outcome = typeof taken === "string" ? taken : await taken;
        job.counts.read += 1;
        job.counts[outcome] += 1;
        rowInHand = false;
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
    countFailure(job, rowInHand);
    for (const w of writers.values()) await w.abort().catch(() => {});
    await deps.lake.discardStaging(job.jobId).catch(() => {});
    throw inputError(error, fileName, job.counts.read);
  } finally {
    await quarantine.close();
    source.destroy();
  }
}

interface RowState {
  profile: MappingProfile;
  /** One context object per table, its `row` set per row (profiles read it during mapRow only). */
  context: RowContext;
  job: JobRecord;
  seen: Map<Dataset, KeySet>;
  writers: Map<Dataset, ParquetDatasetWriter>;
  quarantine: QuarantineWriter;
  /** The job's staging folder (Lake.openStaging). */
  staging: string;
}

const isRowError = (error: unknown) =>
  error instanceof ValueError || (error instanceof CatdataError && error.code === "BAD_INPUT");

/**
 * One row: the species pre-filter, the profile's mapping, every value checked against its column
 * type, dedup, then the Parquet writers. Returns how the row counts; the caller counts it.
 */
function takeRow(row: CsvRow, s: RowState): RowOutcome | Promise<RowOutcome> {
  const { profile } = s;
  if (row.problem) return quarantine(s, row, row.problem);
  const filter = profile.speciesFilter;
  if (filter && !filter.accepts(row.values[filter.header] ?? "")) return "skipped";
  s.context.row = row.row;
  let result: MapResult;
  try {
    result = profile.mapRow(row.values, s.context);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (isRowError(error)) return quarantine(s, row, `row ${row.row}: ${message}`);
    throw new CatdataError(
      "BAD_INPUT",
      `row ${row.row} of ${s.context.fileName}: the ${profile.name} profile could not map it (${message})`,
      { hint: "fix or remove that row and upload again; nothing of this file was loaded", cause: error },
    );
  }
  if (result.kind === "skip") return "skipped";
  if (result.kind === "reject") return quarantine(s, row, result.reason);
  const { records } = result;
  for (const r of records) {
    const problem = recordProblem(r.dataset, r.record);
    if (problem) return quarantine(s, row, `row ${row.row}: ${problem.reason}`);
  }
  const fresh = profile.dedupKey ? records.filter((r) => isFresh(s, profile, r)) : records;
  if (fresh.length === 0) return "deduplicated";
  // The common case without a promise: one record, its writer open, no flush due.
  const [only] = fresh;
  const writer = only && fresh.length === 1 ? s.writers.get(only.dataset) : undefined;
  if (only && writer) {
    const flushing = writer.append(only.record, row.row);
    s.job.loadedByDataset[only.dataset] = (s.job.loadedByDataset[only.dataset] ?? 0) + 1;
    return flushing ? flushing.then(() => "loaded" as const) : "loaded";
  }
  return writeAll(s, fresh, row.row);
}

function isFresh(s: RowState, profile: MappingProfile, r: MappedRecord): boolean {
  const k = profile.dedupKey?.(r);
  if (!k) return true;
  let keys = s.seen.get(r.dataset);
  if (!keys) {
    keys = new KeySet();
    s.seen.set(r.dataset, keys);
  }
  return keys.add(k);
}

async function writeAll(s: RowState, records: MappedRecord[], sourceRow: number): Promise<"loaded"> {
  for (const r of records) {
    let writer = s.writers.get(r.dataset);
    if (!writer) {
      writer = await ParquetDatasetWriter.open(s.staging, r.dataset, s.job.jobId);
      s.writers.set(r.dataset, writer);
    }
    await writer.append(r.record, sourceRow);
    s.job.loadedByDataset[r.dataset] = (s.job.loadedByDataset[r.dataset] ?? 0) + 1;
  }
  return "loaded";
}

async function quarantine(s: RowState, row: CsvRow, reason: string): Promise<"quarantined"> {
  await s.quarantine.write({ row: row.row, reason, values: row.values });
  return "quarantined";
}

/** zlib's errors in the middle of the stream are damaged input, not a fault worth retrying. */
function inputError(error: unknown, fileName: string, rowsRead: number): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string" && code.startsWith("Z_")) {
    return new CatdataError(
      "BAD_INPUT",
      `${fileName} is a damaged gzip file: ${(error as Error).message} (after ${rowsRead} rows)`,
      { hint: "compress it again, or upload it uncompressed", cause: error },
    );
  }
  return error;
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
