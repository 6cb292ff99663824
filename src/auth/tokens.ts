import { importJWK, type JSONWebKeySet, SignJWT } from "jose";
import type { KeyStore } from "../keys/key-store.js";
import { activation, newSigningKey, type SigningKey, stillPublished } from "../keys/token-signing-keys.js";
import { type Clock, systemClock } from "./clock.js";
import type { User } from "./user-pool.js";

export { type Claims, createVerifier, type VerifierOptions } from "./verifier.js";

export interface TokenIssuerOptions {
  /** Lifetime of ID and access tokens (default 3600 s, as Cognito's default). */
  ttlSeconds?: number;
  clock?: Clock;
  clientId?: string;
  /** Between publishing a rotated key and signing with it (default 300 s). */
  rotationLeadSeconds?: number;
}

/** How long verifiers may cache `/.well-known/jwks.json` (its Cache-Control), and the default rotation lead. */
export const JWKS_MAX_AGE_SECONDS = 300;

/**
 * Tokens shaped like Cognito's: an ID token and an access token (RS256, `kid` in the header), with
 * `iss`, `token_use`, `cognito:username`, `cognito:groups` and `custom:municipality`, valid 1 hour.
 * The public keys are served at `/.well-known/jwks.json`, so one verifier accepts these and real
 * Cognito tokens alike. `rotate()` publishes a new key at once and signs with it after a lead time
 * (default 5 min, the JWKS cache lifetime), so verifiers with a cached key set already hold it; the
 * previous keys stay in the JWKS until the tokens they signed have expired, and are then dropped.
 */
export class TokenIssuer {
  private constructor(
    readonly issuer: string,
    readonly clientId: string,
    readonly ttlSeconds: number,
    private readonly leadSeconds: number,
    private readonly store: KeyStore,
    private readonly clock: Clock,
    private keys: SigningKey[],
    private revision: string,
  ) {}

  /** Loads the signing keys from the key store, creating the first one if needed. */
  static async open(store: KeyStore, issuer: string, options: TokenIssuerOptions = {}): Promise<TokenIssuer> {
    const clock = options.clock ?? systemClock;
    const stored = await store.readTokenKeys();
    const keys = stored?.keys.length ? normalise(stored.keys) : [await newSigningKey(clock())];
    const revision = stored?.keys.length ? stored.revision : await store.writeTokenKeys(keys);
    return new TokenIssuer(
      issuer,
      options.clientId ?? "catdata-local",
      options.ttlSeconds ?? 3600,
      options.rotationLeadSeconds ?? JWKS_MAX_AGE_SECONDS,
      store,
      clock,
      keys,
      revision,
    );
  }

  /** The public keys: the signing one, a scheduled next one, and retired ones whose tokens may be unexpired. */
  jwks(): JSONWebKeySet {
    const now = this.clock();
    return {
      keys: this.keys
        .filter((k) => stillPublished(k, now, this.ttlSeconds))
        .map((k) => ({ ...k.publicJwk, kid: k.kid, alg: "RS256", use: "sig" })),
    };
  }

  /** Picks up a rotation made by another process (`catdata users rotate-keys`) when the keys changed. */
  async reload(): Promise<void> {
    if ((await this.store.tokenKeysRevision()) === this.revision) return;
    const stored = await this.store.readTokenKeys();
    if (!stored?.keys.length) return;
    this.keys = normalise(stored.keys);
    this.revision = stored.revision;
  }

  /**
   * Publishes a new key that signs from `now + lead`, when the current one retires; drops keys whose
   * tokens have all expired.
   */
  async rotate(): Promise<{ kid: string; signsFrom: Date; published: string[]; dropped: string[] }> {
    await this.reload();
    const now = this.clock();
    const signsFrom = new Date(now.getTime() + this.leadSeconds * 1000);
    for (const key of this.keys) key.retiredAt ??= signsFrom.toISOString();
    const next = await newSigningKey(now, signsFrom);
    const dropped = this.keys.filter((k) => !stillPublished(k, now, this.ttlSeconds)).map((k) => k.kid);
    this.keys = [...this.keys.filter((k) => !dropped.includes(k.kid)), next];
    this.revision = await this.store.writeTokenKeys(this.keys);
    return { kid: next.kid, signsFrom, published: this.keys.map((k) => k.kid), dropped };
  }

  /** The key that signs at `now`: the newest one already active. */
  signingKey(now = this.clock()): SigningKey {
    const active = this.keys.filter((k) => activation(k) <= now.getTime());
    const key = active[active.length - 1] ?? this.keys[0];
    if (!key) throw new Error("no signing key");
    return key;
  }

  async issue(user: User, now = this.clock()): Promise<{ idToken: string; accessToken: string; expiresIn: number }> {
    await this.reload();
    const key = this.signingKey(now);
    const privateKey = await importJWK(key.privateJwk, "RS256");
    const iat = Math.floor(now.getTime() / 1000);
    const common = {
      "cognito:username": user.username,
      "cognito:groups": user.groups,
      ...(user.municipality ? { "custom:municipality": user.municipality } : {}),
    };
    const sign = (claims: Record<string, unknown>) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: "RS256", kid: key.kid })
        .setIssuer(this.issuer)
        .setSubject(user.sub)
        .setIssuedAt(iat)
        .setExpirationTime(iat + this.ttlSeconds)
        .setJti(crypto.randomUUID())
        .sign(privateKey);
    const idToken = await sign({ ...common, token_use: "id", aud: this.clientId, auth_time: iat });
    const accessToken = await sign({
      ...common,
      username: user.username,
      token_use: "access",
      client_id: this.clientId,
      scope: "aws.cognito.signin.user.admin",
      auth_time: iat,
    });
    return { idToken, accessToken, expiresIn: this.ttlSeconds };
  }
}

/** Files written before rotation existed: every key but the last counts as retired when the next was made. */
function normalise(keys: SigningKey[]): SigningKey[] {
  return keys.map((k, i) => ({
    ...k,
    activatesAt: k.activatesAt ?? k.createdAt,
    retiredAt: k.retiredAt ?? keys[i + 1]?.activatesAt ?? keys[i + 1]?.createdAt ?? null,
  }));
}
