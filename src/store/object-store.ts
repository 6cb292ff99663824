import type { Readable } from "node:stream";
import { badInput, CatdataError } from "../errors.js";

/**
 * The object store (the `cat-data-bucket` role): versioned, encrypted at rest, with a put event.
 * One interface, one file per implementation: `local-store.ts` (disk, the default) and `s3-store.ts` (AWS S3).
 */
export interface ObjectVersion {
  key: string;
  versionId: string;
  size: number;
  /** SHA-256 (hex) of the plaintext. */
  sha256: string;
  createdAt: string;
  contentType: string | undefined;
  isLatest: boolean;
  /** A delete marker: the key was deleted at this version. */
  deleteMarker: boolean;
  /** User metadata given at put time (S3 user metadata), when the store returns it. */
  metadata?: Record<string, string>;
}

export interface PutOptions {
  contentType?: string;
  /** Free-form metadata kept with the version (S3 user metadata). */
  metadata?: Record<string, string>;
}

/** The S3 event-notification record a put emits (the shape Lambda receives). */
export interface ObjectCreatedEvent {
  eventSource: "aws:s3" | "catdata:store";
  eventName: "ObjectCreated:Put" | "ObjectCreated:Copy";
  eventTime: string;
  s3: {
    bucket: { name: string };
    object: { key: string; size: number; versionId: string; sequencer: string; sha256?: string };
  };
}

/** The put event of a stored version, as the store emits it and as recovery replays it. */
export function objectCreatedEvent(
  bucket: string,
  version: Pick<ObjectVersion, "key" | "size" | "versionId" | "sha256" | "createdAt">,
  options: { eventName?: ObjectCreatedEvent["eventName"]; sequencer?: string } = {},
): ObjectCreatedEvent {
  return {
    eventSource: "catdata:store",
    eventName: options.eventName ?? "ObjectCreated:Put",
    eventTime: version.createdAt,
    s3: {
      bucket: { name: bucket },
      object: {
        key: version.key,
        size: version.size,
        versionId: version.versionId,
        sequencer: options.sequencer ?? version.versionId,
        sha256: version.sha256,
      },
    },
  };
}

export type PutListener = (event: ObjectCreatedEvent) => void | Promise<void>;

export interface ObjectStore {
  readonly bucket: string;
  /** Stores a new version of `key`; never overwrites an older version. */
  put(key: string, body: Buffer | Readable, options?: PutOptions): Promise<ObjectVersion>;
  /** Reads a version (default: latest) fully, verifying its checksum. */
  get(key: string, versionId?: string): Promise<Buffer>;
  /** Streams a version; the stream errors at its end if the checksum does not match. */
  getStream(key: string, versionId?: string): Promise<Readable>;
  head(key: string, versionId?: string): Promise<ObjectVersion>;
  /** Latest, not-deleted objects whose key starts with `prefix`. */
  list(prefix: string): Promise<ObjectVersion[]>;
  /** Every version of `key`, newest first (delete markers included). */
  listVersions(key: string): Promise<ObjectVersion[]>;
  /** Makes an older version the latest again by copying it (as S3 does); returns the new version. */
  restore(key: string, versionId: string): Promise<ObjectVersion>;
  /** Adds a delete marker; older versions stay restorable. */
  delete(key: string): Promise<ObjectVersion>;
  /** Subscribes to put events (S3 event notifications). Returns an unsubscribe function. */
  onPut(listener: PutListener): () => void;
}

const KEY_PATTERN = /^[\p{L}\p{N}!\-_.*'() /=+@,;&:$]+$/u;

/**
 * Validates an object key the way S3 would accept it and our disk layout can hold it safely:
 * relative, no `.`/`..` segments, no empty segments, no control characters, at most 1024 bytes.
 */
export function assertValidKey(key: string): void {
  const problems: string[] = [];
  if (key.length === 0) problems.push("it is empty");
  if (Buffer.byteLength(key) > 1024) problems.push("it is longer than 1024 bytes");
  if (key.startsWith("/")) problems.push("it starts with /");
  if (key.split("/").some((s) => s === "." || s === ".." || s === ""))
    problems.push("it has an empty, . or .. segment");
  if (!KEY_PATTERN.test(key))
    problems.push("it has characters other than letters, digits, spaces and !-_.*'()/=+@,;&:$");
  if (problems.length > 0) {
    throw badInput(
      `invalid object key ${JSON.stringify(key)}: ${problems.join("; ")}`,
      "use a relative path such as raw/<municipality>/<file>.csv",
    );
  }
}

/**
 * Reads a verifying stream to the end (both stores' `get`): a checksum or authentication failure at
 * its end becomes one INTEGRITY error naming the object and what to do.
 */
export async function readVerified(stream: Readable, key: string, versionId: string | undefined): Promise<Buffer> {
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of stream) chunks.push(chunk as Buffer);
  } catch (error) {
    throw new CatdataError(
      "INTEGRITY",
      `${key} (version ${versionId ?? "latest"}) failed verification: ${(error as Error).message}`,
      { hint: "restore an earlier version with `catdata restore`, or the store from backup", cause: error },
    );
  }
  return Buffer.concat(chunks);
}
