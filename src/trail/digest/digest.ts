import { createHash, createPublicKey, type KeyObject, verify } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { isObject } from "../parse/fields.js";
import { baseOf, listTrailFiles } from "../sources/read-files.js";

/**
 * CloudTrail log file integrity validation, offline, over a folder (the S3 layout, downloaded).
 * As the CloudTrail user guide specifies: `logFiles[].hashValue` is the SHA-256 of each log file's
 * *uncompressed* content, `previousDigestHashValue` that of the previous digest's uncompressed
 * content, and each digest is signed (SHA256withRSA) over
 * `digestEndTime \n bucket/digestS3Object \n sha256(digest) \n previousDigestSignature`.
 * A digest's own signature lives in S3 metadata, so offline it comes from the next digest's
 * `previousDigestSignature` (or `signatures`); the newest one stays unchecked unless given.
 * Reports modified, missing and unlisted (inserted) log files, and breaks in the digest chain.
 */
export interface VerifyOptions {
  /** PEM (SPKI or PKCS#1), or base64 DER as ListPublicKeys returns it. Without it: "signature not checked". */
  publicKey?: string;
  /** Hex signatures of digests (their `x-amz-meta-signature`), by digestS3Object key or relative path. */
  signatures?: Record<string, string>;
}

export interface DigestVerification {
  folder: string;
  digestFiles: number;
  logFiles: number;
  listedLogFiles: number;
  validLogFiles: number;
  modified: { path: string; digest: string; expected: string; actual: string }[];
  missing: { s3Object: string; digest: string }[];
  /** Log files no digest lists although digests cover their time: inserted. */
  unlisted: string[];
  /** Log files delivered after the newest digest: not covered yet, not an error. */
  uncovered: string[];
  /** Broken links, moved or modified digests. */
  chain: { path: string; problem: string }[];
  notices: string[];
  signatures: { status: "checked" | "signature not checked"; valid: number; invalid: string[]; unchecked: string[] };
  ok: boolean;
}

interface Digest {
  path: string;
  sha256: string;
  body: Record<string, unknown>;
}

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
const str = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);
const isGzip = (b: Uint8Array) => b[0] === 0x1f && b[1] === 0x8b;
const DIGEST_FOLDER = /(^|\/)CloudTrail-Digest\//;
const FILE_TIME = /_(\d{8}T\d{4,6}Z)(?:_[^/]*)?\.json(?:\.gz)?$/;
const compactTime = (iso: string) => iso.replace(/[-:]/g, "").replace(/\.\d+/, "");

/** Same file when the shorter path is a whole-segment suffix of the longer, or both share `AWSLogs/…`. */
function samePlace(rel: string, key: string): boolean {
  const a = rel.split("/").reverse();
  const b = key.split("/").reverse();
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n += 1;
  return n === a.length || n === b.length || a.slice(0, n).includes("AWSLogs");
}

export function loadPublicKey(text: string): KeyObject {
  const trimmed = text.trim();
  if (trimmed.startsWith("-----BEGIN")) return createPublicKey(trimmed);
  const der = Buffer.from(trimmed, "base64");
  try {
    return createPublicKey({ key: der, format: "der", type: "pkcs1" });
  } catch {
    return createPublicKey({ key: der, format: "der", type: "spki" });
  }
}

export const signingString = (digest: Record<string, unknown>, digestSha256: string): string =>
  [
    str(digest.digestEndTime),
    `${str(digest.digestS3Bucket)}/${str(digest.digestS3Object)}`,
    digestSha256,
    str(digest.previousDigestSignature) ?? "null",
  ].join("\n");

export async function verifyTrailFolder(folder: string, options: VerifyOptions = {}): Promise<DigestVerification> {
  const base = await baseOf(folder);
  const report: DigestVerification = {
    folder,
    digestFiles: 0,
    logFiles: 0,
    listedLogFiles: 0,
    validLogFiles: 0,
    modified: [],
    missing: [],
    unlisted: [],
    uncovered: [],
    chain: [],
    notices: [],
    signatures: {
      status: options.publicKey ? "checked" : "signature not checked",
      valid: 0,
      invalid: [],
      unchecked: [],
    },
    ok: false,
  };
  const digests: Digest[] = [];
  const logs = new Map<string, string>(); // path → sha256 of the uncompressed content, or why there is none
  const byName = new Map<string, string[]>();
  for (const rel of await listTrailFiles(folder)) {
    const file = readTrailFile(rel, await readFile(path.join(base, rel)));
    if (file.kind === "digest") digests.push(file.digest);
    else if (file.kind === "broken-digest") report.chain.push({ path: rel, problem: file.problem });
    else {
      logs.set(rel, file.hash);
      const name = path.posix.basename(rel);
      byName.set(name, [...(byName.get(name) ?? []), rel]);
    }
  }
  report.digestFiles = digests.length;
  report.logFiles = logs.size;
  const resolve = (key: string) => byName.get(path.posix.basename(key))?.find((rel) => samePlace(rel, key));
  checkLogFiles(report, digests, logs, resolve);
  checkChains(report, digests, options);
  if (digests.length === 0) report.notices.push("no digest files found: nothing to verify the log files against");
  report.ok =
    digests.length > 0 &&
    report.modified.length + report.missing.length + report.unlisted.length + report.chain.length === 0 &&
    report.signatures.invalid.length === 0;
  return report;
}

