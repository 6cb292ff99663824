import { createHash, randomUUID } from "node:crypto";
import { once } from "node:events";
import { createReadStream, createWriteStream, type WriteStream } from "node:fs";
import { rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { type Readable, Transform, type TransformCallback } from "node:stream";
import { finished } from "node:stream/promises";
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  type HeadObjectCommandOutput,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { CatdataError, notFound } from "../errors.js";
import {
  assertValidKey,
  type ObjectCreatedEvent,
  type ObjectStore,
  type ObjectVersion,
  objectCreatedEvent,
  type PutListener,
  type PutOptions,
  readVerified,
} from "./object-store.js";
import { s3ClientFor } from "./s3-client.js";

/**
 * The object store on S3 (`cat-data-bucket`), or on an S3-compatible server via `endpoint`.
 * Every put asks for SSE-S3 (`ServerSideEncryption: AES256`) and stores the plaintext SHA-256 as user
 * metadata `sha256`. S3 takes metadata before the body, so a streamed body is hashed while it is read
 * and, past one part, spooled to a 0600 temp file (bounded memory) that is then uploaded in parts with
 * `Upload` and removed. Every read re-hashes: the stream errors at its end on a mismatch.
 * Versions are S3's own (ListObjectVersions, VersionId, CopyObject `bucket/key?versionId=…`,
 * DeleteObject adding a delete marker). On a server without versioning (s3rver) every object has the
 * version "null", as S3 reports for unversioned buckets, and `listVersions` gives that one version.
 * Metadata keys come back lower-cased (S3 does that); non-ASCII values travel RFC 2047-encoded.
 */
export interface S3StoreOptions {
  bucket?: string;
  region: string;
  /** An S3-compatible server, e.g. http://127.0.0.1:4568 (path-style addressing is then used). */
  endpoint?: string;
  forcePathStyle?: boolean;
  /**
   * Call `onPut` listeners after each put/restore in this process. Set it only with a local
   * S3-compatible server: in AWS the bucket's event notification invokes the process-cat-data
   * Lambda, and emitting here as well would process every upload twice.
   */
  emitLocalEvents: boolean;
  client?: S3Client;
  /** Multipart part size and the size above which a streamed body is spooled (default 8 MiB). */
  partSize?: number;
  spoolDir?: string;
  now?: () => Date;
}

type Version = ObjectVersion & { metadata: Record<string, string> };
type VersionEntry = { versionId: string; at: Date; isLatest: boolean; deleteMarker: boolean };

export class S3ObjectStore implements ObjectStore {
  readonly bucket: string;
  readonly client: S3Client;
  private readonly listeners = new Set<PutListener>();
  private readonly partSize: number;
  private readonly now: () => Date;

  constructor(private readonly options: S3StoreOptions) {
    this.bucket = options.bucket ?? "cat-data-bucket";
    this.partSize = Math.max(options.partSize ?? 8 * 1024 * 1024, 5 * 1024 * 1024);
    this.now = options.now ?? (() => new Date());
    this.client = s3ClientFor(options);
  }

  async put(key: string, body: Buffer | Readable, options: PutOptions = {}): Promise<ObjectVersion> {
    assertValidKey(key);
    const spooled = await this.spool(body);
    try {
      // S3 lower-cases metadata keys; the version returned says what head() will say.
      const metadata = Object.fromEntries(Object.entries(options.metadata ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
      const upload = new Upload({
        client: this.client,
        partSize: this.partSize,
        queueSize: 2,
        params: {
          Bucket: this.bucket,
          Key: key,
          Body: spooled.file ? createReadStream(spooled.file) : spooled.buffer,
          ContentType: options.contentType,
          ServerSideEncryption: "AES256",
          Metadata: encodeMetadata({ ...metadata, sha256: spooled.sha256 }),
        },
      });
      const out = await this.call(() => upload.done(), key);
      const version: Version = {
        key,
        versionId: out.VersionId ?? "null",
        size: spooled.size,
        sha256: spooled.sha256,
        createdAt: this.now().toISOString(),
        contentType: options.contentType,
        isLatest: true,
        deleteMarker: false,
        metadata,
      };
      await this.emit(version, "ObjectCreated:Put");
      return version;
    } finally {
      if (spooled.file) await rm(spooled.file, { force: true });
    }
  }

  /** Hashes the body; keeps it in memory up to one part, beyond that in a temp file. */
  private async spool(
    body: Buffer | Readable,
  ): Promise<{ sha256: string; size: number; buffer?: Buffer; file?: string }> {
    if (Buffer.isBuffer(body)) return { sha256: sha256(body), size: body.length, buffer: body };
    const hash = createHash("sha256");
    const chunks: Buffer[] = [];
    let size = 0;
    let file: string | undefined;
    let out: WriteStream | undefined;
    try {
      for await (const chunk of body) {
        const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
        hash.update(buf);
        size += buf.length;
        if (out) {
          if (!out.write(buf)) await once(out, "drain");
          continue;
        }
        chunks.push(buf);
        if (size > this.partSize) {
          file = path.join(this.options.spoolDir ?? os.tmpdir(), `catdata-s3-${randomUUID()}.spool`);
          out = createWriteStream(file, { flags: "wx", mode: 0o600 });
          out.write(Buffer.concat(chunks));
          chunks.length = 0;
        }
      }
      if (out) {
        out.end();
        await finished(out);
      }
    } catch (error) {
      out?.destroy();
      if (file) await rm(file, { force: true });
      throw error;
    }
    const digest = hash.digest("hex");
    return file ? { sha256: digest, size, file } : { sha256: digest, size, buffer: Buffer.concat(chunks) };
  }

  async getStream(key: string, versionId?: string): Promise<Readable> {
    assertValidKey(key);
    const out = await this.call(
      () => this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key, VersionId: versionId })),
      key,
      versionId,
    );
    const expected = out.Metadata?.sha256;
    const body = out.Body as Readable | undefined;
    if (!expected || !body) {
      body?.destroy();
      throw new CatdataError("INTEGRITY", `${key} (version ${versionId ?? "latest"}) has no sha256 metadata`, {
        hint: "it was not written through catdata: upload it again with `catdata ingest`",
      });
    }
    const verify = new VerifySha256(expected);
    body.on("error", (error) => verify.destroy(error));
    return body.pipe(verify);
  }

  async get(key: string, versionId?: string): Promise<Buffer> {
    return readVerified(await this.getStream(key, versionId), key, versionId);
  }

  async head(key: string, versionId?: string): Promise<Version> {
    const found = await this.headVersion(key, versionId);
    if (versionId === undefined) return found;
    const latest = await this.headVersion(key).catch(() => undefined);
    return { ...found, isLatest: latest?.versionId === found.versionId };
  }

  /** HeadObject; `isLatest` is only known (true) when no version was asked for. */
  private async headVersion(key: string, versionId?: string): Promise<Version> {
    assertValidKey(key);
    const out = await this.call(
      () => this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key, VersionId: versionId })),
      key,
      versionId,
    );
    if (out.DeleteMarker) throw notFound(`version ${versionId} of ${key} is a delete marker`);
    return toVersion(key, out, versionId, versionId === undefined, this.now());
  }

  async list(prefix: string): Promise<ObjectVersion[]> {
    const out: ObjectVersion[] = [];
    let ContinuationToken: string | undefined;
    do {
      const page = await this.call(() =>
        this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken })),
      );
      for (const o of page.Contents ?? []) {
        if (!o.Key) continue;
        // ListObjectsV2 gives no version id or metadata: head() has them.
        out.push({
          key: o.Key,
          versionId: "",
          size: o.Size ?? 0,
          sha256: "",
          createdAt: (o.LastModified ?? this.now()).toISOString(),
          contentType: undefined,
          isLatest: true,
          deleteMarker: false,
        });
      }
      ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (ContinuationToken);
    return out.sort((a, b) => a.key.localeCompare(b.key));
  }

  async listVersions(key: string): Promise<ObjectVersion[]> {
    assertValidKey(key);
    let entries: VersionEntry[];
    try {
      entries = await this.versionEntries(key);
    } catch (error) {
      const name = (error as Error).name;
      if (name !== "MethodNotAllowed" && name !== "NotImplemented") throw s3Error(error, this.bucket, key);
      // A server without versioning (s3rver): the current object is the one version ("null").
      const only = await this.headVersion(key).catch((e: unknown) => {
        if (e instanceof CatdataError && e.code === "NOT_FOUND") return undefined;
        throw e;
      });
      return only ? [only] : [];
    }
    entries.sort((a, b) => Number(b.isLatest) - Number(a.isLatest) || b.at.getTime() - a.at.getTime());
    return Promise.all(
      entries.map(async (e): Promise<ObjectVersion> => {
        if (e.deleteMarker) return marker(key, e.versionId, e.at.toISOString(), e.isLatest);
        return { ...(await this.headVersion(key, e.versionId)), isLatest: e.isLatest };
      }),
    );
  }

  /** Every version and delete marker of exactly `key`, across ListObjectVersions pages. */
  private async versionEntries(key: string): Promise<VersionEntry[]> {
    const entries: VersionEntry[] = [];
    let KeyMarker: string | undefined;
    let VersionIdMarker: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectVersionsCommand({ Bucket: this.bucket, Prefix: key, KeyMarker, VersionIdMarker }),
      );
      const all = [
        ...(page.Versions ?? []).map((v) => ({ v, deleteMarker: false })),
        ...(page.DeleteMarkers ?? []).map((v) => ({ v, deleteMarker: true })),
      ];
      for (const { v, deleteMarker } of all) {
        if (v.Key !== key) continue;
        const at = v.LastModified ?? new Date(0);
        entries.push({ versionId: v.VersionId ?? "null", at, isLatest: v.IsLatest ?? false, deleteMarker });
      }
      // Keys come in order: once the markers are past `key`, no more of its versions can follow.
      const more = page.IsTruncated === true && page.NextKeyMarker !== undefined && page.NextKeyMarker <= key;
      KeyMarker = more ? page.NextKeyMarker : undefined;
      VersionIdMarker = more ? page.NextVersionIdMarker : undefined;
    } while (KeyMarker !== undefined);
    return entries;
  }

  async restore(key: string, versionId: string): Promise<ObjectVersion> {
    const old = await this.headVersion(key, versionId);
    const metadata = { ...old.metadata, restoredfrom: versionId };
    const source = `${this.bucket}/${key.split("/").map(encodeURIComponent).join("/")}?versionId=${encodeURIComponent(versionId)}`;
    const out = await this.call(
      () =>
        this.client.send(
          new CopyObjectCommand({
            Bucket: this.bucket,
            Key: key,
            CopySource: source,
            MetadataDirective: "REPLACE",
            Metadata: encodeMetadata({ ...metadata, sha256: old.sha256 }),
            ContentType: old.contentType,
            ServerSideEncryption: "AES256",
          }),
        ),
      key,
      versionId,
    );
    const createdAt = (out.CopyObjectResult?.LastModified ?? this.now()).toISOString();
    const version: Version = { ...old, versionId: out.VersionId ?? "null", createdAt, isLatest: true, metadata };
    await this.emit(version, "ObjectCreated:Copy");
    return version;
  }

  async delete(key: string): Promise<ObjectVersion> {
    await this.head(key);
    const out = await this.call(
      () => this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key })),
      key,
    );
    return marker(key, out.VersionId ?? "null", this.now().toISOString(), true);
  }

  onPut(listener: PutListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private async emit(version: ObjectVersion, eventName: ObjectCreatedEvent["eventName"]): Promise<void> {
    if (!this.options.emitLocalEvents) return;
    const sequencer = `${Date.now().toString(16)}${randomUUID().slice(0, 8)}`.toUpperCase();
    const event = objectCreatedEvent(this.bucket, version, { eventName, sequencer });
    for (const listener of this.listeners) await listener(event);
  }

  private async call<T>(send: () => Promise<T>, key?: string, versionId?: string): Promise<T> {
    try {
      return await send();
    } catch (error) {
      throw s3Error(error, this.bucket, key, versionId);
    }
  }
}

