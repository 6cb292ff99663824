/**
 * Pins digest verification on a trail folder generated here the way CloudTrail writes one (log
 * files hashed over their uncompressed content, digests chained by previousDigestHashValue and
 * signed SHA256withRSA with a key made for the test): an untouched folder verifies, signatures
 * included, and says "signature not checked" without a key; a changed byte, a deleted log file,
 * an inserted log file, a deleted or edited digest, a wrong key are each reported for what they
 * are; files newer than the newest digest are "uncovered", not inserted; the AWS user guide's
 * example digest (awsdocs-examples) is read, its log file reported missing.
 */
import { createHash, generateKeyPairSync, sign } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { signingString, verifyTrailFolder } from "./digest.js";

const ACCOUNT = "111122223333";
const logDir = `AWSLogs/${ACCOUNT}/CloudTrail/us-east-2/2024/05/01`;
const digestDir = `AWSLogs/${ACCOUNT}/CloudTrail-Digest/us-east-2/2024/05/01`;
const keys = generateKeyPairSync("rsa", { modulusLength: 2048 });
const publicKey = keys.publicKey.export({ type: "spki", format: "pem" }).toString();
const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
const write = (root: string, rel: string, bytes: Uint8Array) => {
  mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  writeFileSync(path.join(root, rel), bytes);
};
const logName = (hhmm: string, id: string) =>
  `${logDir}/${ACCOUNT}_CloudTrail_us-east-2_20240501T${hhmm}Z_${id}.json.gz`;
const digestName = (hh: string) =>
  `${digestDir}/${ACCOUNT}_CloudTrail-Digest_us-east-2_main_us-east-2_20240501T${hh}0000Z.json.gz`;
const logBody = (id: string) =>
  JSON.stringify({
    Records: [{ eventVersion: "1.08", eventID: id, eventTime: "2024-05-01T10:01:00Z", eventName: "ListBuckets" }],
  });

/** Three hourly digests of two log files each, chained and signed; returns the newest signature. */
function buildTrail(root: string): { newest: string; newestKey: string } {
  let previous: { key: string; sha256: string; signature: string } | undefined;
  for (const hh of ["11", "12", "13"]) {
    const files = ["05", "35"].map((mm) => {
      const key = logName(`${Number(hh) - 1}${mm}`, `h${hh}m${mm}`);
      const json = logBody(`e-${hh}-${mm}`);
      write(root, key, gzipSync(json));
      return {
        s3Bucket: "trail-bucket",
        s3Object: key,
        hashValue: sha256(Buffer.from(json)),
        hashAlgorithm: "SHA-256",
      };
    });
    const key = digestName(hh);
    const body = {
      awsAccountId: ACCOUNT,
      digestStartTime: `2024-05-01T${Number(hh) - 1}:00:00Z`,
      digestEndTime: `2024-05-01T${hh}:00:00Z`,
      digestS3Bucket: "trail-bucket",
      digestS3Object: key,
      digestPublicKeyFingerprint: "00",
      digestSignatureAlgorithm: "SHA256withRSA",
      previousDigestS3Bucket: previous ? "trail-bucket" : null,
      previousDigestS3Object: previous?.key ?? null,
      previousDigestHashValue: previous?.sha256 ?? null,
      previousDigestHashAlgorithm: previous ? "SHA-256" : null,
      previousDigestSignature: previous?.signature ?? null,
      logFiles: files,
    };
    const json = Buffer.from(JSON.stringify(body));
    const signature = sign("sha256", Buffer.from(signingString(body, sha256(json))), keys.privateKey).toString("hex");
    write(root, key, gzipSync(json));
    previous = { key, sha256: sha256(json), signature };
  }
  return { newest: previous?.signature ?? "", newestKey: previous?.key ?? "" };
}

