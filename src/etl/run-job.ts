import path from "node:path";
import { PassThrough, type Readable } from "node:stream";
import type { Dataset } from "../cats/model.js";
import { getMunicipality, type Municipality } from "../cats/municipalities.js";
import { badInput, CatdataError } from "../errors.js";
import { correctionProblem, identitiesFor, isLive } from "../lake/catalog-state.js";
import { type CatalogState, correctionError, type Lake, type StagedFiles } from "../lake/lake.js";
import { ParquetDatasetWriter } from "../lake/parquet-writer.js";
import type { Logger } from "../log/logger.js";
import type { ObjectStore } from "../store/object-store.js";
import { countFailure, type RowOutcome } from "./counts.js";
import type { CsvRow } from "./csv-reader.js";
import { detectFormat, gunzip } from "./detect-format.js";
import { IdentityRecorder, loadIdentities } from "./identity-index.js";
import { TYPE_SAMPLE_ROWS, TypeSampler } from "./infer-types.js";
import { isJobId, type JobLog, type JobRecord, type QuarantineWriter } from "./job-log.js";
import { KeySet, keyHash } from "./key-set.js";
import type { IngestLimits } from "./limits.js";
import { ValueError } from "./parse-values.js";
import { parseDeclarative } from "./profiles/declarative-spec.js";
import { detectProfile, getProfile } from "./profiles/index.js";
import type { MappedRecord, MappingProfile, MapResult, RowContext } from "./profiles/profile.js";
import { SPECIES_HINT, SPECIES_NOT_DECLARED } from "./profiles/species-rule.js";
import { SkipTally } from "./skip-tally.js";
import { sqlIngest } from "./sql-path/sql-path.js";
import { sqlProfileFor } from "./sql-path/sql-profiles.js";
import { profileFromSuggestion } from "./suggest-mapping.js";
import { openTables } from "./tables.js";
import { recordProblem } from "./validate-record.js";

/** `profile` metadata of the form `mapping:<key>` names a confirmed declarative mapping in the store. */
export const MAPPING_PREFIX = "mapping:";

/**
 * A job whose rows that were not skipped are quarantined at this share or more ends `needs_review`
 * (published, flagged; docs/cli.md "Job outcomes"). 0.2: one row in five rejected is no longer the
 * odd bad cell a municipal export has, but a mapping or a format that is partly wrong.
 */
export const NEEDS_REVIEW_QUARANTINE_SHARE = 0.2;
/**
 * …and only when at least this many rows were quarantined: in a file of a handful of rows one bad
 * row is a large share but no sign of a wrong mapping (a job that loads nothing fails whatever its size).
 */
export const NEEDS_REVIEW_MIN_QUARANTINED = 5;
/** How many of the most frequent quarantine reasons a failed / needs_review job's `error` names. */
export const TOP_QUARANTINE_REASONS = 3;

/** The upload's `replaces` metadata (`catdata ingest --replaces`, POST /uploads?replaces=): the job it corrects. */
export const REPLACES_METADATA = "replaces";

/** The upload's `fiscalYearStart` metadata (`catdata ingest --fiscal-year-start`): 1–12. */
export const FISCAL_YEAR_START_METADATA = "fiscalYearStart";

interface NamedProfile {
  profile: MappingProfile;
  /** The headers a declarative mapping names (its columns and its filter column). */
  mappedHeaders: string[];
}

async function resolveProfile(store: ObjectStore, name: string | undefined): Promise<NamedProfile | undefined> {
  if (!name) return undefined;
  if (!name.startsWith(MAPPING_PREFIX)) return { profile: getProfile(name), mappedHeaders: [] };
  const json = JSON.parse((await store.get(name.slice(MAPPING_PREFIX.length))).toString("utf8"));
  const spec = parseDeclarative(json);
  const mappedHeaders = [...new Set([...Object.values(spec.columns), ...(spec.filter ? [spec.filter.column] : [])])];
  return { profile: profileFromSuggestion(json), mappedHeaders };
}

