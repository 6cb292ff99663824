import { createPrivateKey, generateKeyPair } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import { promisify } from "node:util";
import { writeFileAtomic } from "../local/atomic-write.js";
import type { DataDir } from "../local/data-dir.js";
import { KeyedQueue } from "../local/key-queue.js";
import type { KeyStore, TokenKeys } from "./key-store.js";
import type { SigningKey } from "./token-signing-keys.js";
import { type SigningKey as TrailSigningKey, toSigningKey } from "./trail-signing-key.js";

const generate = promisify(generateKeyPair);
const missing = (error: unknown) => (error as NodeJS.ErrnoException).code === "ENOENT";

/**
 * The key store on local disk, in `DataDir.keys` (folder 0700, files 0600, written atomically):
 * `signing-keys.json` (the token keys; its revision is the file's modification time, so another
 * process's rotation shows), `trail-signing.pem` (PKCS#8) and `trail-signing.pub.pem` (SPKI).
 */
export class LocalKeyStore implements KeyStore {
  private readonly files: DataDir["keys"];
  private readonly queue = new KeyedQueue();

  constructor(dataDir: DataDir) {
    this.files = dataDir.keys;
  }

  async readTokenKeys(): Promise<TokenKeys | undefined> {
    const file = this.files.tokenSigning;
    try {
      const [text, info] = await Promise.all([readFile(file, "utf8"), stat(file)]);
      return { keys: JSON.parse(text) as SigningKey[], revision: String(info.mtimeMs) };
    } catch (error) {
      if (missing(error)) return undefined;
      throw new Error(`cannot read the signing keys ${file}: ${(error as Error).message}`, { cause: error });
    }
  }

  async tokenKeysRevision(): Promise<string> {
    const info = await stat(this.files.tokenSigning).catch(() => undefined);
    return info ? String(info.mtimeMs) : "";
  }

  async writeTokenKeys(keys: SigningKey[]): Promise<string> {
    await writeFileAtomic(this.files.tokenSigning, JSON.stringify(keys));
    return this.tokenKeysRevision();
  }

  /** One creation at a time, so two first uses in one process agree on the key. */
  trailSigningKey(): Promise<TrailSigningKey> {
    return this.queue.run("trail", async () => {
      const existing = await readFile(this.files.trailSigningPrivate, "utf8").catch((error: unknown) => {
        if (missing(error)) return undefined;
        throw error;
      });
      const key = existing ? toSigningKey(createPrivateKey(existing)) : await this.createTrailKey();
      await writeFileAtomic(this.files.trailSigningPublic, key.publicKeyPem);
      return key;
    });
  }

  trailPublicKey(): Promise<string | undefined> {
    return readFile(this.files.trailSigningPublic, "utf8").catch(() => undefined);
  }

  private async createTrailKey(): Promise<TrailSigningKey> {
    const { privateKey } = await generate("rsa", { modulusLength: 2048 });
    await writeFileAtomic(this.files.trailSigningPrivate, privateKey.export({ type: "pkcs8", format: "pem" }));
    return toSigningKey(privateKey);
  }
}