class VerifySha256 extends Transform {
  private readonly hash = createHash("sha256");
  constructor(private readonly expected: string) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.hash.update(chunk);
    callback(null, chunk);
  }
  override _flush(callback: TransformCallback): void {
    const actual = this.hash.digest("hex");
    callback(actual === this.expected ? null : new Error(`sha256 is ${actual}, expected ${this.expected}`));
  }
}

const sha256 = (data: Buffer) => createHash("sha256").update(data).digest("hex");

const RFC2047 = /^=\?UTF-8\?B\?([A-Za-z0-9+/=]*)\?=$/;
const encodeMetadata = (m: Record<string, string>) =>
  Object.fromEntries(
    Object.entries(m).map(([k, v]) => [
      k.toLowerCase(),
      /^[\x20-\x7e]*$/.test(v) ? v : `=?UTF-8?B?${Buffer.from(v).toString("base64")}?=`,
    ]),
  );
const decodeMetadata = (m: Record<string, string> = {}) =>
  Object.fromEntries(
    Object.entries(m).map(([k, v]) => {
      const encoded = RFC2047.exec(v)?.[1];
      return [k, encoded === undefined ? v : Buffer.from(encoded, "base64").toString("utf8")];
    }),
  );

function toVersion(
  key: string,
  out: HeadObjectCommandOutput,
  versionId: string | undefined,
  isLatest: boolean,
  now: Date,
): Version {
  const { sha256: digest = "", ...metadata } = decodeMetadata(out.Metadata);
  return {
    key,
    versionId: out.VersionId ?? versionId ?? "null",
    size: out.ContentLength ?? 0,
    sha256: digest,
    createdAt: (out.LastModified ?? now).toISOString(),
    contentType: out.ContentType,
    isLatest,
    deleteMarker: false,
    metadata,
  };
}

