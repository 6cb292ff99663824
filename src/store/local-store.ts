import { createHash } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, readdir, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { notFound } from "../errors.js";
import { moveIntoPlace, writeFileAtomic } from "../local/atomic-write.js";
import { DecryptStream, EncryptStream } from "./envelope.js";
import {
  assertValidKey,
  type ObjectCreatedEvent,
  type ObjectStore,
  type ObjectVersion,
  objectCreatedEvent,
  type PutListener,
  type PutOptions,
  readVerified,
} from "./object-store.js";
import { newVersionId } from "./version-id.js";

interface StoredMeta extends Omit<ObjectVersion, "isLatest"> {
  metadata: Record<string, string>;
}

/**
 * The default object store: a versioned, encrypted bucket on local disk.
 * Layout: `<root>/<bucket>/<encoded key>/<versionId>.obj` (ciphertext) + `<versionId>.json` (metadata).
 * Every write goes to a temp file first and is renamed into place, so a crash never leaves a
 * half-written version visible; a version's metadata is written last and is what makes it exist.
 */
export class LocalObjectStore implements ObjectStore {
  private readonly listeners = new Set<PutListener>();
  private readonly dir: string;

  constructor(
    root: string,
    readonly bucket: string,
    private readonly masterKey: Buffer,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.dir = path.join(root, bucket);
  }

  private keyDir(key: string): string {
    const encoded = encodeURIComponent(key);
    const name = encoded.length <= 200 ? encoded : `h-${createHash("sha256").update(key).digest("hex")}`;
    return path.join(this.dir, name);
  }

  async put(key: string, body: Buffer | Readable, options: PutOptions = {}): Promise<ObjectVersion> {
    assertValidKey(key);
    const versionId = newVersionId(() => this.now().getTime());
    const dir = this.keyDir(key);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const tmp = path.join(dir, `.${versionId}.tmp`);
    const encrypt = new EncryptStream(this.masterKey, versionId);
    try {
      await pipeline(
        Buffer.isBuffer(body) ? Readable.from([body]) : body,
        encrypt,
        createWriteStream(tmp, { flags: "wx", mode: 0o600 }),
      );
      await moveIntoPlace(tmp, path.join(dir, `${versionId}.obj`));
    } catch (error) {
      await rm(tmp, { force: true });
      throw error;
    }
    const meta: StoredMeta = {
      key,
      versionId,
      size: encrypt.size,
      sha256: encrypt.sha256(),
      createdAt: this.now().toISOString(),
      contentType: options.contentType,
      deleteMarker: false,
      metadata: options.metadata ?? {},
    };
    await this.writeMeta(dir, meta);
    const version = { ...meta, isLatest: true };
    await this.emit(version, "ObjectCreated:Put");
    return version;
  }

  private async writeMeta(dir: string, meta: StoredMeta): Promise<void> {
    await writeFileAtomic(path.join(dir, `${meta.versionId}.json`), JSON.stringify(meta));
  }

  private async readVersions(key: string): Promise<StoredMeta[]> {
    let names: string[];
    try {
      names = await readdir(this.keyDir(key));
    } catch {
      return [];
    }
    const ids = names
      .filter((n) => n.endsWith(".json") && !n.startsWith("."))
      .sort()
      .reverse();
    return Promise.all(
      ids.map(async (n) => JSON.parse(await readFile(path.join(this.keyDir(key), n), "utf8")) as StoredMeta),
    );
  }

  async listVersions(key: string): Promise<ObjectVersion[]> {
    assertValidKey(key);
    return (await this.readVersions(key)).map((m, i) => ({ ...m, isLatest: i === 0 }));
  }

  async head(key: string, versionId?: string): Promise<ObjectVersion> {
    const versions = await this.listVersions(key);
    const found = versionId === undefined ? versions[0] : versions.find((v) => v.versionId === versionId);
    if (!found || (versionId === undefined && found.deleteMarker)) {
      throw notFound(
        versionId === undefined ? `no object ${key} in ${this.bucket}` : `no version ${versionId} of ${key}`,
        "list what exists with `catdata versions <key>`",
      );
    }
    if (found.deleteMarker) throw notFound(`version ${versionId} of ${key} is a delete marker`);
    return found;
  }

  async getStream(key: string, versionId?: string): Promise<Readable> {
    const version = await this.head(key, versionId);
    const file = path.join(this.keyDir(key), `${version.versionId}.obj`);
    const decrypt = new DecryptStream(this.masterKey, version.versionId, version.sha256);
    const source = createReadStream(file);
    source.on("error", (error) => decrypt.destroy(error));
    return source.pipe(decrypt);
  }

  async get(key: string, versionId?: string): Promise<Buffer> {
    return readVerified(await this.getStream(key, versionId), key, versionId);
  }

  async list(prefix: string): Promise<ObjectVersion[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch {
      return [];
    }
    const out: ObjectVersion[] = [];
    for (const name of names.sort()) {
      if (name.startsWith(".")) continue;
      const key = name.startsWith("h-") ? undefined : decodeURIComponent(name);
      if (key !== undefined && !key.startsWith(prefix)) continue;
      const latest = (await this.readVersionsInDir(path.join(this.dir, name)))[0];
      if (latest && !latest.deleteMarker && latest.key.startsWith(prefix)) out.push({ ...latest, isLatest: true });
    }
    return out.sort((a, b) => a.key.localeCompare(b.key));
  }

  private async readVersionsInDir(dir: string): Promise<StoredMeta[]> {
    const names = (await readdir(dir))
      .filter((n) => n.endsWith(".json") && !n.startsWith("."))
      .sort()
      .reverse();
    const first = names[0];
    return first ? [JSON.parse(await readFile(path.join(dir, first), "utf8")) as StoredMeta] : [];
  }

  async restore(key: string, versionId: string): Promise<ObjectVersion> {
    const old = await this.head(key, versionId);
    const body = await this.getStream(key, versionId);
    const options: PutOptions = { metadata: { ...(await this.metaOf(key, versionId)), restoredFrom: versionId } };
    if (old.contentType !== undefined) options.contentType = old.contentType;
    return this.put(key, body, options);
  }

  private async metaOf(key: string, versionId: string): Promise<Record<string, string>> {
    return (await this.readVersions(key)).find((m) => m.versionId === versionId)?.metadata ?? {};
  }

  async delete(key: string): Promise<ObjectVersion> {
    await this.head(key);
    const dir = this.keyDir(key);
    const meta: StoredMeta = {
      key,
      versionId: newVersionId(() => this.now().getTime()),
      size: 0,
      sha256: "",
      createdAt: this.now().toISOString(),
      contentType: undefined,
      deleteMarker: true,
      metadata: {},
    };
    await this.writeMeta(dir, meta);
    return { ...meta, isLatest: true };
  }

  onPut(listener: PutListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Awaits each listener, so a put returns only once its event is taken in: listeners must be FAST
   * (the runtime's records a queued job and returns; the ETL runs on the job queue, never inside put).
   */
  private async emit(version: ObjectVersion, eventName: ObjectCreatedEvent["eventName"]): Promise<void> {
    const event = objectCreatedEvent(this.bucket, version, { eventName });
    for (const listener of this.listeners) await listener(event);
  }
}
