/**
 * Pins the token issuer and verifier (pinned clock):
 * - ID and access tokens are Cognito-shaped, RS256 with a kid, valid 1 hour
 * - rotate(): the new key is published at once and signs after the lead (5 min); tokens of the old
 *   key stay valid until they expire, the old key stays in the JWKS until then and is dropped after
 * - another process's rotation (the CLI) is picked up from the file
 * - refused: expired, tampered, signed by another key, another issuer, `alg: none`, HS256 signed
 *   with the public key (algorithm confusion), another client id, no token_use
 * - refused even when signed by our own signing key: no `exp` (it would never expire), no `iat`, a
 *   lifetime (`exp - iat`) over MAX_TOKEN_LIFETIME_SECONDS (24 h; exactly 24 h is accepted), an `iat` in the future
 */
import { createPublicKey } from "node:crypto";
import { readFileSync } from "node:fs";
import { decodeJwt, decodeProtectedHeader, importJWK, type JWK, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { LocalKeyStore } from "../keys/local-key-store.js";
import { DataDir } from "../local/data-dir.js";
import { fakeClock } from "../testing/auth.js";
import { tempDir } from "../testing/fixtures.js";
import { createVerifier, TokenIssuer } from "./tokens.js";
import type { User } from "./user-pool.js";
import { MAX_TOKEN_LIFETIME_SECONDS } from "./verifier.js";

const ISSUER = "http://127.0.0.1:8501/api";
const HOUR = 3600_000;
const user: User = {
  username: "staff-austin",
  sub: "11111111-2222-3333-4444-555555555555",
  groups: ["staff"],
  municipality: "us-tx-austin",
  enabled: true,
  createdAt: "2024-01-01T00:00:00Z",
};

async function setup() {
  const clock = fakeClock();
  const dir = new DataDir(tempDir("catdata-tokens-"));
  const issuer = await TokenIssuer.open(new LocalKeyStore(dir), ISSUER, { clock });
  const verify = createVerifier(() => issuer.jwks(), ISSUER, { clock, clientId: issuer.clientId });
  const outcome = (token: string) =>
    verify(token).then(
      (claims) => claims.username,
      (e: Error) => e.message,
    );
  return { clock, dir, issuer, verify, outcome };
}
const kids = (issuer: TokenIssuer) => issuer.jwks().keys.map((k) => k.kid);

describe("TokenIssuer", () => {
  it("issues Cognito-shaped RS256 tokens valid for one hour", async () => {
    const { issuer, verify } = await setup();
    const { idToken, accessToken, expiresIn } = await issuer.issue(user);
    expect(expiresIn).toBe(3600);
    expect(decodeProtectedHeader(idToken)).toEqual({ alg: "RS256", kid: kids(issuer)[0] });
    const id = decodeJwt(idToken);
    expect(id).toMatchObject({ iss: ISSUER, token_use: "id", aud: "catdata-local", "cognito:groups": ["staff"] });
    expect(Number(id.exp) - Number(id.iat)).toBe(3600);
    expect(decodeJwt(accessToken)).toMatchObject({
      token_use: "access",
      client_id: "catdata-local",
      username: "staff-austin",
    });
    expect(await verify(accessToken)).toEqual({
      sub: user.sub,
      username: "staff-austin",
      groups: ["staff"],
      municipality: "us-tx-austin",
      tokenUse: "access",
    });
  });

  it("rotates keys: publishes the new key first, signs with it after the lead, drops the old one after expiry", async () => {
    const { clock, issuer, outcome } = await setup();
    const [oldKid] = kids(issuer);
    clock.advance(10 * 60_000);
    const rotated = await issuer.rotate();
    expect(rotated.signsFrom.toISOString()).toBe("2024-05-01T09:15:00.000Z");
    expect(kids(issuer)).toEqual([oldKid, rotated.kid]);
    const old = (await issuer.issue(user)).accessToken;
    expect(decodeProtectedHeader(old).kid).toBe(oldKid);
    clock.advance(5 * 60_000);
    const fresh = (await issuer.issue(user)).accessToken;
    expect(decodeProtectedHeader(fresh).kid).toBe(rotated.kid);
    clock.advance(54 * 60_000); // 10:09
    expect([await outcome(old), await outcome(fresh)]).toEqual(["staff-austin", "staff-austin"]);
    clock.advance(60_000); // 10:10: the old token (signed 09:10) expired; the old key may still have signed until 09:15
    expect(await outcome(old)).toMatch(/"exp" claim timestamp check failed/);
    expect(kids(issuer)).toEqual([oldKid, rotated.kid]);
    clock.advance(5 * 60_000); // 10:15: nothing the old key signed is valid any more
    expect(kids(issuer)).toEqual([rotated.kid]);
    expect((await issuer.rotate()).dropped).toEqual([oldKid]);
  });

  it("picks up a rotation made by another process", async () => {
    const { clock, dir, issuer } = await setup();
    const cli = await TokenIssuer.open(new LocalKeyStore(dir), ISSUER, { clock, rotationLeadSeconds: 0 });
    await new Promise((r) => setTimeout(r, 20));
    const { kid } = await cli.rotate();
    const token = (await issuer.issue(user)).idToken;
    expect(decodeProtectedHeader(token).kid).toBe(kid);
  });

  it("refuses expired, tampered, other-key, other-issuer, alg:none and HS256-with-the-public-key tokens", async () => {
    const { clock, issuer, outcome } = await setup();
    const { idToken } = await issuer.issue(user);
    const [h, p, s] = idToken.split(".") as [string, string, string];
    const payload = decodeJwt(idToken);
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
    const freshKeys = () => new LocalKeyStore(new DataDir(tempDir("catdata-tokens-")));
    const other = await TokenIssuer.open(freshKeys(), ISSUER, { clock });
    const elsewhere = await TokenIssuer.open(freshKeys(), "https://evil.example", { clock });
    const publicPem = createPublicKey({ key: issuer.jwks().keys[0] as never, format: "jwk" }).export({
      type: "spki",
      format: "pem",
    });
    const hs256 = await new SignJWT(payload)
      .setProtectedHeader({ alg: "HS256", kid: decodeProtectedHeader(idToken).kid as string })
      .sign(new TextEncoder().encode(String(publicPem)));
    const cases: Record<string, string> = {
      tampered: `${h}.${b64({ ...payload, "cognito:groups": ["admin"] })}.${s}`,
      "other key": (await other.issue(user)).idToken,
      "other issuer": (await elsewhere.issue(user)).idToken,
      "alg none": `${b64({ alg: "none", typ: "JWT" })}.${p}.`,
      "HS256 with the public key": hs256,
      garbage: "not.a.token",
    };
    for (const [name, token] of Object.entries(cases)) {
      expect(await outcome(token), name).toMatch(/^invalid token/);
    }
    clock.advance(HOUR);
    expect(await outcome(idToken)).toMatch(/^invalid token: "exp" claim timestamp check failed/);
  });

  it("refuses a token of our key for another client, or without token_use", async () => {
    const { dir, clock, issuer, outcome } = await setup();
    const strange = await TokenIssuer.open(new LocalKeyStore(dir), ISSUER, { clock, clientId: "someone-else" });
    expect(await outcome((await strange.issue(user)).idToken)).toBe("invalid token: the token is for another client");
    expect(await outcome((await strange.issue(user)).accessToken)).toBe(
      "invalid token: the token is for another client",
    );
    const [stored] = JSON.parse(readFileSync(dir.keys.tokenSigning, "utf8")) as { privateJwk: JWK; kid: string }[];
    const noUse = await new SignJWT({ "cognito:username": "x", aud: issuer.clientId })
      .setProtectedHeader({ alg: "RS256", kid: stored?.kid as string })
      .setIssuer(ISSUER)
      .setIssuedAt(Math.floor(clock().getTime() / 1000))
      .setExpirationTime(Math.floor(clock().getTime() / 1000) + 60)
      .sign(await importJWK(stored?.privateJwk as JWK, "RS256"));
    expect(await outcome(noUse)).toBe("invalid token: token_use is neither id nor access");
  });

  it("refuses a token of our own signing key without exp, without iat, or living longer than the maximum", async () => {
    const { clock, issuer, outcome } = await setup();
    const key = issuer.signingKey();
    const privateKey = await importJWK(key.privateJwk, "RS256");
    const now = Math.floor(clock().getTime() / 1000);
    const forge = (times: { iat?: number; exp?: number }) => {
      const jwt = new SignJWT({ "cognito:username": "mallory", "cognito:groups": ["admin"], token_use: "id" })
        .setProtectedHeader({ alg: "RS256", kid: key.kid })
        .setIssuer(ISSUER)
        .setSubject(user.sub)
        .setAudience(issuer.clientId);
      if (times.iat !== undefined) jwt.setIssuedAt(times.iat);
      if (times.exp !== undefined) jwt.setExpirationTime(times.exp);
      return jwt.sign(privateKey);
    };
    expect(await outcome(await forge({ iat: now }))).toBe('invalid token: missing required "exp" claim');
    expect(await outcome(await forge({ exp: now + 60 }))).toBe('invalid token: missing required "iat" claim');
    expect(await outcome(await forge({ iat: now, exp: now + MAX_TOKEN_LIFETIME_SECONDS }))).toBe("mallory");
    expect(await outcome(await forge({ iat: now, exp: now + MAX_TOKEN_LIFETIME_SECONDS + 1 }))).toMatch(
      /^invalid token: the token claims to live 86401 s, longer than 86400 s/,
    );
    expect(await outcome(await forge({ iat: now + 3600, exp: now + 7200 }))).toMatch(/^invalid token: "iat" claim/);
    const refused = await createVerifier(() => issuer.jwks(), ISSUER, { clock })(await forge({ iat: now })).catch(
      (e: unknown) => e,
    );
    expect(refused).toMatchObject({ code: "UNAUTHENTICATED", status: 401 });
  });
});