/** The upload's declared fiscal-year start, or undefined; a value that is not 1–12 is an error. */
function declaredFiscalYearStart(raw: string | undefined): number | undefined {
  if (raw === undefined || raw === "") return undefined;
  const month = Number(raw);
  if (!Number.isInteger(month) || month < 1 || month > 12) {
    throw badInput(
      `the upload's fiscal-year start ${JSON.stringify(raw)} is not a month 1–12`,
      "pass --fiscal-year-start 1…12 (4 = April, 7 = July, 10 = October)",
    );
  }
  return month;
}

/** The municipalities a job can look up: the deployment's directory (config.municipalities). */
export interface MunicipalityLookup {
  get(code: string): Municipality | undefined;
}

/**
 * The first month of the fiscal year: the upload's declaration, else the profile's (or mapping's),
 * else the known municipality's — in the deployment's directory (its CATDATA_MUNICIPALITIES_FILE
 * included), else the built-in table (Japanese codes: April, 地方自治法 §208). Never a silent default.
 */
function fiscalYearStartFor(
  declared: number | undefined,
  profile: MappingProfile,
  municipality: string,
  directory: MunicipalityLookup | undefined,
): number {
  const known = directory?.get(municipality) ?? getMunicipality(municipality);
  const month = declared ?? profile.fiscalYearStartMonth ?? known?.fiscalYearStartMonth;
  if (month !== undefined) return month;
  throw badInput(
    `no fiscal-year start is known for ${municipality ? `municipality ${JSON.stringify(municipality)}` : "this upload (it names no municipality)"} (profile ${profile.name})`,
    "declare it: set fiscalYearStartMonth (1–12) in the mapping, or upload with `catdata ingest --fiscal-year-start <1-12>`",
  );
}

/**
 * A quarantine reason without its row number and with quoted cell values elided, so that the same
 * problem on many rows counts as one, and the job record (not sealed like the quarantined rows,
 * src/etl/quarantine-cipher.ts) carries no raw cell text.
 */
const reasonKind = (reason: string) =>
  reason
    .replace(/^row \d+: /, "")
    .replace(/"[^"]*"/g, '"…"')
    .slice(0, 200);

/** "12 × age: negative; 3 × no date" — the most frequent reasons first. */
function topReasons(tally: Map<string, number>): string {
  return [...tally]
    .sort((a, b) => b[1] - a[1])
    .slice(0, TOP_QUARANTINE_REASONS)
    .map(([reason, n]) => `${n} × ${reason}`)
    .join("; ");
}

export interface JobDeps {
  store: ObjectStore;
  lake: Lake;
  logger: Logger;
  now: () => Date;
  onProgress?: ((bytesRead: number, totalBytes: number) => void) | undefined;
  /** The readers' caps (config.ingest, src/etl/limits.ts); their defaults when omitted. */
  limits?: Partial<IngestLimits> | undefined;
  /**
   * Whether a plain UTF-8 CSV whose profile has a SQL form goes through DuckDB (sql-path/); false:
   * always the JS path (config.etlSqlPath, CATDATA_ETL_SQL_PATH=off). Default true.
   */
  sqlPath?: boolean | undefined;
  /** The deployment's municipalities (config.municipalities); the built-in table when omitted. */
  municipalities?: MunicipalityLookup | undefined;
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

