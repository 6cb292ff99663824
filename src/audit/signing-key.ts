import { createHash, createPrivateKey, createPublicKey, generateKeyPair, type KeyObject } from "node:crypto";
import { chmod, mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";

/**
 * The trail's digest signing key (CloudTrail's per-region private key): RSA 2048, kept in
 * `<home>/keys/trail-signing.pem` (PKCS#8, mode 0600), its public half exported beside it as
 * `trail-signing.pub.pem` (SPKI) for `catdata audit verify` or anyone checking the trail.
 * The fingerprint is the MD5 (hex) of the PKCS#1 DER public key — the form CloudTrail's
 * ListPublicKeys returns the key in — so it has the shape of CloudTrail's `digestPublicKeyFingerprint`.
 */
export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  publicKeyPem: string;
  fingerprint: string;
}

export const signingKeyPaths = (home: string) => ({
  privateKey: path.join(home, "keys", "trail-signing.pem"),
  publicKey: path.join(home, "keys", "trail-signing.pub.pem"),
});

export function toSigningKey(privateKey: KeyObject): SigningKey {
  const publicKey = createPublicKey(privateKey);
  const der = publicKey.export({ type: "pkcs1", format: "der" });
  return {
    privateKey,
    publicKey,
    publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
    fingerprint: createHash("md5").update(der).digest("hex"),
  };
}

const generate = promisify(generateKeyPair);

/** Loads the signing key, creating it (and the exported public key) on first use. */
export async function loadOrCreateSigningKey(home: string): Promise<SigningKey> {
  const paths = signingKeyPaths(home);
  const existing = await readFile(paths.privateKey, "utf8").catch(() => undefined);
  if (existing !== undefined) {
    const key = toSigningKey(createPrivateKey(existing));
    await writeFile(paths.publicKey, key.publicKeyPem);
    return key;
  }
  const { privateKey } = await generate("rsa", { modulusLength: 2048 });
  const key = toSigningKey(privateKey);
  await mkdir(path.dirname(paths.privateKey), { recursive: true, mode: 0o700 });
  const tmp = `${paths.privateKey}.tmp`;
  await writeFile(tmp, privateKey.export({ type: "pkcs8", format: "pem" }), { mode: 0o600 });
  await chmod(tmp, 0o600);
  await rename(tmp, paths.privateKey);
  await writeFile(paths.publicKey, key.publicKeyPem);
  return key;
}

/** The exported public key, when this home has one. */
export const readPublicKey = (home: string): Promise<string | undefined> =>
  readFile(signingKeyPaths(home).publicKey, "utf8").catch(() => undefined);
