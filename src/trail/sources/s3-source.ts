import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { type LoadOptions, type LoadSummary, loadTrailSource } from "../lake/load-trail.js";
import type { TrailLake } from "../lake/trail-lake.js";
import { resolveRegion } from "./aws-region.js";
import { parseS3Url, s3Url } from "./s3-layout.js";
import { listTrailObjects } from "./s3-listing.js";

/**
 * `catdata trail load s3://bucket/prefix`: CloudTrail objects from S3 into the same lake as local
 * folders, with the same rows (paths relative to the prefix, as for a folder). Incremental twice
 * over: objects already loaded with the same ETag are not even downloaded, and downloaded bytes
 * already in the lake (same sha256, e.g. the same file loaded from a local copy) are skipped.
 * Objects are downloaded one at a time (GetObject streamed into one buffer per file).
 */
export interface S3LoadOptions extends LoadOptions {
  client: S3Client;
  /** `YYYY-MM-DD`: list only date folders on or after this day. */
  since?: string;
}

export interface S3LoadSummary extends LoadSummary {
  /** Listed objects skipped without download: same key and ETag as an earlier load. */
  unchangedObjects: number;
}

export interface S3ClientOptions {
  region?: string;
  /** An S3-compatible endpoint (MinIO, s3rver, LocalStack): path-style addressing is used. */
  endpoint?: string;
  /** Static credentials (tests); otherwise the SDK's default provider chain. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

export const createS3Client = (options: S3ClientOptions = {}): S3Client =>
  new S3Client({
    ...(options.region ? { region: options.region } : {}),
    ...(options.endpoint ? { endpoint: options.endpoint, forcePathStyle: true } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    followRegionRedirects: true,
  });

export async function readObject(client: S3Client, bucket: string, key: string): Promise<Buffer> {
  const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const body = response.Body as AsyncIterable<Uint8Array> | undefined;
  if (!body) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  for await (const chunk of body) chunks.push(chunk);
  return Buffer.concat(chunks);
}

export async function loadTrailS3(lake: TrailLake, url: string, options: S3LoadOptions): Promise<S3LoadSummary> {
  const { client, since, ...loadOptions } = options;
  const location = parseS3Url(url);
  await resolveRegion(client, "S3");
  const now = options.now ?? (() => new Date());
  const objects = await listTrailObjects(client, location, { ...(since ? { since } : {}), today: now() });
  const s3Manifest = await lake.readSourceObjects();
  const idOf = (key: string) => `s3://${location.bucket}/${key}`;
  const fresh = objects.filter((o) => s3Manifest.objects[idOf(o.key)]?.etag !== o.etag);
  const etags = new Map(fresh.map((o) => [o.key.slice(location.prefix.length), o.etag]));
  let summary: LoadSummary;
  try {
    summary = await loadTrailSource(
      lake,
      {
        location: s3Url(location),
        list: async () => [...etags.keys()],
        read: (rel) => readObject(client, location.bucket, location.prefix + rel),
      },
      {
        ...loadOptions,
        onFileDone: async (rel, sha256) => {
          s3Manifest.objects[idOf(location.prefix + rel)] = { etag: etags.get(rel) ?? "", sha256 };
          await options.onFileDone?.(rel, sha256);
        },
      },
    );
  } finally {
    if (fresh.length > 0) await lake.writeSourceObjects(s3Manifest);
  }
  const unchangedObjects = objects.length - fresh.length;
  return {
    ...summary,
    filesSeen: summary.filesSeen + unchangedObjects,
    filesSkipped: summary.filesSkipped + unchangedObjects,
    unchangedObjects,
  };
}
