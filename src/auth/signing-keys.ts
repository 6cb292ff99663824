import { mkdir, readFile, rename, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { exportJWK, generateKeyPair, type JWK } from "jose";

/**
 * The RS256 signing keys, in `<home>/keys/signing-keys.json` (mode 0600), oldest first. A key is
 * published from its creation, signs from `activatesAt` until `retiredAt` (when the next one
 * activates), and stays published until every token it signed has expired. Files from before
 * rotation (neither field) read as: each key active from creation until the next was created.
 */
export interface SigningKey {
  kid: string;
  privateJwk: JWK;
  publicJwk: JWK;
  createdAt: string;
  /** When it starts signing (published before, so that cached key sets already hold it); default createdAt. */
  activatesAt?: string | null;
  /** When a newer key took over signing; null while no newer key is scheduled. */
  retiredAt?: string | null;
}

export const signingKeysFile = (home: string) => path.join(home, "keys", "signing-keys.json");

export async function newSigningKey(now: Date, activatesAt?: Date): Promise<SigningKey> {
  const { publicKey, privateKey } = await generateKeyPair("RS256", { extractable: true });
  return {
    kid: crypto.randomUUID(),
    privateJwk: await exportJWK(privateKey),
    publicJwk: await exportJWK(publicKey),
    createdAt: now.toISOString(),
    activatesAt: (activatesAt ?? now).toISOString(),
    retiredAt: null,
  };
}

/** Reads the keys and the file's modification time; `undefined` when there is no file yet. */
export async function readSigningKeys(file: string): Promise<{ keys: SigningKey[]; mtimeMs: number } | undefined> {
  try {
    const [text, info] = await Promise.all([readFile(file, "utf8"), stat(file)]);
    return { keys: JSON.parse(text) as SigningKey[], mtimeMs: info.mtimeMs };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new Error(`cannot read the signing keys ${file}: ${(error as Error).message}`, { cause: error });
  }
}

export async function fileTime(file: string): Promise<number> {
  return (await stat(file).catch(() => undefined))?.mtimeMs ?? 0;
}

export async function writeSigningKeys(file: string, keys: SigningKey[]): Promise<number> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(keys), { mode: 0o600 });
  await rename(tmp, file);
  return fileTime(file);
}

export const activation = (key: SigningKey) => Date.parse(key.activatesAt ?? key.createdAt);

/** Whether `key` is published at `now`: not yet retired, or tokens it signed may still be unexpired. */
export function stillPublished(key: SigningKey, now: Date, ttlSeconds: number): boolean {
  if (!key.retiredAt) return true;
  return Date.parse(key.retiredAt) + ttlSeconds * 1000 > now.getTime();
}
