import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { S3Client } from "@aws-sdk/client-s3";
import { freePort } from "./free-port.js";

/**
 * Test helper: s3rver (an S3-compatible server) in process on 127.0.0.1, a free port and a temp
 * directory, with the buckets created. It accepts SDK v3's signed, path-style requests with its
 * documented dummy credentials (S3RVER / S3RVER); it implements no versioning.
 */
interface S3rverInstance {
  run(): Promise<{ address: string; port: number }>;
  close(): Promise<void>;
}
type S3rverCtor = new (options: {
  address: string;
  port: number;
  directory: string;
  silent: boolean;
  configureBuckets: { name: string }[];
}) => S3rverInstance;

export interface TestS3 {
  endpoint: string;
  /** s3rver's data directory: objects are `<dir>/<bucket>/<key>._S3rver_object`. */
  directory: string;
  client: S3Client;
  objectFile(bucket: string, key: string): string;
  close(): Promise<void>;
}

/** s3rver's documented credentials for signed requests (not a secret). */
export const S3RVER_CREDENTIALS = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };

export async function startS3rver(buckets: string[] = ["cat-data-bucket"]): Promise<TestS3> {
  const S3rver = createRequire(import.meta.url)("s3rver") as S3rverCtor;
  const directory = mkdtempSync(path.join(os.tmpdir(), "catdata-s3rver-"));
  const server = new S3rver({
    address: "127.0.0.1",
    port: await freePort(),
    directory,
    silent: true,
    configureBuckets: buckets.map((name) => ({ name })),
  });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new S3Client({ endpoint, region: "us-east-1", forcePathStyle: true, credentials: S3RVER_CREDENTIALS });
  return {
    endpoint,
    directory,
    client,
    objectFile: (bucket, key) => path.join(directory, bucket, `${key}._S3rver_object`),
    close: async () => {
      client.destroy();
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
