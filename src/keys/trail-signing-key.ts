import { createHash, createPublicKey, type KeyObject } from "node:crypto";

/**
 * The trail's digest signing key (CloudTrail's per-region private key): RSA 2048, kept by the key
 * store (`KeyStore.trailSigningKey()`, `src/auth/key-store.ts`), its public half exported for
 * `catdata audit verify` or anyone checking the trail. The fingerprint is the MD5 (hex) of the
 * PKCS#1 DER public key — the form CloudTrail's ListPublicKeys returns the key in — so it has the
 * shape of CloudTrail's `digestPublicKeyFingerprint`. Pure.
 */
export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  publicKeyPem: string;
  fingerprint: string;
}

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
