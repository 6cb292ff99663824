import { createReadStream, existsSync } from "node:fs";
import path from "node:path";
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { moveIntoPlace, writeFileAtomic } from "../../local/atomic-write.js";
import { KeyedQueue } from "../../local/key-queue.js";
import { s3ClientFor } from "../../store/s3-client.js";
import {
  emptyS3ObjectManifest,
  parseS3ObjectManifest,
  renderS3ObjectManifest,
  type S3ObjectManifest,
} from "../sources/s3-object-manifest.js";
import { emptyManifest, type ManifestEntry, parseManifest, renderManifest, type TrailManifest } from "./manifest.js";
import { isPartName, partName, partsFingerprint } from "./parts-fingerprint.js";
import type { PartsFingerprint, TrailLake } from "./trail-lake.js";

/**
 * The trail lake in S3: parts under `trail/events/part-<sha256>.parquet`, the manifest as the object
 * `trail/manifest.json`, the S3 sources' object list as `trail/sources/s3-objects.json`. Parts are
 * uploaded before the manifest names them. Readers get local copies: each part is downloaded once
 * into `cacheDir` (parts are named by content and never change); a part written here is kept there.
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
      const manifest = await this.readManifest();
      manifest.files.push(...entries);
      await this.putText("manifest.json", renderManifest(manifest));
    });
  }

  async putPart(sha256: string, file: string): Promise<void> {
    const name = partName(sha256);
    const params = { Bucket: this.bucket, Key: `${this.prefix}events/${name}`, Body: createReadStream(file) };
    await new Upload({ client: this.client, params: { ...params, ServerSideEncryption: "AES256" } }).done();
    await moveIntoPlace(file, path.join(this.cache, name));
  }

  async parts(): Promise<string[]> {
    const names = (await this.listPartNames()).sort();
    return Promise.all(names.map((name) => this.queue.run(`cache:${name}`, () => this.download(name))));
  }

  async fingerprint(): Promise<PartsFingerprint> {
    return partsFingerprint(await this.listPartNames());
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

  /** The committed parts' names, from the bucket listing. */
  private async listPartNames(): Promise<string[]> {
    const names: string[] = [];
    let token: string | undefined;
    do {
      const out = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: `${this.prefix}events/`, ContinuationToken: token }),
      );
      for (const o of out.Contents ?? []) {
        const name = o.Key?.slice(`${this.prefix}events/`.length) ?? "";
        if (isPartName(name)) names.push(name);
      }
      token = out.IsTruncated ? out.NextContinuationToken : undefined;
    } while (token);
    return names;
  }

  private async download(name: string): Promise<string> {
    const local = path.join(this.cache, name);
    if (existsSync(local)) return local;
    const out = await this.client.send(
      new GetObjectCommand({ Bucket: this.bucket, Key: `${this.prefix}events/${name}` }),
    );
    await writeFileAtomic(local, (await out.Body?.transformToByteArray()) ?? new Uint8Array());
    return local;
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
