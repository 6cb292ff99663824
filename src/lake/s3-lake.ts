import { createReadStream, existsSync } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import { DeleteObjectsCommand, GetObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { DATASETS, type Dataset } from "../cats/model.js";
import { writeFileAtomic } from "../local/atomic-write.js";
import { digestBytes, digestFile, type FileDigest } from "../local/file-digest.js";
import { KeyedQueue } from "../local/key-queue.js";
import { VerifiedFiles } from "../local/verified-files.js";
import { s3ClientFor } from "../store/s3-client.js";
import {
  applyCommit,
  applyRetract,
  applySchema,
  type CatalogFileEntry,
  type CatalogState,
  catalogEntry,
  correctionProblem,
  filesOfJob,
  type IdentityFileEntry,
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
  type StagedIdentity,
} from "./lake.js";
import { damagedPartError, type PartProblem, partProblem, recordedDigest, verifyParts } from "./part-integrity.js";
import { S3Manifest } from "./s3-manifest.js";

/**
 * The lake in S3: parts under `curated/<dataset>/municipality=…/fiscal_year=…/part-….parquet` (the
 * layout Athena/Glue read), the catalog as the manifest object `curated/_catalog.json`. Parts are
 * uploaded BEFORE the manifest names them: the manifest write is the commit point.
 *
 * Concurrency: the manifest is written conditionally (s3-manifest.ts) and a refused write re-reads,
 * re-runs the guard and retries, which serialises writers across processes on AWS S3. s3rver IGNORES
 * the conditions, so against it only the in-process queue below serialises commits: two PROCESSES
 * committing to one s3rver bucket at the same moment could lose an update (LIMIT, local S3 only).
 * Readers get local copies: parts are downloaded once into `<scratch>/cache/<dataset>/…` (named by
 * key, so Hive partitions still come from the path; parts are immutable); jobs stage in
 * `<scratch>/staging/<job>/`.
 *
 * Integrity: each part's SHA-256 and size (of the staged file) go into the manifest at commit; a
 * download is checked before it enters the cache, and a cached copy before it is served (hashed once
 * per file version). A damaged cached copy is fetched again; a part whose bytes in the bucket do not
 * match is never served (INTEGRITY, naming it).
 */
export interface S3LakeOptions {
  bucket: string;
  region: string;
  /** A local folder for staging and the download cache. */
  scratchDir: string;
  /** An S3-compatible server, e.g. http://127.0.0.1:4568 (path-style addressing is then used). */
  endpoint?: string;
  forcePathStyle?: boolean;
  client?: S3Client;
  prefix?: string;
  now?: () => Date;
}

export class S3Lake implements Lake {
  readonly location: string;
  readonly localRoots: readonly string[];
  readonly client: S3Client;
  private readonly bucket: string;
  private readonly prefix: string;
  private readonly manifest: S3Manifest;
  private readonly cache: string;
  private readonly staging: string;
  private readonly now: () => Date;
  private readonly queue = new KeyedQueue();
  /** Cached copies already hashed, per file version (owned here: two lakes never share it). */
  private readonly checked = new VerifiedFiles();

  constructor(options: S3LakeOptions) {
    this.bucket = options.bucket;
    this.prefix = options.prefix ?? "curated/";
    this.location = `s3://${this.bucket}/${this.prefix}`;
    this.cache = path.join(options.scratchDir, "cache");
    this.staging = path.join(options.scratchDir, "staging");
    this.localRoots = DATASETS.map((dataset) => path.join(this.cache, dataset));
    this.now = options.now ?? (() => new Date());
    this.client = s3ClientFor(options);
    this.manifest = new S3Manifest(this.client, this.bucket, `${this.prefix}_catalog.json`);
  }

  private stagingOf(jobId: string): string {
    return path.join(this.staging, jobId);
  }

  async openStaging(jobId: string): Promise<string> {
    await this.discardStaging(jobId);
    await mkdir(this.stagingOf(jobId), { recursive: true, mode: 0o700 });
    return this.stagingOf(jobId);
  }

  async discardStaging(jobId: string): Promise<void> {
    await rm(this.stagingOf(jobId), { recursive: true, force: true });
  }

  async readCatalog(): Promise<CatalogState> {
    return (await this.manifest.read()).state;
  }

  async catalogStamp(): Promise<string> {
    return this.manifest.stamp();
  }

  async localFiles(dataset: Dataset, state: CatalogState): Promise<string[]> {
    const files = state.tables[dataset]?.files ?? [];
    const results = await Promise.all(
      files.map((f) => this.queue.run(`cache:${f.path}`, () => this.fetch(dataset, f))),
    );
    const problem = results.find((r): r is PartProblem => typeof r !== "string");
    if (problem) throw damagedPartError(problem);
    return results as string[];
  }

  async verify(state?: CatalogState): Promise<PartProblem[]> {
    return verifyParts(state ?? (await this.readCatalog()), DATASETS, async (dataset, entry) => {
      const result = await this.queue.run(`cache:${entry.path}`, () => this.fetch(dataset, entry, true));
      return typeof result === "string" ? undefined : result;
    });
  }

  private cachePath = (rel: string) => path.join(this.cache, ...rel.split("/"));

  /** The part's checked local copy, downloading it when it is not cached or the cached copy is damaged. */
  private async fetch(dataset: Dataset, entry: CatalogFileEntry, fresh = false): Promise<string | PartProblem> {
    const local = this.cachePath(entry.path);
    const digest = recordedDigest(entry);
    if (!digest) {
      if (!existsSync(local)) await writeFileAtomic(local, await this.get(entry.path));
      return local;
    }
    if ((await this.checked.check(local, digest, { fresh })).ok) return local;
    const bytes = await this.get(entry.path);
    const problem = partProblem(dataset, entry, matches(digestBytes(bytes), digest));
    if (problem) return problem;
    await writeFileAtomic(local, bytes);
    await this.checked.check(local, digest);
    return local;
  }

  private async get(rel: string): Promise<Uint8Array> {
    const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.prefix + rel }));
    return (await out.Body?.transformToByteArray()) ?? new Uint8Array();
  }

  private async upload(local: string, key: string): Promise<void> {
    const body = createReadStream(local);
    const params = { Bucket: this.bucket, Key: key, Body: body, ServerSideEncryption: "AES256" as const };
    await new Upload({ client: this.client, params, queueSize: 2 }).done();
  }

  private async deleteKeys(rels: string[]): Promise<void> {
    for (let i = 0; i < rels.length; i += 1000) {
      const Objects = rels.slice(i, i + 1000).map((rel) => ({ Key: this.prefix + rel }));
      await this.client.send(new DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects } }));
    }
  }

  async commitJob(jobId: string, files: StagedFiles, options: CommitOptions = {}): Promise<CommitResult> {
    return this.queue.run("catalog", async () => {
      let entries: Partial<Record<Dataset, CatalogFileEntry[]>> | undefined;
      let identities: IdentityFileEntry[] | undefined;
      const uploaded = () => [
        ...Object.values(entries ?? {}).flatMap((list) => list.map((f) => f.path)),
        ...(identities ?? []).map((f) => f.path),
      ];
      for (;;) {
        const { state, etag } = await this.manifest.read();
        const reason = options.guard?.(state);
        const problem = options.replaces === undefined ? undefined : correctionProblem(state, options.replaces, jobId);
        if (reason !== undefined || problem !== undefined) {
          await this.deleteKeys(uploaded());
          await this.discardStaging(jobId);
          if (reason !== undefined) return { committed: false, reason };
          throw correctionError(problem ?? "");
        }
        entries ??= await this.uploadStaged(jobId, files);
        identities ??= await this.uploadIdentities(jobId, options.identities ?? []);
        const previous = filesOfJob(state, jobId);
        const correction = { replaces: options.replaces, identities: options.identities ? identities : undefined };
        const next = applyCommit(state, jobId, entries, options.source, this.now(), correction);
        if (!(await this.manifest.write(next, etag))) continue;
        await this.deleteKeys(previous);
        await this.discardStaging(jobId);
        return { committed: true, files: Object.values(entries).flat() };
      }
    });
  }

  private async uploadStaged(jobId: string, files: StagedFiles): Promise<Partial<Record<Dataset, CatalogFileEntry[]>>> {
    const entries: Partial<Record<Dataset, CatalogFileEntry[]>> = {};
    for (const [dataset, staged] of Object.entries(files) as [Dataset, string[]][]) {
      entries[dataset] = [];
      for (const rel of staged) {
        const target = publishedPath(dataset, rel);
        const staged = path.join(this.stagingOf(jobId), dataset, rel);
        const digest = await digestFile(staged);
        await this.upload(staged, this.prefix + target);
        entries[dataset].push(catalogEntry(target, jobId, digest));
      }
    }
    return entries;
  }

  private async uploadIdentities(jobId: string, staged: StagedIdentity[]): Promise<IdentityFileEntry[]> {
    const out: IdentityFileEntry[] = [];
    for (const id of staged) {
      const target = publishedIdentityPath(jobId, id);
      const local = path.join(this.stagingOf(jobId), id.file);
      const digest = await digestFile(local);
      await this.upload(local, this.prefix + target);
      out.push({ path: target, dataset: id.dataset, municipality: id.municipality, ...digest });
    }
    return out;
  }

  async retractJob(jobId: string): Promise<CatalogState> {
    return this.queue.run("catalog", async () => {
      for (;;) {
        const { state, etag } = await this.manifest.read();
        const problem = correctionProblem(state, jobId);
        if (problem) throw correctionError(problem);
        if (await this.manifest.write(applyRetract(state, jobId, this.now()), etag)) return state;
      }
    });
  }

  async readIdentity(entry: IdentityFileEntry): Promise<Uint8Array> {
    return checkedIdentity(entry, await this.get(entry.path));
  }

  async recordSchema(source: string, entry: SourceSchemaEntry) {
    return this.queue.run("catalog", async () => {
      for (;;) {
        const { state, etag } = await this.manifest.read();
        const drift = applySchema(state, source, entry);
        if (await this.manifest.write(state, etag)) return drift;
      }
    });
  }
}

const matches = (actual: FileDigest, expected: FileDigest) =>
  actual.sha256 === expected.sha256 && actual.size === expected.size
    ? ({ ok: true } as const)
    : ({ ok: false, actual } as const);
