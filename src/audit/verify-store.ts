import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import type { ObjectStore, ObjectVersion } from "../store/object-store.js";
import { type DigestVerification, verifyTrailFolder } from "../trail/digest/digest.js";
import { exportTrail } from "./store-source.js";
import { TRAIL_PREFIX } from "./trail-keys.js";

/**
 * `catdata audit verify`: the platform's own trail, checked where it lives. The latest version of
 * every object under `AWSLogs/` is exported to a temporary folder and checked by the CloudTrail
 * digest validator (`verifyTrailFolder`: hashes, chain, signatures — the signatures taken from the
 * digests' store metadata). The store then says more than a folder can: a file whose encrypted
 * bytes fail the store's own check is *modified*; a missing file with a delete marker is *deleted*
 * (and restorable); a file no digest lists is *inserted* when a digest was written after it, and
 * only *pending* when it is newer than the newest digest.
 */
export interface StoreVerification {
  bucket: string;
  ok: boolean;
  digestFiles: number;
  logFiles: number;
  validLogFiles: number;
  modified: { key: string; reason: string }[];
  deleted: { key: string; kind: "log file" | "digest"; reason: string }[];
  inserted: { key: string; reason: string }[];
  /** Log files newer than the newest digest: the next digest will list them. */
  pending: string[];
  chain: { key: string; problem: string }[];
  signatures: DigestVerification["signatures"];
  notices: string[];
}

const isDigestKey = (key: string) => key.includes("/CloudTrail-Digest/");

export async function verifyStoreTrail(
  store: ObjectStore,
  options: { publicKey?: string; prefix?: string } = {},
): Promise<StoreVerification> {
  const prefix = options.prefix ?? TRAIL_PREFIX;
  const folder = await mkdtemp(path.join(os.tmpdir(), "catdata-audit-verify-"));
  try {
    const exported = await exportTrail(store, folder, prefix);
    const report = await verifyTrailFolder(folder, {
      ...(options.publicKey ? { publicKey: options.publicKey } : {}),
      signatures: exported.signatures,
    });
    const latest = new Map((await store.list(prefix)).map((v) => [v.key, v]));
    const broken = new Map(exported.unreadable.map((u) => [u.key, `the store's integrity check failed: ${u.reason}`]));
    const out: StoreVerification = {
      bucket: store.bucket,
      ok: false,
      digestFiles: report.digestFiles,
      logFiles: report.logFiles,
      validLogFiles: report.validLogFiles,
      modified: [],
      deleted: [],
      inserted: [],
      pending: [],
      chain: [],
      signatures: report.signatures,
      notices: [...report.notices],
    };
    for (const c of report.chain) {
      if (c.problem.startsWith("digest modified")) {
        out.modified.push({ key: c.path, reason: c.problem + (await history(store, c.path)) });
      } else out.chain.push({ key: c.path, problem: c.problem });
    }
    for (const key of report.signatures.unchecked) {
      out.chain.push({ key, problem: "no signature: neither its metadata nor the next digest carries one" });
    }
    for (const m of report.modified) {
      const reason = `its SHA-256 ${m.actual.slice(0, 12)}… differs from ${m.expected.slice(0, 12)}… in ${m.digest}`;
      out.modified.push({ key: m.path, reason: reason + (await history(store, m.path)) });
    }
    for (const m of report.missing) {
      const integrity = broken.get(m.s3Object);
      if (integrity) out.modified.push({ key: m.s3Object, reason: integrity });
      else out.deleted.push({ key: m.s3Object, kind: "log file", reason: await deletion(store, m.s3Object) });
    }
    const orphaned = await checkDigestLinks(store, folder, latest, broken, out);
    const digestTimes = [...latest.values()].filter((v) => isDigestKey(v.key)).map((v) => v.createdAt);
    const newestDigest = digestTimes.sort().at(-1) ?? "";
    for (const key of [...report.unlisted, ...report.uncovered].sort()) {
      const listedIn = orphaned.get(key);
      if (listedIn) out.notices.push(`${key}: listed only in the deleted digest ${listedIn}, not verified`);
      else if ((latest.get(key)?.createdAt ?? "") > newestDigest) out.pending.push(key);
      else out.inserted.push({ key, reason: "in no digest, although a digest was written after it" });
    }
    for (const [key, reason] of broken) {
      if (isDigestKey(key) && !out.modified.some((m) => m.key === key)) out.modified.push({ key, reason });
    }
    out.ok =
      report.digestFiles > 0 &&
      out.modified.length + out.deleted.length + out.inserted.length + out.chain.length === 0 &&
      out.signatures.invalid.length === 0;
    return out;
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

/**
 * Digests a present digest points back to but the store no longer returns: deleted (or failing
 * the store's check). Returns the log files those deleted digests listed (from their last version).
 */
async function checkDigestLinks(
  store: ObjectStore,
  folder: string,
  latest: Map<string, ObjectVersion>,
  broken: Map<string, string>,
  out: StoreVerification,
): Promise<Map<string, string>> {
  const orphaned = new Map<string, string>();
  for (const key of latest.keys()) {
    if (!isDigestKey(key) || broken.has(key)) continue;
    const body = await readJson(path.join(folder, ...key.split("/")));
    const previous = typeof body?.previousDigestS3Object === "string" ? body.previousDigestS3Object : undefined;
    if (previous === undefined || latest.has(previous)) continue;
    if (broken.has(previous)) {
      out.modified.push({ key: previous, reason: broken.get(previous) ?? "" });
      continue;
    }
    out.deleted.push({ key: previous, kind: "digest", reason: await deletion(store, previous) });
    const last = (await store.listVersions(previous).catch(() => [])).find((v) => !v.deleteMarker);
    if (!last) continue;
    const old = JSON.parse(gunzipSync(await store.get(previous, last.versionId)).toString("utf8")) as {
      logFiles?: { s3Object?: string }[];
    };
    for (const f of old.logFiles ?? []) if (f.s3Object) orphaned.set(f.s3Object, previous);
  }
  return orphaned;
}

async function readJson(file: string): Promise<Record<string, unknown> | undefined> {
  try {
    return JSON.parse(gunzipSync(await readFile(file)).toString("utf8")) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

async function deletion(store: ObjectStore, key: string): Promise<string> {
  const versions = await store.listVersions(key).catch(() => []);
  const marker = versions[0]?.deleteMarker ? versions[0] : undefined;
  const earlier = versions.find((v) => !v.deleteMarker);
  if (!marker) return "no trace of it in the store";
  return earlier
    ? `deleted at ${marker.createdAt} (delete marker); version ${earlier.versionId} is restorable`
    : `deleted at ${marker.createdAt} (delete marker)`;
}

async function history(store: ObjectStore, key: string): Promise<string> {
  const versions = (await store.listVersions(key).catch(() => [])).filter((v) => !v.deleteMarker);
  const original = versions.at(-1);
  if (versions.length < 2 || !original) return "";
  return `; overwritten: ${versions.length} versions in the store, the original ${original.versionId} is restorable`;
}
