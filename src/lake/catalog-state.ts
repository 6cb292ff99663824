import type { Dataset } from "../cats/model.js";

/**
 * The lake catalog's state (the Glue Data Catalog role), pure: which Parquet parts make up each
 * curated table and its partitions, which source bytes each job committed (so a guard can refuse a
 * second job with the same bytes), and the schema history of each upload source for drift detection.
 * Every `Lake` keeps one of these as its commit point: a part is visible only once listed here.
 */
export interface CatalogFileEntry {
  /** Path relative to the lake's location: `<dataset>/municipality=…/fiscal_year=…/part-….parquet`. */
  path: string;
  jobId: string;
  municipality: string;
  fiscalYear: number;
  /** The part's SHA-256 and size, recorded at commit and checked before it is served (absent in older catalogs). */
  sha256?: string;
  size?: number;
}

/**
 * The bytes a job committed: the raw object's SHA-256, the municipality it was loaded for and the
 * mapping it was read with (a profile name or a stored mapping's `mapping:` key; absent in older
 * catalogs). Two jobs are duplicates only when all three agree (docs/data-model.md, "Corrections").
 */
export interface JobSource {
  sha256: string;
  municipality: string | null;
  mapping?: string | null;
}

/**
 * A job's identity index for one dataset and municipality: the 64-bit hashes of the dedup keys of the
 * records it loaded (src/etl/identity-index.ts), published beside its parts so a later job can count
 * a record the lake already holds as deduplicated without reading the parts.
 */
export interface IdentityFileEntry {
  /** Path relative to the lake's location: `_identities/<dataset>/municipality=…/<job>-….bin`. */
  path: string;
  dataset: Dataset;
  municipality: string;
  sha256: string;
  size: number;
}

/** A job taken out of the catalog by a replace or a retract; its parts stay where the lake keeps them. */
export interface RetiredJob {
  at: string;
  /** The job that replaced it; null when it was retracted. */
  by: string | null;
  files: Partial<Record<Dataset, CatalogFileEntry[]>>;
}

/** One correction, newest last: `catdata loads history`, GET /loads/history. */
export interface CorrectionEntry {
  at: string;
  action: "replace" | "retract";
  /** The job taken out. */
  jobId: string;
  /** The job that replaced it (replace), null (retract). */
  by: string | null;
  /** How many parts left the catalog, per dataset. */
  parts: Partial<Record<Dataset, number>>;
}

export interface SourceSchemaEntry {
  jobId: string;
  versionId: string;
  profile: string;
  headers: string[];
  types: Record<string, string>;
  at: string;
}

export interface SchemaDrift {
  added: string[];
  removed: string[];
  retyped: { column: string; from: string; to: string }[];
}

export interface CatalogState {
  version: number;
  tables: Partial<Record<Dataset, { files: CatalogFileEntry[]; updatedAt: string }>>;
  /** Schema history per upload source (`<municipality>/<profile>`), newest last. */
  sources: Record<string, SourceSchemaEntry[]>;
  /** The source of each committed job (absent in catalogs written before it was recorded). */
  jobs: Record<string, JobSource & { committedAt: string }>;
  /** Each committed job's identity index files (absent in older catalogs: nothing to dedup against). */
  identities: Record<string, IdentityFileEntry[]>;
  /** Jobs replaced or retracted: their parts, kept on disk / in the bucket, no longer listed in `tables`. */
  retired: Record<string, RetiredJob>;
  /** Every replace and retract, oldest first (never trimmed: corrections are rare and the record matters). */
  history: CorrectionEntry[];
}

export const emptyCatalog = (): CatalogState => ({
  version: 0,
  tables: {},
  sources: {},
  jobs: {},
  identities: {},
  retired: {},
  history: [],
});

/** A parsed catalog document, with the fields older catalogs lack filled in. */
export const parseCatalog = (json: string): CatalogState => ({ ...emptyCatalog(), ...JSON.parse(json) });

/** The catalog entry of a published part, its partition read from the Hive path, with its bytes' digest. */
export function catalogEntry(
  relPath: string,
  jobId: string,
  digest?: { sha256: string; size: number },
): CatalogFileEntry {
  const m = /municipality=([^/]+)\/fiscal_year=(-?\d+)\//.exec(relPath);
  return {
    path: relPath,
    jobId,
    municipality: decodeURIComponent(m?.[1] ?? ""),
    fiscalYear: Number(m?.[2] ?? 0),
    ...(digest ? { sha256: digest.sha256, size: digest.size } : {}),
  };
}

/** The paths of a job's parts in `state` (all datasets), with its identity files. */
export const filesOfJob = (state: CatalogState, jobId: string): string[] => [
  ...Object.values(state.tables).flatMap((t) => t.files.filter((f) => f.jobId === jobId).map((f) => f.path)),
  ...(state.identities[jobId] ?? []).map((f) => f.path),
];

/** The identity files of the live jobs (not `except`) for the dataset and municipality. */
export const identitiesFor = (
  state: CatalogState,
  dataset: Dataset,
  municipality: string,
  except: readonly string[] = [],
): IdentityFileEntry[] =>
  Object.entries(state.identities)
    .filter(([jobId]) => isLive(state, jobId) && !except.includes(jobId))
    .flatMap(([, files]) => files.filter((f) => f.dataset === dataset && f.municipality === municipality));

