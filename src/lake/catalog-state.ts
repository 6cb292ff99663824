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

/** The bytes a job committed: the raw object's SHA-256 and the municipality it was loaded for. */
export interface JobSource {
  sha256: string;
  municipality: string | null;
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
}

export const emptyCatalog = (): CatalogState => ({ version: 0, tables: {}, sources: {}, jobs: {} });

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

/** The paths of a job's parts in `state` (all datasets). */
export const filesOfJob = (state: CatalogState, jobId: string): string[] =>
  Object.values(state.tables).flatMap((t) => t.files.filter((f) => f.jobId === jobId).map((f) => f.path));

/**
 * Makes `entries` the job's whole contribution to each table (an earlier run's parts of the same job
 * are dropped from every table) and records its source. Mutates and returns `state`.
 */
export function applyCommit(
  state: CatalogState,
  jobId: string,
  entries: Partial<Record<Dataset, CatalogFileEntry[]>>,
  source: JobSource | undefined,
  now: Date,
): CatalogState {
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
