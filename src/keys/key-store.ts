import type { SigningKey } from "./token-signing-keys.js";
import type { SigningKey as TrailSigningKey } from "./trail-signing-key.js";

/**
 * The key store port: the platform's own private keys.
 * - the token signing key set (rotating RS256 keys, oldest first; see `signing-keys.ts`), read and
 *   written whole by the `TokenIssuer`, with a revision that changes on every write so that an
 *   issuer picks up a rotation made by another process (`catdata users rotate-keys`);
 * - the audit trail's digest signing key pair (RSA 2048, see `src/audit/signing-key.ts`), created
 *   on first use, its public half readable on its own for `catdata audit verify`.
 * Implementations: `LocalKeyStore` (`local-key-store.ts`, files in the data directory, mode 0600);
 * in AWS, Secrets Manager / KMS would be the other one, to come.
 */
export interface TokenKeys {
  keys: SigningKey[];
  /** Changes whenever the keys are written (any process). */
  revision: string;
}

export interface KeyStore {
  /** The token signing keys, or undefined when none were ever written. */
  readTokenKeys(): Promise<TokenKeys | undefined>;
  /** The revision of the token signing keys now (cheap; "" when there are none). */
  tokenKeysRevision(): Promise<string>;
  /** Replaces the token signing keys; returns the new revision. */
  writeTokenKeys(keys: SigningKey[]): Promise<string>;
  /** The trail's digest signing key, created (with its exported public half) on first use. */
  trailSigningKey(): Promise<TrailSigningKey>;
  /** The trail's public key (SPKI PEM), or undefined when no key was created yet. */
  trailPublicKey(): Promise<string | undefined>;
}