const marker = (key: string, versionId: string, createdAt: string, isLatest: boolean): ObjectVersion => ({
  key,
  versionId,
  size: 0,
  sha256: "",
  createdAt,
  contentType: undefined,
  isLatest,
  deleteMarker: true,
});

/** S3's errors as the project's: what was not found or refused, and what to do. */
function s3Error(error: unknown, bucket: string, key?: string, versionId?: string): unknown {
  if (error instanceof CatdataError || !(error instanceof Error)) return error;
  const cause = { cause: error };
  const versions = "list what exists with `catdata versions <key>`";
  switch (error.name) {
    case "NoSuchKey":
    case "NotFound":
      if (key === undefined) break;
      return versionId === undefined
        ? new CatdataError("NOT_FOUND", `no object ${key} in ${bucket}`, { hint: versions, ...cause })
        : new CatdataError("NOT_FOUND", `no version ${versionId} of ${key}`, { hint: versions, ...cause });
    case "NoSuchVersion":
    case "InvalidArgument":
      if (versionId === undefined) break;
      return new CatdataError("NOT_FOUND", `no version ${versionId} of ${key}`, { hint: versions, ...cause });
    case "MethodNotAllowed":
      if (versionId !== undefined) return notFound(`version ${versionId} of ${key} is a delete marker`);
      break;
    case "AccessDenied":
    case "Forbidden":
      return new CatdataError("FORBIDDEN", `S3 denied access to s3://${bucket}/${key ?? ""}`, {
        hint: "the role needs s3:GetObject*, s3:PutObject, s3:ListBucket* and s3:DeleteObject on the bucket",
        ...cause,
      });
    case "NoSuchBucket":
      return new CatdataError("CONFIG_INVALID", `the bucket ${bucket} does not exist`, {
        hint: "set CATDATA_S3_BUCKET to an existing bucket (or create it)",
        ...cause,
      });
  }
  return new CatdataError(
    "UNAVAILABLE",
    `S3 request for s3://${bucket}/${key ?? ""} failed: ${error.name}: ${error.message}`,
    cause,
  );
}
