import { exportJWK, generateKeyPair, type JWK } from "jose";

/**
 * The RS256 signing keys of the tokens, kept by the key store (`KeyStore`, `key-store.ts`), oldest first. A key is
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

export const activation = (key: SigningKey) => Date.parse(key.activatesAt ?? key.createdAt);

/** Whether `key` is published at `now`: not yet retired, or tokens it signed may still be unexpired. */
export function stillPublished(key: SigningKey, now: Date, ttlSeconds: number): boolean {
  if (!key.retiredAt) return true;
  return Date.parse(key.retiredAt) + ttlSeconds * 1000 > now.getTime();
}
