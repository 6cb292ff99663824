import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import {
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JSONWebKeySet,
  type JWK,
  jwtVerify,
  SignJWT,
} from "jose";
import { CatdataError } from "../errors.js";
import type { Group, User } from "./user-pool.js";

/**
 * Tokens shaped like Cognito's: an ID token and an access token (RS256, `kid` in the header), with
 * `iss`, `token_use`, `cognito:username`, `cognito:groups` and `custom:municipality`. The public keys
 * are served at `/.well-known/jwks.json`, so one verifier accepts these and real Cognito tokens alike.
 */
export interface Claims {
  sub: string;
  username: string;
  groups: Group[];
  municipality: string | null;
  tokenUse: "id" | "access";
}

interface StoredKey {
  kid: string;
  privateJwk: JWK;
  publicJwk: JWK;
  createdAt: string;
}

export class TokenIssuer {
  private constructor(
    readonly issuer: string,
    readonly clientId: string,
    private readonly keys: StoredKey[],
    private readonly ttlSeconds: number,
  ) {}

  /** Loads the signing keys from `<home>/keys/signing-keys.json`, creating the first one if needed. */
  static async open(home: string, issuer: string, ttlSeconds = 3600): Promise<TokenIssuer> {
    const file = path.join(home, "keys", "signing-keys.json");
    let keys: StoredKey[];
    try {
      keys = JSON.parse(await readFile(file, "utf8")) as StoredKey[];
    } catch {
      keys = [await newKey()];
      await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
      await writeFile(`${file}.tmp`, JSON.stringify(keys), { mode: 0o600 });
      await rename(`${file}.tmp`, file);
    }
    return new TokenIssuer(issuer, "catdata-local", keys, ttlSeconds);
  }

  jwks(): JSONWebKeySet {
    return { keys: this.keys.map((k) => ({ ...k.publicJwk, kid: k.kid, alg: "RS256", use: "sig" })) };
  }

  async issue(user: User, now = new Date()): Promise<{ idToken: string; accessToken: string; expiresIn: number }> {
    const key = this.keys[this.keys.length - 1];
    if (!key) throw new Error("no signing key");
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
      token_use: "access",
      client_id: this.clientId,
      scope: "aws.cognito.signin.user.admin",
    });
    return { idToken, accessToken, expiresIn: this.ttlSeconds };
  }
}

async function newKey(): Promise<StoredKey> {
  const { publicKey, privateKey } = await generateKeyPair("RS256", { extractable: true });
  return {
    kid: crypto.randomUUID(),
    privateJwk: await exportJWK(privateKey),
    publicJwk: await exportJWK(publicKey),
    createdAt: new Date().toISOString(),
  };
}

/** Verifies a Cognito-shaped token against a JWKS: RS256 only (never `alg: none`), issuer and expiry checked. */
export function createVerifier(jwks: JSONWebKeySet | (() => JSONWebKeySet), issuer: string) {
  return async (token: string): Promise<Claims> => {
    try {
      const keySet = createLocalJWKSet(typeof jwks === "function" ? jwks() : jwks);
      const { payload } = await jwtVerify(token, keySet, { issuer, algorithms: ["RS256"] });
      const tokenUse = payload.token_use;
      if (tokenUse !== "id" && tokenUse !== "access") throw new Error("token_use is neither id nor access");
      return {
        sub: String(payload.sub),
        username: String(payload["cognito:username"] ?? ""),
        groups: (payload["cognito:groups"] as Group[] | undefined) ?? [],
        municipality: (payload["custom:municipality"] as string | undefined) ?? null,
        tokenUse,
      };
    } catch (error) {
      throw new CatdataError("UNAUTHENTICATED", `invalid token: ${(error as Error).message}`, {
        hint: "sign in again at /auth/login",
      });
    }
  };
}
