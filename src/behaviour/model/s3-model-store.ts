import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { s3ClientFor } from "../../store/s3-client.js";
import type { BehaviourModel } from "./behaviour-model.js";
import { deserialiseModel, type ModelMeta, serialiseModel } from "./model-file.js";
import type { ModelStore, StoredModel } from "./model-store.js";

/**
 * The behaviour model as one object in the bucket (default `models/behaviour.json`), beside the
 * trail lake in S3; one PUT replaces it whole. Its stamp is the object's ETag (one HEAD request).
 */
export interface S3ModelStoreOptions {
  bucket: string;
  region: string;
  endpoint?: string;
  forcePathStyle?: boolean;
  client?: S3Client;
  key?: string;
}

const status = (error: unknown) => (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;

export class S3ModelStore implements ModelStore {
  readonly location: string;
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly key: string;

  constructor(options: S3ModelStoreOptions) {
    this.bucket = options.bucket;
    this.key = options.key ?? "models/behaviour.json";
    this.location = `s3://${this.bucket}/${this.key}`;
    this.client = s3ClientFor(options);
  }

  async read(): Promise<StoredModel | undefined> {
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.key }));
      return deserialiseModel((await out.Body?.transformToString("utf8")) ?? "", this.location);
    } catch (error) {
      if ((error as Error).name === "NoSuchKey") return undefined;
      throw error;
    }
  }

  async write(model: BehaviourModel, meta: ModelMeta): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: this.key,
        Body: serialiseModel(model, meta),
        ContentType: "application/json",
        ServerSideEncryption: "AES256",
      }),
    );
  }

  async stamp(): Promise<string | undefined> {
    try {
      const out = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.key }));
      return out.ETag ?? "unknown";
    } catch (error) {
      if (status(error) === 404) return undefined;
      throw error;
    }
  }
}
