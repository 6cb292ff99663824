import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { type CatalogState, emptyCatalog, parseCatalog } from "./catalog-state.js";

/**
 * The S3 lake's catalog as one manifest object (`curated/_catalog.json`), the lake's commit point.
 * It is written conditionally: If-Match the ETag it was read with, or If-None-Match `*` when there
 * was none, so on AWS S3 a writer that lost a race gets `false` (HTTP 412/409) and must re-read.
 * s3rver ignores both conditions (probed: a PUT with a stale If-Match is accepted).
 */
export interface ManifestRead {
  state: CatalogState;
  /** The version read, for the conditional write; undefined when there is no manifest yet. */
  etag: string | undefined;
}

const status = (error: unknown) => (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
const LOST_RACE = new Set([412, 409]);

export class S3Manifest {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    readonly key: string,
  ) {}

  async read(): Promise<ManifestRead> {
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.key }));
      return { state: parseCatalog((await out.Body?.transformToString("utf8")) ?? "{}"), etag: out.ETag };
    } catch (error) {
      if ((error as Error).name === "NoSuchKey") return { state: emptyCatalog(), etag: undefined };
      throw error;
    }
  }

  /** The manifest's ETag (one HEAD request), "none" before the first commit. */
  async stamp(): Promise<string> {
    try {
      const out = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.key }));
      return out.ETag ?? "none";
    } catch (error) {
      if (status(error) === 404) return "none";
      throw error;
    }
  }

  /** Writes `state` only if the manifest is still the version read; false when another writer won. */
  async write(state: CatalogState, etag: string | undefined): Promise<boolean> {
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: this.key,
          Body: JSON.stringify(state),
          ContentType: "application/json",
          ServerSideEncryption: "AES256",
          ...(etag ? { IfMatch: etag } : { IfNoneMatch: "*" }),
        }),
      );
      return true;
    } catch (error) {
      if (LOST_RACE.has(status(error) ?? 0)) return false;
      throw error;
    }
  }
}
