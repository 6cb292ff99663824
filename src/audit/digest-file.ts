import { createHash, sign } from "node:crypto";
import type { SigningKey } from "../keys/trail-signing-key.js";
import { signingString } from "../trail/digest/digest.js";
import { secondPrecision } from "./build-record.js";

/**
 * One digest file, as CloudTrail's log file integrity validation writes it: the log files delivered
 * in [start, end) with the SHA-256 of each one's uncompressed content, chained to the previous
 * digest by the SHA-256 of its uncompressed content and its signature, and signed SHA256withRSA
 * over CloudTrail's data-signing string (`signingString` of `src/trail/digest.ts`, which verifies):
 *   digestEndTime \n bucket/digestS3Object \n hex(sha256(this digest)) \n previousDigestSignature
 * The signature itself goes in the object's metadata (`signature`, CloudTrail's x-amz-meta-signature).
 * Pure apart from the signing.
 */
export interface LogFileEntry {
  s3Bucket: string;
  s3Object: string;
  /** SHA-256 hex of the uncompressed JSON, as CloudTrail hashes log files. */
  hashValue: string;
  hashAlgorithm: "SHA-256";
  newestEventTime: string;
  oldestEventTime: string;
}

/** What the next digest needs of the previous one. */
export interface ChainLink {
  bucket: string;
  key: string;
  /** SHA-256 hex of the previous digest's uncompressed content. */
  sha256: string;
  signature: string;
}

export interface DigestInput {
  accountId: string;
  bucket: string;
  key: string;
  start: Date;
  end: Date;
  logFiles: LogFileEntry[];
  previous: ChainLink | undefined;
}

export interface SignedDigest {
  body: Record<string, unknown>;
  /** The uncompressed JSON bytes (gzip them to deliver). */
  json: Buffer;
  sha256: string;
  signature: string;
}

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

const extreme = (times: string[], pick: "min" | "max"): string | null =>
  times.length === 0 ? null : times.reduce((a, b) => ((pick === "min" ? b < a : b > a) ? b : a));

export function buildDigest(input: DigestInput, key: SigningKey): SignedDigest {
  const body = {
    awsAccountId: input.accountId,
    digestStartTime: secondPrecision(input.start),
    digestEndTime: secondPrecision(input.end),
    digestS3Bucket: input.bucket,
    digestS3Object: input.key,
    digestPublicKeyFingerprint: key.fingerprint,
    digestSignatureAlgorithm: "SHA256withRSA",
    newestEventTime: extreme(
      input.logFiles.map((f) => f.newestEventTime),
      "max",
    ),
    oldestEventTime: extreme(
      input.logFiles.map((f) => f.oldestEventTime),
      "min",
    ),
    previousDigestS3Bucket: input.previous?.bucket ?? null,
    previousDigestS3Object: input.previous?.key ?? null,
    previousDigestHashValue: input.previous?.sha256 ?? null,
    previousDigestHashAlgorithm: input.previous ? "SHA-256" : null,
    previousDigestSignature: input.previous?.signature ?? null,
    logFiles: input.logFiles,
  };
  const json = Buffer.from(JSON.stringify(body));
  const hash = sha256(json);
  const signature = sign("sha256", Buffer.from(signingString(body, hash)), key.privateKey).toString("hex");
  return { body, json, sha256: hash, signature };
}

/** Store metadata of a digest object: CloudTrail's `x-amz-meta-signature` and `signature-algorithm`. */
export const digestMetadata = (signature: string) => ({ signature, "signature-algorithm": "SHA256withRSA" });