  // The duplicate rule: the same bytes, for the same municipality, read with the same mapping, by a
  // job still live in the catalog (not replaced or retracted) that this upload does not replace.
  const mapping = meta.profile ?? null;
  const replaces = replacedJob(meta[REPLACES_METADATA], job.jobId);
  job.mapping = mapping;
  job.replaces = replaces ?? null;
  const catalog = await deps.lake.readCatalog();
  const problem = replaces === undefined ? undefined : correctionProblem(catalog, replaces, job.jobId);
  if (problem) throw correctionError(problem);
  const sameSource = (id: string, municipality: string | null, theirs: string | null | undefined, live: boolean) =>
    id !== job.jobId &&
    id !== replaces &&
    live &&
    (meta.municipality === undefined || municipality === meta.municipality) &&
    // Records and catalogs written before the mapping was recorded match any mapping (the old rule).
    (theirs === undefined || theirs === mapping);
  const duplicate = (await jobs.committedWithContent(head.sha256)).find((j) =>
    sameSource(j.jobId, j.municipality, j.mapping, !(j.jobId in catalog.retired)),
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
        s.sha256 === head.sha256 &&
        sameSource(id, s.municipality, s.mapping, isLive(state, id)) &&
        (meta.municipality === undefined || s.municipality === job.municipality),
    )?.[0];
    return committedBefore && `the same file was already committed by job ${committedBefore}`;
  };

  const named = await resolveProfile(deps.store, meta.profile);
  const declaredFiscalYear = declaredFiscalYearStart(meta[FISCAL_YEAR_START_METADATA]);
  /** Quarantine reasons (without row numbers) and how many rows each; for a failed or needs_review job's error. */
  const reasons = new Map<string, number>();
  /** Skipped rows by reason and label, for the job's `skippedBy`. */
  const skips = new SkipTally();
  /** The first sheet no profile matched: the job's error when no sheet loads at all. */
  let unmatched: unknown;
  const writers = new Map<Dataset, ParquetDatasetWriter>();
  /**
   * Dedup keys seen in this upload, one set per dataset (so no key needs the dataset prefixed), primed
   * with the identities the lake already holds for the upload's municipality (identity-index.ts).
   */
  const seen = new Map<Dataset, KeySet>();
  const identities = new IdentityRecorder();
  const primed = new Set<string>();
  const prime = (profile: MappingProfile, municipality: string) =>
    primeIdentities(deps.lake, catalog, seen, primed, profile, municipality, [
      job.jobId,
      ...(replaces ? [replaces] : []),
    ]);
  let quarantine = await jobs.openQuarantine(job.jobId);
  const staging = await deps.lake.openStaging(job.jobId);
  let source: Readable | undefined;
  let sawHeaders = false;
  /** A row is between being read and being counted (its outcome not known yet). */
  let rowInHand = false;
  /** What the SQL path staged (it writes Parquet itself, no writer). */
  let sqlStaged: StagedFiles = {};
  try {
    const viaSql =
      deps.sqlPath !== false &&
      !meta.profile?.startsWith(MAPPING_PREFIX) &&
      format.kind === "text" &&
      format.encoding === "utf8" &&
      !format.bom &&
      !gzip
        ? await sqlPathJob(deps, job, {
            fileName,
            profile: named?.profile,
            size: head.size,
            municipality: meta.municipality ?? "",
            declaredFiscalYear,
            staging,
            seen,
            identities,
            prime,
            reasons,
            skips,
            quarantine,
          })
        : undefined;
    if (viaSql) {
      sqlStaged = viaSql;
      sawHeaders = true;
    }
    const raw = viaSql
      ? undefined
      : counting(await deps.store.getStream(job.key, job.versionId), head.size, deps.onProgress);
    source = raw && (gzip ? gunzip(raw, deps.limits, fileName) : raw);
    const tables = source ? openTables(source, format, fileName, deps.limits ? { limits: deps.limits } : {}) : [];
    for await (const table of tables) {
      const sampler = new TypeSampler();
      let profile: MappingProfile | undefined;
      let state: RowState | undefined;
      let municipality = meta.municipality ?? "";
      /** Set when this sheet is skipped (no profile matches it): its rows are read past, not counted. */
      let skippedWhy: string | undefined;
      for await (const row of table.rows) {
        if (skippedWhy !== undefined) continue;
        if (!profile || !state) {
          if (named) {
            profile = named.profile;
            checkMappedHeaders(named, table.headers(), fileName, format.kind === "xlsx" ? table.name : undefined);
          } else {
            try {
              profile = detectProfile(
                table.headers(),
                `${fileName}${format.kind === "xlsx" ? ` (sheet ${table.name})` : ""}`,
              );
            } catch (error) {
              // One sheet of a workbook (a summary, a notes page) fails no other sheet: it is reported as skipped.
              if (format.kind !== "xlsx" || !(error instanceof CatdataError)) throw error;
              unmatched ??= error;
              skippedWhy = error.message;
              continue;
            }
          }
          municipality ||= profile.defaultMunicipality ?? "";
          const fiscalYearStartMonth = fiscalYearStartFor(
            declaredFiscalYear,
            profile,
            municipality,
            deps.municipalities,
          );
          job.profile = job.profile ? `${job.profile},${profile.name}` : profile.name;
          job.municipality ??= municipality || null;
          if (profile.dedupKey) await prime(profile, municipality);
          state = {
            profile,
            context: {
              municipality,
              fiscalYearStartMonth,
              jobId: job.jobId,
              fileName,
              row: 0,
              fiscalYearStartOf: (code) =>
                (deps.municipalities?.get(code) ?? getMunicipality(code))?.fiscalYearStartMonth,
            },
            job,
            seen,
            identities,
            writers,
            quarantine,
            staging,
            reasons,
            skips,
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
      if (skippedWhy !== undefined) {
        job.tables.push({ name: table.name, profile: "", headers: table.headers(), drift: null, skipped: skippedWhy });
        continue;
      }
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
    const loadedTables = job.tables.filter((t) => t.skipped === undefined);
    if (loadedTables.length === 0 && unmatched) throw unmatched;
    if (loadedTables.length === 0) {
      throw sawHeaders
        ? badInput(`${fileName} has a header but no data rows`, "add data rows below the header")
        : badInput(`${fileName} has no header row`, "the first line must name the columns");
    }
    const { read, loaded, quarantined, skipped } = job.counts;
    if (skipped > 0) job.skippedBy = skips.top();
    const undeclared = skips.rowsFor(SPECIES_NOT_DECLARED);
    if (read > 0 && loaded === 0 && undeclared > 0) {
      throw badInput(
        `${fileName}: none of its ${read} rows loaded — the mapping does not say how species is known, so ${undeclared} rows were skipped (species not declared: a file without a species column is never taken as cats)`,
        SPECIES_HINT,
      );
    }
    if (read > 0 && loaded === 0) {
      throw badInput(
        quarantined > 0
          ? `${fileName}: none of its ${read} rows loaded — ${quarantined} were quarantined (${topReasons(reasons)})${skipped ? `, ${skipped} skipped (not cats)` : ""}`
          : `${fileName}: none of its ${read} rows loaded (${skipped} skipped: not cats, ${job.counts.deduplicated} deduplicated)`,
        quarantined > 0
          ? `see the rows with \`catdata quarantine ${job.jobId}\`; fix the file or the mapping and upload again`
          : job.counts.deduplicated > 0
            ? "its records are already in the lake; to correct an earlier load, upload with `--replaces <jobId>` (`catdata loads history`)"
            : "check that the file holds cat records (the species column) and is not a file already loaded",
      );
    }
    const reviewed = read - skipped;
    const needsReview =
      quarantined >= NEEDS_REVIEW_MIN_QUARANTINED && quarantined >= NEEDS_REVIEW_QUARANTINE_SHARE * reviewed;
    const staged: StagedFiles = { ...sqlStaged };
    for (const [dataset, w] of writers) staged[dataset] = [...(staged[dataset] ?? []), ...(await w.finish())];
    const result = await deps.lake.commitJob(job.jobId, staged, {
      source: { sha256: head.sha256, municipality: job.municipality ?? null, mapping },
      guard,
      replaces,
      identities: await identities.stage(staging),
    });
    if (result.committed && needsReview) {
      job.status = "needs_review";
      job.error =
        `${quarantined} of ${reviewed} cat rows were quarantined (${Math.round((100 * quarantined) / reviewed)}%, ` +
        `at least ${NEEDS_REVIEW_QUARANTINE_SHARE * 100}% needs review): ${topReasons(reasons)}. The ${loaded} loaded ` +
        `rows are published; see the rest with \`catdata quarantine ${job.jobId}\``;
    } else if (result.committed) job.status = "succeeded";
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
    source?.destroy();
  }
}

interface SqlJobInput {
  fileName: string;
  /** The built-in profile the upload names, else the one detected from the header. */
  profile: MappingProfile | undefined;
  size: number;
  /** The upload's municipality ('' when it names none). */
  municipality: string;
  declaredFiscalYear: number | undefined;
  staging: string;
  seen: Map<Dataset, KeySet>;
  identities: IdentityRecorder;
  prime: (profile: MappingProfile, municipality: string) => Promise<void>;
  reasons: Map<string, number>;
  skips: SkipTally;
  quarantine: QuarantineWriter;
}

/**
 * The DuckDB path for a plain UTF-8 CSV whose (detected) profile has a SQL form (sql-path/): the
 * upload decrypted to a temp file, read and mapped by DuckDB, with the same counts, quarantine
 * reasons, dedup (the job's key set, primed with earlier loads), identities, schema sample and table
 * entry as the JS path. Returns what it staged, or undefined when the file is the JS path's (no SQL
 * form, a header the JS reader would find elsewhere, a form the SQL does not decide): then nothing
 * was written and runJob reads the file itself.
 */
async function sqlPathJob(deps: JobDeps, job: JobRecord, input: SqlJobInput): Promise<StagedFiles | undefined> {
  const { fileName } = input;
  let chosen: { profile: MappingProfile; municipality: string; dataset: Dataset } | undefined;
  const result = await sqlIngest({
    open: async () => counting(await deps.store.getStream(job.key, job.versionId), input.size, deps.onProgress),
    plan: async (headers) => {
      let profile: MappingProfile;
      try {
        profile = input.profile ?? detectProfile(headers, fileName);
      } catch {
        return undefined; // the JS path gives the error, as for any file
      }
      const sql = sqlProfileFor(profile);
      if (!sql) return undefined;
      const municipality = input.municipality || profile.defaultMunicipality || "";
      const fiscalYearStartMonth = fiscalYearStartFor(
        input.declaredFiscalYear,
        profile,
        municipality,
        deps.municipalities,
      );
      if (profile.dedupKey) await input.prime(profile, municipality);
      chosen = { profile, municipality, dataset: sql.dataset };
      return { profile: sql, municipality, fiscalYearStartMonth };
    },
    limits: deps.limits,
    jobId: job.jobId,
    staging: input.staging,
    tempDir: path.join(input.staging, "_sql"),
    sampleRows: TYPE_SAMPLE_ROWS,
    isFresh: (key) => {
      const { dataset, municipality } = chosen as NonNullable<typeof chosen>;
      const [h1, h2] = keyHash(key);
      if (!keysOf(input.seen, dataset).addHash(h1, h2)) return false;
      input.identities.add(dataset, municipality, h1, h2);
      return true;
    },
    onQuarantine: async (r) => {
      const kind = reasonKind(r.reason);
      input.reasons.set(kind, (input.reasons.get(kind) ?? 0) + 1);
      await input.quarantine.write(r);
    },
  });
  if (result.kind === "fallback" || !chosen) {
    deps.logger.info(
      { jobId: job.jobId, why: result.kind === "fallback" ? result.why : "" },
      "the JS path reads this file",
    );
    return undefined;
  }
  const { profile, municipality, dataset } = chosen;
  const { counts } = result;
  deps.logger.info({ jobId: job.jobId, profile: profile.name, rows: counts.read }, "DuckDB read and mapped the file");
  for (const k of ["read", "loaded", "quarantined", "deduplicated", "skipped"] as const) job.counts[k] += counts[k];
  for (const g of result.skippedBy) input.skips.add(g.reason, g.label, g.rows);
  if (counts.loaded > 0) job.loadedByDataset[dataset] = (job.loadedByDataset[dataset] ?? 0) + counts.loaded;
  job.profile = profile.name;
  job.municipality ??= municipality || null;
  const sampler = new TypeSampler();
  for (const values of result.sample) sampler.add(values);
  const drift = await deps.lake.recordSchema(`${municipality || "unassigned"}/${profile.name}`, {
    jobId: job.jobId,
    versionId: job.versionId,
    profile: profile.name,
    headers: result.headers,
    types: sampler.types(),
    at: deps.now().toISOString(),
  });
  job.tables.push({ name: fileName, profile: profile.name, headers: result.headers, drift });
  return result.staged as StagedFiles;
}

interface RowState {
  profile: MappingProfile;
  /** One context object per table, its `row` set per row (profiles read it during mapRow only). */
  context: RowContext;
  job: JobRecord;
  seen: Map<Dataset, KeySet>;
  /** The identities of the records loaded, for the job's identity index. */
  identities: IdentityRecorder;
  writers: Map<Dataset, ParquetDatasetWriter>;
  quarantine: QuarantineWriter;
  /** The job's staging folder (Lake.openStaging). */
  staging: string;
  /** Quarantine reasons (row number dropped) → rows. */
  reasons: Map<string, number>;
  skips: SkipTally;
}

/** A mapping that names a column the file does not have fails the table once (not every row as "empty"). */
function checkMappedHeaders(named: NamedProfile, headers: string[], fileName: string, sheet: string | undefined) {
  const have = new Set(headers);
  const missing = named.mappedHeaders.filter((h) => !have.has(h));
  if (missing.length === 0) return;
  const where = sheet === undefined ? fileName : `${fileName} (sheet ${sheet})`;
  throw badInput(
    `the mapping ${named.profile.name} names ${missing.length === 1 ? "column" : "columns"} ${missing.map((h) => JSON.stringify(h)).join(", ")}, which ${where} does not have (its headers: ${headers.join(", ")})`,
    "fix the header names in the mapping's columns (they must match the file exactly), or make a new one with `catdata suggest-mapping <file>`",
  );
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
  if (filter && !filter.accepts(row.values[filter.header] ?? "")) {
    s.skips.add("not a cat", row.values[filter.header] ?? "");
    return "skipped";
  }
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
  if (result.kind === "skip") {
    s.skips.add(result.reason, result.label ?? "");
    return "skipped";
  }
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
  const [h1, h2] = keyHash(k);
  if (!keysOf(s.seen, r.dataset).addHash(h1, h2)) return false;
  s.identities.add(r.dataset, String((r.record as { municipality?: unknown }).municipality ?? ""), h1, h2);
  return true;
}

function keysOf(seen: Map<Dataset, KeySet>, dataset: Dataset): KeySet {
  let keys = seen.get(dataset);
  if (!keys) {
    keys = new KeySet();
    seen.set(dataset, keys);
  }
  return keys;
}

/**
 * Adds to `seen` the identities the live jobs of `catalog` (but `except`: this job, the job it
 * replaces) hold for the municipality, once per dataset and municipality. LIMIT: the set is per
 * dataset, so a job whose tables name several municipalities dedups each against all of them primed.
 */
async function primeIdentities(
  lake: Lake,
  catalog: CatalogState,
  seen: Map<Dataset, KeySet>,
  primed: Set<string>,
  profile: MappingProfile,
  municipality: string,
  except: string[],
): Promise<void> {
  for (const dataset of profile.datasets) {
    const key = `${dataset}\n${municipality}`;
    if (primed.has(key)) continue;
    primed.add(key);
    for (const entry of identitiesFor(catalog, dataset, municipality, except)) {
      loadIdentities(await lake.readIdentity(entry), keysOf(seen, dataset), entry.path);
    }
  }
}

/** The upload's `replaces` metadata: a job id, or undefined. */
function replacedJob(raw: string | undefined, jobId: string): string | undefined {
  if (raw === undefined || raw === "") return undefined;
  if (!isJobId(raw)) {
    throw badInput(
      `the job to replace ${JSON.stringify(raw)} is not a job id`,
      "give the 20-hex-digit id `catdata jobs` or `catdata loads history` lists",
    );
  }
  if (raw === jobId) throw badInput(`job ${jobId} cannot replace itself`, "name the earlier job it corrects");
  return raw;
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
  const kind = reasonKind(reason);
  s.reasons.set(kind, (s.reasons.get(kind) ?? 0) + 1);
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
