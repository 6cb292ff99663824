import { createLocalJWKSet, type JSONWebKeySet, jwtVerify } from "jose";
import { CatdataError } from "../errors.js";
import { type Clock, systemClock } from "./clock.js";
import { GROUPS, type Group } from "./groups.js";

/** The caller, as a verified token tells it (ours or real Cognito's). */
export interface Claims {
  sub: string;
  username: string;
  groups: Group[];
  municipality: string | null;
  tokenUse: "id" | "access";
}

export interface VerifierOptions {
  clock?: Clock;
  /** When set, an ID token's `aud` or an access token's `client_id` must equal it (as aws-jwt-verify checks). */
  clientId?: string;
}

/**
 * The longest a token may live (`exp - iat`): 24 hours, Cognito's maximum for ID and access tokens.
 * A token that claims longer — or has no `exp` or no `iat` at all — is refused, even when correctly signed.
 */
export const MAX_TOKEN_LIFETIME_SECONDS = 24 * 3600;

/**
 * Verifies a Cognito-shaped token against a JWKS: RS256 only (never `alg: none` or HS256), issuer
 * checked, `exp` and `iat` required, expiry checked and the lifetime at most `MAX_TOKEN_LIFETIME_SECONDS`.
 */
export function createVerifier(
  jwks: JSONWebKeySet | (() => JSONWebKeySet),
  issuer: string,
  options: VerifierOptions = {},
) {
  const clock = options.clock ?? systemClock;
  return async (token: string): Promise<Claims> => {
    try {
      const keySet = createLocalJWKSet(typeof jwks === "function" ? jwks() : jwks);
      const { payload } = await jwtVerify(token, keySet, {
        issuer,
        algorithms: ["RS256"],
        currentDate: clock(),
        requiredClaims: ["exp", "iat"],
        maxTokenAge: MAX_TOKEN_LIFETIME_SECONDS,
      });
      const lifetime = Number(payload.exp) - Number(payload.iat);
      if (!(lifetime <= MAX_TOKEN_LIFETIME_SECONDS)) {
        throw new Error(`the token claims to live ${lifetime} s, longer than ${MAX_TOKEN_LIFETIME_SECONDS} s`);
      }
      const tokenUse = payload.token_use;
      if (tokenUse !== "id" && tokenUse !== "access") throw new Error("token_use is neither id nor access");
      const client = tokenUse === "id" ? payload.aud : payload.client_id;
      if (options.clientId && client !== options.clientId) throw new Error("the token is for another client");
      const groups = payload["cognito:groups"];
      const municipality = payload["custom:municipality"];
      return {
        sub: String(payload.sub),
        username: String(payload["cognito:username"] ?? payload.username ?? ""),
        groups: Array.isArray(groups) ? GROUPS.filter((g) => groups.includes(g)) : [],
        municipality: typeof municipality === "string" ? municipality : null,
        tokenUse,
      };
    } catch (error) {
      throw new CatdataError("UNAUTHENTICATED", `invalid token: ${(error as Error).message}`, {
        hint: "sign in again at /auth/login",
      });
    }
  };
}
