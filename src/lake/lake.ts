import { randomBytes } from "node:crypto";
import path from "node:path";
import type { Dataset } from "../cats/model.js";
import { badInput, CatdataError } from "../errors.js";
import { digestBytes } from "../local/file-digest.js";
import type {
  CatalogFileEntry,
  CatalogState,
  IdentityFileEntry,
  JobSource,
  SchemaDrift,
  SourceSchemaEntry,
} from "./catalog-state.js";
import type { PartProblem } from "./part-integrity.js";

export type {
  CatalogFileEntry,
  CatalogState,
  CorrectionEntry,
  IdentityFileEntry,
  JobSource,
  RetiredJob,
  SchemaDrift,
  SourceSchemaEntry,
} from "./catalog-state.js";
export type { PartProblem } from "./part-integrity.js";

/**
 * The curated lake (Parquet, Hive-partitioned by municipality and fiscal year) and its catalog, the
 * commit point: a part is visible to readers only once the catalog lists it. One interface, one
 * file per implementation: `local-lake.ts` (under CATDATA_HOME) and `s3-lake.ts` (`curated/` in the
 * bucket); `src/runtime.ts` chooses. Writers always stage on local disk; readers (DuckDB) always
 * get local paths. Every part's SHA-256 and size are recorded in the catalog at commit and checked
 * before it is served (part-integrity.ts).
 */
export interface Lake {
  /** Where the lake is: a folder, or `s3://<bucket>/curated/`. */
  readonly location: string;
  /** Local folders every path `localFiles` returns lies in (DuckDB's allowed_directories). */
  readonly localRoots: readonly string[];
  /** A fresh, empty local folder for the job's staged Parquet (`<dataset>/municipality=…/…` below it). */
  openStaging(jobId: string): Promise<string>;
  discardStaging(jobId: string): Promise<void>;
  /**
   * Under the catalog lock: runs `guard` on the current state (a string refuses: nothing is
   * published), else publishes the staged files, makes them the job's whole contribution (replacing
   * an earlier run's parts of the same job), records `source`, and cleans the staging folder. With
   * `options.replaces`, the replaced job's parts leave the catalog in the same commit (kept where the
   * lake keeps them, listed in `retired` and `history`); a job that cannot be replaced refuses the commit.
   */
  commitJob(jobId: string, files: StagedFiles, options?: CommitOptions): Promise<CommitResult>;
  /**
   * Under the catalog lock, in one commit: the job's parts leave the catalog (kept where they are,
   * listed in `retired`), with a history entry. Throws BAD_INPUT when the job is not live.
   */
  retractJob(jobId: string): Promise<CatalogState>;
  /** The bytes of a committed identity file, checked against the digest recorded at its commit. */
  readIdentity(entry: IdentityFileEntry): Promise<Uint8Array>;
  readCatalog(): Promise<CatalogState>;
  /** Cheap; changes whenever the catalog changes (the query engine asks before each query). */
  catalogStamp(): Promise<string>;
  /**
   * Local paths DuckDB can read for the dataset's parts committed in `state`, each checked against
   * the checksum recorded at its commit (hashed once per file version, then one `stat`): a part whose
   * bytes changed is never returned — an INTEGRITY error names it and what to do.
   */
  localFiles(dataset: Dataset, state: CatalogState): Promise<string[]>;
  /** Hashes every part `state` lists again (default: the current catalog); the parts that do not match. */
  verify(state?: CatalogState): Promise<PartProblem[]>;
  /** Records an upload's schema under its source; returns the drift from the previous upload. */
  recordSchema(source: string, entry: SourceSchemaEntry): Promise<SchemaDrift | null>;
}

/** Staged files per dataset, relative to `<staging>/<dataset>`: `municipality=…/fiscal_year=…/part-….parquet`. */
export type StagedFiles = Partial<Record<Dataset, string[]>>;

/** A staged identity index (src/etl/identity-index.ts): `file` is relative to the job's staging folder. */
export interface StagedIdentity {
  dataset: Dataset;
  municipality: string;
  file: string;
}

export interface CommitOptions {
  source?: JobSource;
  /** The live job this commit replaces (catdata ingest --replaces). */
  replaces?: string | undefined;
  /** The job's identity index files, published and recorded with its parts. */
  identities?: StagedIdentity[] | undefined;
  /** Sees the catalog under the lock; returns why the commit must not happen, or undefined. */
  guard?: (state: CatalogState) => string | undefined;
}

export type CommitResult = { committed: true; files: CatalogFileEntry[] } | { committed: false; reason: string };

/** The folder below the lake's location that holds identity indexes (never read as a table). */
export const IDENTITY_DIR = "_identities";

/** Where a staged identity index is published: its dataset and municipality in the path, a commit token in the name. */
export function publishedIdentityPath(
  jobId: string,
  staged: StagedIdentity,
  token = randomBytes(4).toString("hex"),
): string {
  return `${IDENTITY_DIR}/${staged.dataset}/municipality=${encodeURIComponent(staged.municipality)}/${jobId}-${token}.bin`;
}

/** The error a retract or replace of a job that cannot be corrected throws (correctionProblem's reason). */
export const correctionError = (reason: string) =>
  badInput(reason, "list the live loads and the history with `catdata loads history` (GET /api/loads/history)");

/** The identity file's bytes when they match the digest recorded at its commit; else INTEGRITY, naming it. */
export function checkedIdentity(entry: IdentityFileEntry, bytes: Uint8Array): Uint8Array {
  const actual = digestBytes(bytes);
  if (actual.sha256 === entry.sha256 && actual.size === entry.size) return bytes;
  throw new CatdataError(
    "INTEGRITY",
    `identity index ${entry.path} (${entry.dataset}, municipality ${entry.municipality}) does not match the checksum recorded at its commit`,
    { hint: "re-run the job that wrote it (its id starts the file name), or restore the lake from a backup" },
  );
}

/** Hive partitioning as both readers type it. */
export const HIVE_OPTIONS = "hive_partitioning = true, hive_types = {'municipality': VARCHAR, 'fiscal_year': INTEGER}";

/**
 * The lake path a staged part is published under: the partition kept, a token of this commit added
 * to the name, so a re-run never overwrites a part a reader may still hold (parts are immutable).
 */
export function publishedPath(dataset: Dataset, staged: string, token = randomBytes(4).toString("hex")): string {
  const rel = staged.split(path.sep).join("/");
  if (rel.startsWith("../") || rel.startsWith("/") || !rel.endsWith(".parquet")) {
    throw new Error(`not a staged part: ${staged}`);
  }
  return `${dataset}/${rel.slice(0, -".parquet".length)}-${token}.parquet`;
}
