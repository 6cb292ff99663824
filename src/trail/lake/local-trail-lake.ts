import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { moveIntoPlace, writeFileAtomic } from "../../local/atomic-write.js";
import type { DataDir } from "../../local/data-dir.js";
import { digestFile, type FileDigest } from "../../local/file-digest.js";
import { KeyedQueue } from "../../local/key-queue.js";
import { VerifiedFiles } from "../../local/verified-files.js";
import {
  emptyS3ObjectManifest,
  parseS3ObjectManifest,
  renderS3ObjectManifest,
  type S3ObjectManifest,
} from "../sources/s3-object-manifest.js";
import { emptyManifest, type ManifestEntry, parseManifest, renderManifest, type TrailManifest } from "./manifest.js";
import { partName, partsFingerprint } from "./parts-fingerprint.js";
import type { PartsFingerprint, TrailLake, TrailPartProblem } from "./trail-lake.js";
import {
  addCommitted,
  type CommittedPart,
  checkParts,
  committedParts,
  missingPart,
  refuseDamaged,
  trailPartProblem,
  unrecorded,
} from "./trail-part-integrity.js";

/**
 * The trail lake under CATDATA_HOME (`DataDir.trail`): `events/part-<sha256>.parquet`, the manifest
 * `manifest.json` and `sources/s3-objects.json`, each replaced atomically. Parquet (not a DuckDB
 * file) so that the server and the CLI can read at the same time. Manifest updates are serialised
 * within this object. Readers get the parts the manifest names, each checked against the SHA-256
 * and size recorded in its entry (`VerifiedFiles`, owned by this object).
 */
export class LocalTrailLake implements TrailLake {
  readonly location: string;
  readonly stagingDir: string;
  private readonly queue = new KeyedQueue();
  /** Parts already hashed, per file version (owned here: two lakes never share it). */
  private readonly checked = new VerifiedFiles();
  /** Digests of parts stored by `putPart`, by sha256, until `addEntries` records them. */
  private readonly stored = new Map<string, FileDigest>();

  constructor(private readonly dir: DataDir["trail"]) {
    this.location = dir.root;
    this.stagingDir = dir.events;
  }

  async readManifest(): Promise<TrailManifest> {
    const text = await readText(this.dir.manifest);
    return text === undefined ? emptyManifest() : parseManifest(text, this.dir.manifest);
  }

  addEntries(entries: readonly ManifestEntry[]): Promise<void> {
    return this.queue.run("manifest", async () => {
      const manifest = addCommitted(await this.readManifest(), entries, this.stored);
      await writeFileAtomic(this.dir.manifest, renderManifest(manifest));
    });
  }

  async putPart(sha256: string, file: string): Promise<void> {
    const digest = await digestFile(file);
    const target = path.join(this.dir.events, partName(sha256));
    await moveIntoPlace(file, target);
    this.checked.forget(target);
    this.stored.set(sha256, digest);
  }

  async parts(): Promise<string[]> {
    const parts = committedParts(await this.readManifest());
    refuseDamaged(await checkParts(parts, (part) => this.check(part)));
    return parts.map((part) => this.pathOf(part));
  }

  async fingerprint(): Promise<PartsFingerprint> {
    return partsFingerprint(committedParts(await this.readManifest()).map((part) => part.name));
  }

  async checkPart(entry: ManifestEntry): Promise<TrailPartProblem | undefined> {
    if (entry.records === 0) return undefined;
    const part = { name: partName(entry.sha256), entry };
    return this.check(part);
  }

  async verify(): Promise<TrailPartProblem[]> {
    const parts = committedParts(await this.readManifest());
    return checkParts(
      parts,
      async (part) => (await this.check(part, true)) ?? (part.entry.part ? undefined : unrecorded(part)),
    );
  }

  private pathOf = (part: CommittedPart) => path.join(this.dir.events, part.name);

  /** A part without a recorded digest (an older manifest) is only checked to exist. */
  private async check(part: CommittedPart, fresh = false): Promise<TrailPartProblem | undefined> {
    const file = this.pathOf(part);
    if (part.entry.part) return trailPartProblem(part, await this.checked.check(file, part.entry.part, { fresh }));
    const exists = await stat(file).then(
      () => true,
      () => false,
    );
    return exists ? undefined : missingPart(part);
  }

  async readSourceObjects(): Promise<S3ObjectManifest> {
    const file = this.sourceObjectsFile;
    const text = await readText(file);
    return text === undefined ? emptyS3ObjectManifest() : parseS3ObjectManifest(text, file);
  }

  async writeSourceObjects(manifest: S3ObjectManifest): Promise<void> {
    await writeFileAtomic(this.sourceObjectsFile, renderS3ObjectManifest(manifest));
  }

  private get sourceObjectsFile(): string {
    return path.join(this.dir.sources, "s3-objects.json");
  }
}

async function readText(file: string): Promise<string | undefined> {
  return readFile(file, "utf8").catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return undefined;
    throw error;
  });
}