describe("verifying a trail folder against its digests", () => {
  const clean = mkdtempSync(path.join(os.tmpdir(), "catdata-digest-"));
  let signatures: Record<string, string>;
  const tampered = (change: (root: string) => void) => {
    const root = mkdtempSync(path.join(os.tmpdir(), "catdata-tamper-"));
    cpSync(clean, root, { recursive: true });
    change(root);
    return root;
  };
  beforeAll(() => {
    const { newest, newestKey } = buildTrail(clean);
    signatures = { [newestKey]: newest };
  });

  it("verifies an untouched folder, signatures included when a key is given", async () => {
    const withKey = await verifyTrailFolder(clean, { publicKey, signatures });
    expect(withKey).toMatchObject({ ok: true, digestFiles: 3, logFiles: 6, listedLogFiles: 6, validLogFiles: 6 });
    expect(withKey.signatures).toEqual({ status: "checked", valid: 3, invalid: [], unchecked: [] });
    expect(withKey.notices).toEqual([]);
    const noKey = await verifyTrailFolder(clean);
    expect(noKey.ok).toBe(true);
    expect(noKey.signatures).toMatchObject({ status: "signature not checked", valid: 0 });
    const withoutNewest = await verifyTrailFolder(clean, { publicKey });
    expect(withoutNewest.signatures).toMatchObject({ valid: 2, unchecked: [digestName("13")] });
  });

  it("reports a changed byte, a deleted file and an inserted file", async () => {
    const changed = logName("1005", "h11m05");
    const deleted = logName("1135", "h12m35");
    const inserted = logName("1140", "evil");
    const root = tampered((dir) => {
      const text = gunzipSync(readFileSync(path.join(dir, changed)))
        .toString()
        .replace("ListBuckets", "ListBucketz");
      writeFileSync(path.join(dir, changed), gzipSync(text));
      rmSync(path.join(dir, deleted));
      write(dir, inserted, gzipSync(logBody("evil")));
    });
    const report = await verifyTrailFolder(root, { publicKey, signatures });
    expect(report.ok).toBe(false);
    expect(report.modified.map((m) => [m.path, m.digest])).toEqual([[changed, digestName("11")]]);
    expect(report.missing).toEqual([{ s3Object: deleted, digest: digestName("12") }]);
    expect(report.unlisted).toEqual([inserted]);
    expect(report).toMatchObject({ validLogFiles: 4, chain: [], signatures: { valid: 3, invalid: [] } });
  });

  it("reports a log file whose gzip bytes were flipped", async () => {
    const changed = logName("1205", "h13m05");
    const root = tampered((dir) => {
      const bytes = readFileSync(path.join(dir, changed));
      bytes[bytes.length - 12] = (bytes[bytes.length - 12] ?? 0) ^ 0xff;
      writeFileSync(path.join(dir, changed), bytes);
    });
    const report = await verifyTrailFolder(root);
    expect(report.modified).toEqual([
      expect.objectContaining({ path: changed, actual: expect.stringMatching(/^not valid gzip|^[0-9a-f]{64}$/) }),
    ]);
  });

  it("reports a deleted digest as a broken chain, an edited one as modified with a bad signature", async () => {
    const gone = tampered((dir) => rmSync(path.join(dir, digestName("12"))));
    const broken = await verifyTrailFolder(gone, { publicKey, signatures });
    expect(broken.chain).toEqual([
      { path: digestName("13"), problem: `chain broken: the previous digest ${digestName("12")} is missing` },
    ]);
    expect(broken.unlisted).toHaveLength(2);
    const edited = tampered((dir) => {
      const file = path.join(dir, digestName("11"));
      const body = JSON.parse(gunzipSync(readFileSync(file)).toString());
      body.logFiles[0].hashValue = "0".repeat(64);
      writeFileSync(file, gzipSync(JSON.stringify(body)));
    });
    const report = await verifyTrailFolder(edited, { publicKey, signatures });
    expect(report.chain).toEqual([{ path: digestName("11"), problem: expect.stringMatching(/^digest modified/) }]);
    expect(report.signatures.invalid).toEqual([digestName("11")]);
    expect(report.modified.map((m) => m.path)).toEqual([logName("1005", "h11m05")]);
  });

  it("rejects signatures under another key, and counts later files as not yet covered", async () => {
    const other = generateKeyPairSync("rsa", { modulusLength: 2048 }).publicKey;
    const pkcs1 = other.export({ type: "pkcs1", format: "der" }).toString("base64");
    const wrongKey = await verifyTrailFolder(clean, { publicKey: pkcs1, signatures });
    expect(wrongKey.signatures.invalid).toHaveLength(3);
    expect(wrongKey.ok).toBe(false);
    const later = logName("1310", "later");
    const root = tampered((dir) => write(dir, later, gzipSync(logBody("later"))));
    const report = await verifyTrailFolder(root);
    expect(report).toMatchObject({ ok: true, uncovered: [later], unlisted: [] });
  });
});

const awsdocs = path.resolve(process.env.CATDATA_SAMPLES_DIR ?? "../shared/data", "cloudtrail/awsdocs-examples");

describe.skipIf(!existsSync(awsdocs))("the AWS user guide's digest examples", () => {
  it("reads the example digest and reports its log file missing and its chain outside the folder", async () => {
    const examples = JSON.parse(readFileSync(path.join(awsdocs, "awsdocs_extracted.json"), "utf8"));
    const digest = examples.digest[0].record;
    const root = mkdtempSync(path.join(os.tmpdir(), "catdata-awsdocs-"));
    write(root, digest.digestS3Object, gzipSync(JSON.stringify(digest)));
    const report = await verifyTrailFolder(root);
    expect(report).toMatchObject({ ok: false, digestFiles: 1, listedLogFiles: 1, chain: [] });
    expect(report.missing).toEqual([{ s3Object: digest.logFiles[0].s3Object, digest: digest.digestS3Object }]);
    expect(report.notices).toEqual([
      expect.stringMatching(/chain starts after .*20150817T140131Z\.json\.gz, not in this folder/),
    ]);
    const docsFolder = await verifyTrailFolder(awsdocs);
    expect(docsFolder).toMatchObject({ ok: false, digestFiles: 0 });
    expect(docsFolder.notices).toContain("no digest files found: nothing to verify the log files against");
  });
});
