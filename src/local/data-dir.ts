import path from "node:path";
import type { Dataset } from "../cats/model.js";

/**
 * The layout of CATDATA_HOME, known here and nowhere else. Local implementations of the ports take
 * the folder or file they own from this object (a `DataDir` is built once, by the runtime), so no
 * code below the composition root joins paths onto a bare home directory.
 *
 *   store/<bucket>/…                    the versioned, encrypted object store (raw uploads, audit trail)
 *   lake/<dataset>/municipality=…/fiscal_year=…/part-….parquet   the curated lake
 *   lake/catalog.json                   the lake catalog (its commit point)
 *   lake/.staging/<job>/                a job's Parquet before commit
 *   lake/.s3/                           with the lake in S3: local staging and the parts' download cache
 *   lake/trail/                         the CloudTrail lake (events/ parts, manifest)
 *   lake/.s3/trail-cache/               with the trail lake in S3: the parts' download cache
 *   jobs/                               ETL job records, quarantine, dead letters, locks
 *   models/behaviour.json               the trained behaviour model
 *   keys/                               token signing keys, the trail's digest signing key
 *   audit-spool/                        audit records not yet delivered into the trail (JSON lines)
 *   users.json, sign-in-failures.json, refresh-tokens.json   the local user pool
 *   queries/saved.json                  saved queries
 *   warehouse/                          the DuckDB marts files
 */
export class DataDir {
  readonly root: string;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  private at(...parts: string[]): string {
    return path.join(this.root, ...parts);
  }

  get store(): string {
    return this.at("store");
  }

  get lake() {
    const root = this.at("lake");
    return {
      root,
      catalog: path.join(root, "catalog.json"),
      staging: path.join(root, ".staging"),
      /** Scratch space of a lake kept in S3 (its staging and download cache). */
      s3Scratch: path.join(root, ".s3"),
      dataset: (dataset: Dataset) => path.join(root, dataset),
    };
  }

  get trail() {
    const root = this.at("lake", "trail");
    return {
      root,
      events: path.join(root, "events"),
      manifest: path.join(root, "manifest.json"),
      sources: path.join(root, "sources"),
      /** With the trail lake in S3: the parts' local download cache (parts are immutable). */
      s3Cache: this.at("lake", ".s3", "trail-cache"),
    };
  }

  get jobs() {
    const root = this.at("jobs");
    return {
      root,
      locks: path.join(root, "locks"),
      deadLetter: path.join(root, "dead-letter.jsonl"),
      /** The index of succeeded jobs by content: `by-sha256/<sha256>/<jobId>` (empty files). */
      bySha256: path.join(root, "by-sha256"),
    };
  }

  get models() {
    const root = this.at("models");
    return { root, behaviour: path.join(root, "behaviour.json") };
  }

  get keys() {
    const root = this.at("keys");
    return {
      root,
      tokenSigning: path.join(root, "signing-keys.json"),
      trailSigningPrivate: path.join(root, "trail-signing.pem"),
      trailSigningPublic: path.join(root, "trail-signing.pub.pem"),
    };
  }

  get users() {
    return {
      users: this.at("users.json"),
      signInFailures: this.at("sign-in-failures.json"),
      refreshTokens: this.at("refresh-tokens.json"),
    };
  }

  /** Audit records between their response and their delivery into the trail (the server's `FileSpool`). */
  get auditSpool(): string {
    return this.at("audit-spool");
  }

  get savedQueries(): string {
    return this.at("queries", "saved.json");
  }

  get warehouse(): string {
    return this.at("warehouse");
  }
}