/** Whether a job the catalog records is still live: not replaced or retracted. */
export const isLive = (state: CatalogState, jobId: string): boolean => !(jobId in state.retired);

/**
 * Why `jobId` cannot be replaced (by `by`) or retracted (`by` undefined) in `state`, or undefined.
 * A retracted job may be replaced (that undoes the retract); a replaced one may not (replace its successor).
 */
export function correctionProblem(state: CatalogState, jobId: string, by?: string): string | undefined {
  if (by === jobId) return `job ${jobId} cannot replace itself`;
  const committed =
    jobId in state.jobs ||
    jobId in state.retired ||
    Object.values(state.tables).some((t) => t.files.some((f) => f.jobId === jobId));
  if (!committed) return `job ${jobId} has committed nothing to the lake`;
  const retired = state.retired[jobId];
  if (!retired) return undefined;
  if (retired.by !== null) return `job ${jobId} was already replaced by job ${retired.by}`;
  return by === undefined ? `job ${jobId} was already retracted` : undefined;
}

/** Takes the job's parts out of every table into `state.retired`, with a history entry. Mutates `state`. */
function retire(state: CatalogState, jobId: string, by: string | null, now: Date): void {
  const files: Partial<Record<Dataset, CatalogFileEntry[]>> = {};
  const parts: Partial<Record<Dataset, number>> = {};
  for (const [dataset, table] of Object.entries(state.tables) as [Dataset, { files: CatalogFileEntry[] }][]) {
    const mine = table.files.filter((f) => f.jobId === jobId);
    if (mine.length === 0) continue;
    files[dataset] = mine;
    parts[dataset] = mine.length;
    table.files = table.files.filter((f) => f.jobId !== jobId);
    state.tables[dataset] = { ...table, updatedAt: now.toISOString() };
  }
  const wasRetracted = state.retired[jobId];
  state.retired[jobId] = { at: now.toISOString(), by, files: wasRetracted ? wasRetracted.files : files };
  state.history.push({ at: now.toISOString(), action: by === null ? "retract" : "replace", jobId, by, parts });
}

/** Retracts `jobId`: its parts leave the catalog (kept where they are), a history entry says so. Mutates `state`. */
export function applyRetract(state: CatalogState, jobId: string, now: Date): CatalogState {
  const problem = correctionProblem(state, jobId);
  if (problem) throw new Error(problem);
  retire(state, jobId, null, now);
  state.version += 1;
  return state;
}

/**
 * Makes `entries` the job's whole contribution to each table (an earlier run's parts of the same job
 * are dropped from every table) and records its source and identity index. With `replaces`, the
 * replaced job's parts leave the tables in the same state change (one catalog commit). Mutates and
 * returns `state`.
 */
export function applyCommit(
  state: CatalogState,
  jobId: string,
  entries: Partial<Record<Dataset, CatalogFileEntry[]>>,
  source: JobSource | undefined,
  now: Date,
  correction: { replaces?: string | undefined; identities?: IdentityFileEntry[] | undefined } = {},
): CatalogState {
  if (correction.replaces !== undefined) {
    const problem = correctionProblem(state, correction.replaces, jobId);
    if (problem) throw new Error(problem);
    retire(state, correction.replaces, jobId, now);
  }
  if (correction.identities) state.identities[jobId] = correction.identities;
  for (const table of Object.values(state.tables)) table.files = table.files.filter((f) => f.jobId !== jobId);
  for (const [dataset, files] of Object.entries(entries) as [Dataset, CatalogFileEntry[]][]) {
    const table = state.tables[dataset] ?? { files: [], updatedAt: now.toISOString() };
    table.files.push(...files);
    table.files.sort((a, b) => a.path.localeCompare(b.path));
    table.updatedAt = now.toISOString();
    state.tables[dataset] = table;
  }
  if (source) state.jobs[jobId] = { ...source, committedAt: now.toISOString() };
  state.version += 1;
  return state;
}

/** Records an upload's schema under its source (last 20 kept); returns the drift from the previous upload. */
export function applySchema(state: CatalogState, source: string, entry: SourceSchemaEntry): SchemaDrift | null {
  const history = (state.sources[source] ?? []).filter((h) => h.jobId !== entry.jobId);
  const previous = history.at(-1);
  state.sources[source] = [...history, entry].slice(-20);
  state.version += 1;
  return previous ? diffSchemas(previous, entry) : null;
}

export function diffSchemas(
  before: Pick<SourceSchemaEntry, "headers" | "types">,
  after: Pick<SourceSchemaEntry, "headers" | "types">,
): SchemaDrift | null {
  const added = after.headers.filter((h) => !before.headers.includes(h));
  const removed = before.headers.filter((h) => !after.headers.includes(h));
  const retyped = after.headers
    .filter(
      (h) => before.headers.includes(h) && before.types[h] && after.types[h] && before.types[h] !== after.types[h],
    )
    .map((column) => ({ column, from: before.types[column] ?? "", to: after.types[column] ?? "" }));
  return added.length || removed.length || retyped.length ? { added, removed, retyped } : null;
}