type FolderFile =
  | { kind: "digest"; digest: Digest }
  | { kind: "broken-digest"; problem: string }
  | { kind: "log"; hash: string };

function readTrailFile(rel: string, raw: Buffer): FolderFile {
  const digestFolder = DIGEST_FOLDER.test(rel);
  let data: Buffer;
  try {
    data = isGzip(raw) ? gunzipSync(raw) : raw;
  } catch (error) {
    const reason = `not valid gzip (${error instanceof Error ? error.message : String(error)})`;
    return digestFolder
      ? { kind: "broken-digest", problem: `digest unreadable: ${reason}` }
      : { kind: "log", hash: reason };
  }
  if (!digestFolder && !data.subarray(0, 512).toString("utf8").includes('"digestStartTime"')) {
    return { kind: "log", hash: sha256(data) };
  }
  let body: unknown;
  try {
    body = JSON.parse(data.toString("utf8"));
  } catch {
    body = undefined;
  }
  return isObject(body) && "digestS3Object" in body
    ? { kind: "digest", digest: { path: rel, sha256: sha256(data), body } }
    : { kind: "broken-digest", problem: "not a valid digest file (invalid format)" };
}

function checkLogFiles(
  report: DigestVerification,
  digests: Digest[],
  logs: Map<string, string>,
  resolve: (key: string) => string | undefined,
): void {
  const listed = new Set<string>();
  for (const digest of digests) {
    const entries = Array.isArray(digest.body.logFiles) ? digest.body.logFiles.filter(isObject) : [];
    for (const entry of entries) {
      report.listedLogFiles += 1;
      const key = str(entry.s3Object) ?? "";
      const rel = resolve(key);
      if (rel === undefined) {
        report.missing.push({ s3Object: key, digest: digest.path });
        continue;
      }
      listed.add(rel);
      const expected = str(entry.hashValue) ?? "";
      const actual = logs.get(rel) ?? "";
      const algorithm = str(entry.hashAlgorithm) ?? "SHA-256";
      if (algorithm !== "SHA-256") {
        report.notices.push(`${rel}: hash algorithm ${algorithm} not supported, not checked`);
      } else if (actual === expected.toLowerCase()) report.validLogFiles += 1;
      else report.modified.push({ path: rel, digest: digest.path, expected, actual });
    }
  }
  const newest =
    digests
      .map((d) => compactTime(str(d.body.digestEndTime) ?? ""))
      .sort()
      .at(-1) ?? "";
  for (const rel of logs.keys()) {
    if (listed.has(rel)) continue;
    const delivered = FILE_TIME.exec(rel)?.[1];
    if (delivered !== undefined && delivered.slice(0, 13) > newest.slice(0, 13)) report.uncovered.push(rel);
    else report.unlisted.push(rel);
  }
}

function checkChains(report: DigestVerification, digests: Digest[], options: VerifyOptions): void {
  const byKey = new Map(digests.map((d) => [str(d.body.digestS3Object) ?? d.path, d]));
  const signatureOf = new Map<Digest, string>();
  const chains = new Map<string, Digest[]>();
  for (const digest of digests) {
    const key = str(digest.body.digestS3Object) ?? "";
    if (!samePlace(digest.path, key)) {
      report.chain.push({ path: digest.path, problem: `moved from its original location ${key}` });
    }
    const given = options.signatures?.[key] ?? options.signatures?.[digest.path];
    if (given) signatureOf.set(digest, given);
    if (/_backfill\.json(\.gz)?$/.test(key)) continue;
    const name = key.replace(/_\d{8}T\d{6}Z\.json(\.gz)?$/, "");
    chains.set(name, [...(chains.get(name) ?? []), digest]);
  }
  for (const [name, chain] of chains) {
    chain.sort((a, b) => ((str(a.body.digestEndTime) ?? "") < (str(b.body.digestEndTime) ?? "") ? -1 : 1));
    for (const [i, digest] of chain.entries()) {
      const previousKey = str(digest.body.previousDigestS3Object);
      if (previousKey === undefined) {
        if (i > 0) report.notices.push(`${digest.path}: a starting digest (validation was restarted)`);
        continue;
      }
      const previous = byKey.get(previousKey);
      if (!previous) {
        if (i === 0)
          report.notices.push(
            `${path.posix.basename(name)}: the chain starts after ${previousKey}, not in this folder`,
          );
        else
          report.chain.push({
            path: digest.path,
            problem: `chain broken: the previous digest ${previousKey} is missing`,
          });
        continue;
      }
      const signature = str(digest.body.previousDigestSignature);
      if (signature && !signatureOf.has(previous)) signatureOf.set(previous, signature);
      if (str(digest.body.previousDigestHashValue) !== previous.sha256) {
        report.chain.push({
          path: previous.path,
          problem: `digest modified: its hash differs from ${digest.path}'s previousDigestHashValue`,
        });
      }
    }
  }
  if (!options.publicKey) return;
  const key = loadPublicKey(options.publicKey);
  for (const digest of digests) {
    const signature = signatureOf.get(digest);
    if (!signature) report.signatures.unchecked.push(digest.path);
    else if (
      verify("sha256", Buffer.from(signingString(digest.body, digest.sha256)), key, Buffer.from(signature, "hex"))
    )
      report.signatures.valid += 1;
    else report.signatures.invalid.push(digest.path);
  }
}
