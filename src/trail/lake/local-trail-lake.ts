import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { moveIntoPlace, writeFileAtomic } from "../../local/atomic-write.js";
import type { DataDir } from "../../local/data-dir.js";
import { KeyedQueue } from "../../local/key-queue.js";
import {
  emptyS3ObjectManifest,
  parseS3ObjectManifest,
  renderS3ObjectManifest,
  type S3ObjectManifest,
} from "../sources/s3-object-manifest.js";
import { emptyManifest, type ManifestEntry, parseManifest, renderManifest, type TrailManifest } from "./manifest.js";
import { isPartName, partName, partsFingerprint } from "./parts-fingerprint.js";
import type { PartsFingerprint, TrailLake } from "./trail-lake.js";

/**
 * The trail lake under CATDATA_HOME (`DataDir.trail`): `events/part-<sha256>.parquet`, the manifest
 * `manifest.json` and `sources/s3-objects.json`, each replaced atomically. Parquet (not a DuckDB
 * file) so that the server and the CLI can read at the same time. Manifest updates are serialised
 * within this object.
 */
export class LocalTrailLake implements TrailLake {
  readonly location: string;
  readonly stagingDir: string;
  private readonly queue = new KeyedQueue();

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
      const manifest = await this.readManifest();
      manifest.files.push(...entries);
      await writeFileAtomic(this.dir.manifest, renderManifest(manifest));
    });
  }

  async putPart(sha256: string, file: string): Promise<void> {
    await moveIntoPlace(file, path.join(this.dir.events, partName(sha256)));
  }

  async parts(): Promise<string[]> {
    const names = await readdir(this.dir.events).catch(() => [] as string[]);
    return names
      .filter(isPartName)
      .sort()
      .map((name) => path.join(this.dir.events, name));
  }

  async fingerprint(): Promise<PartsFingerprint> {
    return partsFingerprint(await this.parts());
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
