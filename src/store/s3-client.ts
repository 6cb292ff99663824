import { S3Client } from "@aws-sdk/client-s3";

/**
 * The S3 client every S3 implementation of a port uses (object store, lake, job log, trail lake,
 * model store): the given one, or a new one for the region — path-style against an S3-compatible
 * endpoint (s3rver in tests, `CATDATA_S3_ENDPOINT`), virtual-hosted on AWS. Credentials come from the
 * SDK's default chain (the Lambda's or task's role), never from configuration.
 */
export interface S3ClientOptions {
  region: string;
  /** An S3-compatible server, e.g. http://127.0.0.1:4568 (path-style addressing is then the default). */
  endpoint?: string;
  forcePathStyle?: boolean;
  client?: S3Client;
}

export function s3ClientFor(options: S3ClientOptions): S3Client {
  if (options.client) return options.client;
  return new S3Client({
    region: options.region,
    ...(options.endpoint
      ? { endpoint: options.endpoint, forcePathStyle: options.forcePathStyle ?? true }
      : { forcePathStyle: options.forcePathStyle ?? false }),
  });
}
