import { createReadStream, existsSync } from "node:fs";
import path from "node:path";
import { GetObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { moveIntoPlace, writeFileAtomic } from "../../local/atomic-write.js";
import { digestBytes, digestFile, type FileDigest } from "../../local/file-digest.js";
import { KeyedQueue } from "../../local/key-queue.js";
import { type FileCheck, VerifiedFiles } from "../../local/verified-files.js";
import { s3ClientFor } from "../../store/s3-client.js";
import {
  emptyS3ObjectManifest,
  parseS3ObjectManifest,
  renderS3ObjectManifest,
  type S3ObjectManifest,
} from "../sources/s3-object-manifest.js";
import { emptyManifest, type ManifestEntry, parseManifest, renderManifest, type TrailManifest } from "./manifest.js";
import { partName, partsFingerprint } from "./parts-fingerprint.js";
import type { PartsFingerprint, TrailLake, TrailPartProblem } from "./trail-lake.js";
import {
  addCommitted,
  type CommittedPart,
  checkParts,
  committedParts,
  missingPart,
  refuseDamaged,
  trailPartProblem,
  unrecorded,
} from "./trail-part-integrity.js";

/**
 * The trail lake in S3: parts under `trail/events/part-<sha256>.parquet`, the manifest as the object
 * `trail/manifest.json`, the S3 sources' object list as `trail/sources/s3-objects.json`. Parts are
 * uploaded before the manifest names them. Readers get local copies: each part is downloaded once
 * into `cacheDir` (parts are named by content and never change); a part written here is kept there.
 * Readers get the parts the manifest names; each cached copy is checked against the SHA-256 and size
 * recorded in its entry (`VerifiedFiles`, owned by this object), a damaged copy is downloaded again
 * and the download is checked before it is cached (bytes that still do not match: INTEGRITY).
 * Manifest updates are serialised within this object only (LIMIT: two processes adding entries at
 * the same moment could lose one; a lost entry only means the file is loaded again, same part name).
 */
export interface S3TrailLakeOptions {
  bucket: string;
  region: string;
  /** The local download cache (and staging folder) of the parts. */
  cacheDir: string;
  /** An S3-compatible server, e.g. http://127.0.0.1:4568 (path-style addressing is then used). */
  endpoint?: string;
  forcePathStyle?: boolean;
  client?: S3Client;
  prefix?: string;
}

export class S3TrailLake implements TrailLake {
  readonly location: string;
  readonly stagingDir: string;
  readonly client: S3Client;
  private readonly bucket: string;
  private readonly prefix: string;
  private readonly cache: string;
  private readonly queue = new KeyedQueue();
  /** Cached copies already hashed, per file version (owned here: two lakes never share it). */
  private readonly checked = new VerifiedFiles();
  /** Digests of parts stored by `putPart`, by sha256, until `addEntries` records them. */
  private readonly stored = new Map<string, FileDigest>();

  constructor(options: S3TrailLakeOptions) {
    this.bucket = options.bucket;
    this.prefix = options.prefix ?? "trail/";
    this.location = `s3://${this.bucket}/${this.prefix}`;
    this.cache = options.cacheDir;
    this.stagingDir = path.join(options.cacheDir, ".staging");
    this.client = s3ClientFor(options);
  }

  async readManifest(): Promise<TrailManifest> {
    const text = await this.getText("manifest.json");
    return text === undefined ? emptyManifest() : parseManifest(text, `${this.location}manifest.json`);
  }

  addEntries(entries: readonly ManifestEntry[]): Promise<void> {
    return this.queue.run("manifest", async () => {
      const manifest = addCommitted(await this.readManifest(), entries, this.stored);
      await this.putText("manifest.json", renderManifest(manifest));
    });
  }

  async putPart(sha256: string, file: string): Promise<void> {
    const name = partName(sha256);
    const digest = await digestFile(file);
    const params = { Bucket: this.bucket, Key: `${this.prefix}events/${name}`, Body: createReadStream(file) };
    await new Upload({ client: this.client, params: { ...params, ServerSideEncryption: "AES256" } }).done();
    await this.queue.run(`cache:${name}`, async () => {
      await moveIntoPlace(file, path.join(this.cache, name));
      this.checked.forget(path.join(this.cache, name));
    });
    this.stored.set(sha256, digest);
  }

  async parts(): Promise<string[]> {
    const parts = committedParts(await this.readManifest());
    refuseDamaged(await checkParts(parts, async (part) => problemOf(await this.fetch(part))));
    return parts.map((part) => path.join(this.cache, part.name));
  }

  async fingerprint(): Promise<PartsFingerprint> {
    return partsFingerprint(committedParts(await this.readManifest()).map((part) => part.name));
  }

  async checkPart(entry: ManifestEntry): Promise<TrailPartProblem | undefined> {
    if (entry.records === 0) return undefined;
    const part = { name: partName(entry.sha256), entry };
    return problemOf(await this.fetch(part));
  }

  async verify(): Promise<TrailPartProblem[]> {
    return checkParts(committedParts(await this.readManifest()), async (part) => {
      const problem = problemOf(await this.fetch(part, true));
      return problem ?? (part.entry.part ? undefined : unrecorded(part));
    });
  }

  async readSourceObjects(): Promise<S3ObjectManifest> {
    const text = await this.getText("sources/s3-objects.json");
    return text === undefined
      ? emptyS3ObjectManifest()
      : parseS3ObjectManifest(text, `${this.location}sources/s3-objects.json`);
  }

  async writeSourceObjects(manifest: S3ObjectManifest): Promise<void> {
    await this.putText("sources/s3-objects.json", renderS3ObjectManifest(manifest));
  }

  /**
   * The part's checked local copy (serialised per part), downloading it when it is not cached or the
   * cached copy does not match its entry; the problem when the bucket's bytes do not match either.
   * A part without a recorded digest (an older manifest) is downloaded once and served unchecked.
   */
  private fetch(part: CommittedPart, fresh = false): Promise<string | TrailPartProblem> {
    return this.queue.run(`cache:${part.name}`, async () => {
      const local = path.join(this.cache, part.name);
      const digest = part.entry.part;
      if (digest ? (await this.checked.check(local, digest, { fresh })).ok : existsSync(local)) return local;
      const bytes = await this.getPart(part.name);
      if (bytes === undefined) return missingPart(part);
      const problem = digest && trailPartProblem(part, matches(digestBytes(bytes), digest));
      if (problem) return problem;
      await writeFileAtomic(local, bytes);
      if (digest) await this.checked.check(local, digest);
      return local;
    });
  }

  private async getPart(name: string): Promise<Uint8Array | undefined> {
    try {
      const out = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: `${this.prefix}events/${name}` }),
      );
      return (await out.Body?.transformToByteArray()) ?? new Uint8Array();
    } catch (error) {
      if ((error as Error).name === "NoSuchKey") return undefined;
      throw error;
    }
  }

  private async getText(rel: string): Promise<string | undefined> {
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.prefix + rel }));
      return (await out.Body?.transformToString("utf8")) ?? "";
    } catch (error) {
      if ((error as Error).name === "NoSuchKey") return undefined;
      throw error;
    }
  }

  private async putText(rel: string, text: string): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: this.prefix + rel,
        Body: text,
        ContentType: "application/json",
        ServerSideEncryption: "AES256",
      }),
    );
  }
}

const problemOf = (result: string | TrailPartProblem) => (typeof result === "string" ? undefined : result);

const matches = (actual: FileDigest, expected: FileDigest): FileCheck =>
  actual.sha256 === expected.sha256 && actual.size === expected.size ? { ok: true } : { ok: false, actual };
