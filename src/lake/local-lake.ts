import { mkdir, readFile, rm, stat } from "node:fs/promises";
import path from "node:path";
import { DATASETS, type Dataset } from "../cats/model.js";
import { moveIntoPlace, writeFileAtomic } from "../local/atomic-write.js";
import type { DataDir } from "../local/data-dir.js";
import { digestFile, type FileDigest } from "../local/file-digest.js";
import { withFileLock } from "../local/file-lock.js";
import { VerifiedFiles } from "../local/verified-files.js";
import {
  applyCommit,
  applyRetract,
  applySchema,
  type CatalogFileEntry,
  type CatalogState,
  catalogEntry,
  correctionProblem,
  emptyCatalog,
  filesOfJob,
  type IdentityFileEntry,
  parseCatalog,
  type SourceSchemaEntry,
} from "./catalog-state.js";
import {
  type CommitOptions,
  type CommitResult,
  checkedIdentity,
  correctionError,
  type Lake,
  publishedIdentityPath,
  publishedPath,
  type StagedFiles,
} from "./lake.js";
import { damagedPartError, type PartProblem, partProblem, recordedDigest, verifyParts } from "./part-integrity.js";

/**
 * The lake under CATDATA_HOME (DataDir.lake): parts in `lake/<dataset>/municipality=…/fiscal_year=…/`,
 * the catalog in `lake/catalog.json` (replaced by one atomic rename: the commit point), staging in
 * `lake/.staging/<job>/`. Every catalog change runs under a lock file, so the server and CLI
 * commands sharing the folder commit one at a time. Parts are published 0600 (DuckDB's COPY writes
 * them 0644) with their SHA-256 and size in the catalog; `localFiles` checks them before serving.
 */
export interface LocalLakeOptions {
  now?: () => Date;
}

export class LocalLake implements Lake {
  readonly location: string;
  readonly localRoots: readonly string[];
  private readonly paths: DataDir["lake"];
  private readonly now: () => Date;
  /** Parts already hashed, per file version (owned here: two lakes never share it). */
  private readonly checked = new VerifiedFiles();

  constructor(dataDir: DataDir, options: LocalLakeOptions = {}) {
    this.paths = dataDir.lake;
    this.location = this.paths.root;
    this.localRoots = DATASETS.map((dataset) => this.paths.dataset(dataset));
    this.now = options.now ?? (() => new Date());
  }

  private stagingOf(jobId: string): string {
    return path.join(this.paths.staging, jobId);
  }

  async openStaging(jobId: string): Promise<string> {
    const dir = this.stagingOf(jobId);
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true, mode: 0o700 });
    return dir;
  }

  async discardStaging(jobId: string): Promise<void> {
    await rm(this.stagingOf(jobId), { recursive: true, force: true });
  }

  async readCatalog(): Promise<CatalogState> {
    try {
      return parseCatalog(await readFile(this.paths.catalog, "utf8"));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return emptyCatalog();
      throw error;
    }
  }

  /** The catalog file's inode, mtime and size: every commit renames a new file into place. */
  async catalogStamp(): Promise<string> {
    try {
      const s = await stat(this.paths.catalog, { bigint: true });
      return `${s.ino}:${s.mtimeNs}:${s.size}`;
    } catch {
      return "none";
    }
  }

  async localFiles(dataset: Dataset, state: CatalogState): Promise<string[]> {
    const [problem] = (await verifyParts(state, [dataset], (d, entry) => this.check(d, entry))).filter(
      (p) => p.problem !== "unrecorded",
    );
    if (problem) throw damagedPartError(problem);
    return (state.tables[dataset]?.files ?? []).map((f) => path.join(this.paths.root, f.path));
  }

  async verify(state?: CatalogState): Promise<PartProblem[]> {
    return verifyParts(state ?? (await this.readCatalog()), DATASETS, (d, entry) => this.check(d, entry, true));
  }

  private async check(dataset: Dataset, entry: CatalogFileEntry, fresh = false): Promise<PartProblem | undefined> {
    const digest = recordedDigest(entry);
    if (!digest) return undefined;
    return partProblem(
      dataset,
      entry,
      await this.checked.check(path.join(this.paths.root, entry.path), digest, { fresh }),
    );
  }

  private locked<T>(fn: () => Promise<T>): Promise<T> {
    return withFileLock(`${this.paths.catalog}.lock`, fn, { what: "the lake catalog" });
  }

  private write(state: CatalogState): Promise<void> {
    return writeFileAtomic(this.paths.catalog, JSON.stringify(state));
  }

  async commitJob(jobId: string, files: StagedFiles, options: CommitOptions = {}): Promise<CommitResult> {
    const staging = this.stagingOf(jobId);
    // Hashed before the lock is taken: other commits do not wait for it.
    const digests = new Map<string, FileDigest>();
    for (const [dataset, staged] of Object.entries(files) as [Dataset, string[]][]) {
      for (const rel of staged) digests.set(`${dataset}/${rel}`, await digestFile(path.join(staging, dataset, rel)));
    }
    for (const id of options.identities ?? []) digests.set(id.file, await digestFile(path.join(staging, id.file)));
    return this.locked(async () => {
      const state = await this.readCatalog();
      const reason = options.guard?.(state);
      if (reason !== undefined) {
        await this.discardStaging(jobId);
        return { committed: false, reason };
      }
      const problem = options.replaces === undefined ? undefined : correctionProblem(state, options.replaces, jobId);
      if (problem) throw correctionError(problem);
      const previous = filesOfJob(state, jobId);
      const identities: IdentityFileEntry[] = [];
      for (const id of options.identities ?? []) {
        const target = publishedIdentityPath(jobId, id);
        await moveIntoPlace(path.join(staging, id.file), path.join(this.paths.root, target));
        identities.push({ path: target, dataset: id.dataset, municipality: id.municipality, ...digests.get(id.file)! });
      }
      const entries: Partial<Record<Dataset, CatalogFileEntry[]>> = {};
      for (const [dataset, staged] of Object.entries(files) as [Dataset, string[]][]) {
        entries[dataset] = [];
        for (const rel of staged) {
          const target = publishedPath(dataset, rel);
          await moveIntoPlace(path.join(staging, dataset, rel), path.join(this.paths.root, target));
          entries[dataset].push(catalogEntry(target, jobId, digests.get(`${dataset}/${rel}`)));
        }
      }
      const correction = { replaces: options.replaces, identities: options.identities ? identities : undefined };
      await this.write(applyCommit(state, jobId, entries, options.source, this.now(), correction));
      // The earlier run's parts are unlisted now: remove them (a crash here leaves only unlisted files).
      for (const old of previous) await rm(path.join(this.paths.root, old), { force: true });
      await this.discardStaging(jobId);
      return { committed: true, files: Object.values(entries).flat() };
    });
  }

  async retractJob(jobId: string): Promise<CatalogState> {
    return this.locked(async () => {
      const state = await this.readCatalog();
      const problem = correctionProblem(state, jobId);
      if (problem) throw correctionError(problem);
      await this.write(applyRetract(state, jobId, this.now()));
      return state;
    });
  }

  async readIdentity(entry: IdentityFileEntry): Promise<Uint8Array> {
    return checkedIdentity(entry, await readFile(path.join(this.paths.root, entry.path)));
  }

  async recordSchema(source: string, entry: SourceSchemaEntry) {
    return this.locked(async () => {
      const state = await this.readCatalog();
      const drift = applySchema(state, source, entry);
      await this.write(state);
      return drift;
    });
  }
}
