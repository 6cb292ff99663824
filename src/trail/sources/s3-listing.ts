import { ListObjectsV2Command, type S3Client } from "@aws-sdk/client-s3";
import { isTrailFileName } from "./read-files.js";
import { dateOfKey, datePrefixes, isBelowRegion, isRegionPrefix, type S3Location } from "./s3-layout.js";

/**
 * Listing CloudTrail objects under an S3 prefix with ListObjectsV2 (paginated). Without `since`,
 * one listing of the whole prefix. With `since`, the folders above the region level are walked
 * (AWSLogs/<org?>/<account>/CloudTrail/<region>/, see `listFolders`) and only the date folders
 * from `since` to today are listed below each region, never the older ones.
 */
export interface S3Object {
  key: string;
  /** The ETag as S3 returns it (quotes included). */
  etag: string;
}

export interface ListOptions {
  /** `YYYY-MM-DD`: only date folders on or after this day. */
  since?: string;
  today?: Date;
}

const MAX_DEPTH = 6;
const FOLDER_SCAN_KEYS = 100;

export async function* listObjects(client: S3Client, bucket: string, prefix: string): AsyncGenerator<S3Object> {
  let token: string | undefined;
  do {
    const page = await client.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) }),
    );
    for (const object of page.Contents ?? []) {
      if (object.Key !== undefined) yield { key: object.Key, etag: object.ETag ?? "" };
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
}

/**
 * The sub-folders of `prefix`, found by skipping: list from just after the last folder found and
 * take the folder of the first key. One small request per folder, whatever the folder holds; it
 * needs no delimiter support (s3rver 3.7's delimiter listing misses folders nested deeper than one
 * level). `name0` sorts right after every key of `name/` ('/' is 0x2F, '0' is 0x30).
 */
export async function listFolders(client: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const folders: string[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await client.send(
      new ListObjectsV2Command({
        Bucket: bucket,
        Prefix: prefix,
        MaxKeys: FOLDER_SCAN_KEYS,
        ...(after ? { StartAfter: after } : {}),
      }),
    );
    const keys = (page.Contents ?? []).flatMap((o) => (o.Key ? [o.Key] : []));
    const inFolder = keys.find((key) => key.indexOf("/", prefix.length) !== -1);
    if (inFolder !== undefined) {
      const name = inFolder.slice(prefix.length, inFolder.indexOf("/", prefix.length));
      folders.push(`${prefix}${name}/`);
      after = `${prefix}${name}0`;
    } else if (page.IsTruncated && keys.length > 0) after = keys[keys.length - 1];
    else return folders;
  }
}

/** The prefixes to list so that every object dated `since` or later is seen. */
export async function prefixesSince(
  client: S3Client,
  location: S3Location,
  since: string,
  today: Date,
): Promise<string[]> {
  const out: string[] = [];
  const walk = async (prefix: string, depth: number): Promise<void> => {
    if (isBelowRegion(prefix) || depth > MAX_DEPTH) out.push(prefix);
    else if (isRegionPrefix(prefix)) out.push(...datePrefixes(since, today).map((suffix) => prefix + suffix));
    else for (const folder of await listFolders(client, location.bucket, prefix)) await walk(folder, depth + 1);
  };
  await walk(location.prefix, 0);
  return out;
}

/** Trail objects (by name) under the location, sorted by key; with `since`, only from that day on. */
export async function listTrailObjects(
  client: S3Client,
  location: S3Location,
  options: ListOptions = {},
): Promise<S3Object[]> {
  const { since } = options;
  const prefixes = since
    ? await prefixesSince(client, location, since, options.today ?? new Date())
    : [location.prefix];
  const found: S3Object[] = [];
  for (const prefix of prefixes) {
    for await (const object of listObjects(client, location.bucket, prefix)) {
      if (!isTrailFileName(object.key)) continue;
      const date = dateOfKey(object.key);
      if (since && date !== undefined && date < since) continue;
      found.push(object);
    }
  }
  return found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
