/**
 * Pins the API slice, in process (app.request, no port):
 * - /cats refuses a request without a token, with a tampered token, and with an `alg: none` token
 * - /cats refuses (401) a token signed by the real signing key that has no `exp` (it would never expire)
 * - login returns Cognito-shaped tokens verifiable with the published JWKS (jose, as for real Cognito)
 * - GET /cats returns canonical records of an ingested file with cursor pagination, no gaps or repeats
 * - a staff user reads only their own municipality; asking for another is 403
 * - invalid parameters (SQL in a filter, bad dataset) are 400 with the error shape
 * - a page of records over the result byte cap (1 KiB here) is 400 with how to narrow it; a smaller page is 200
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { createLocalJWKSet, decodeJwt, importJWK, jwtVerify, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TokenIssuer } from "../auth/tokens.js";
import { ingestFile } from "../etl/ingest.js";
import { DataDir } from "../local/data-dir.js";
import { silentLogger } from "../log/logger.js";
import { openRuntime, type Runtime } from "../runtime.js";
import { createTestAuth } from "../testing/auth.js";
import { tempConfig, tempDir } from "../testing/fixtures.js";
import { createApiApp } from "./app.js";

const HEADER =
  "Animal ID,Name,DateTime,MonthYear,Found Location,Intake Type,Intake Condition,Animal Type,Sex upon Intake,Age upon Intake,Breed,Color";
let runtime: Runtime;
let app: ReturnType<typeof createApiApp>;
let issuer: TokenIssuer;
let auth: Awaited<ReturnType<typeof createTestAuth>>;
const PASSWORD = "Correct-Horse-9";

async function login(username: string) {
  const res = await app.request("/auth/login", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { idToken: string; accessToken: string };
}
const get = (url: string, token?: string) =>
  app.request(url, token ? { headers: { authorization: `Bearer ${token}` } } : {});

beforeAll(async () => {
  runtime = await openRuntime(tempConfig(), silentLogger);
  auth = await createTestAuth(new DataDir(runtime.config.dataDirectory));
  const { users } = auth;
  issuer = auth.tokens;
  app = createApiApp({ runtime, ...auth });
  await users.create({ username: "ana", password: PASSWORD, groups: ["analyst"] });
  await users.create({ username: "staff-austin", password: PASSWORD, groups: ["staff"], municipality: "us-tx-austin" });
  await users.create({ username: "staff-tokyo", password: PASSWORD, groups: ["staff"], municipality: "131041" });
  const dir = tempDir();
  const rows = Array.from(
    { length: 25 },
    (_, i) =>
      `A${100 + i},N,01/${String(1 + i).padStart(2, "0")}/2019 10:00:00 AM,x,Loc,Stray,Normal,Cat,Intact Female,1 year,DSH,Black`,
  );
  writeFileSync(path.join(dir, "austin.csv"), [HEADER, ...rows].join("\n"));
  await ingestFile(runtime, path.join(dir, "austin.csv"));
});
afterAll(async () => runtime.close());

describe("API", () => {
  it("refuses missing, tampered and alg:none tokens", async () => {
    expect((await get("/cats")).status).toBe(401);
    const { idToken } = await login("ana");
    const [h, p, s] = idToken.split(".");
    const payload = JSON.parse(Buffer.from(p!, "base64url").toString());
    const forged = Buffer.from(JSON.stringify({ ...payload, "cognito:groups": ["admin"] })).toString("base64url");
    expect((await get("/cats", `${h}.${forged}.${s}`)).status).toBe(401);
    const none = Buffer.from(JSON.stringify({ alg: "none", typ: "JWT" })).toString("base64url");
    const res = await get("/cats", `${none}.${p}.`);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: "UNAUTHENTICATED", requestId: expect.any(String) } });
  });

  it("refuses a correctly signed token without exp", async () => {
    const { idToken } = await login("ana");
    const payload = decodeJwt(idToken);
    const { exp: _exp, ...forever } = payload;
    const key = issuer.signingKey();
    const signed = await new SignJWT(forever)
      .setProtectedHeader({ alg: "RS256", kid: key.kid })
      .sign(await importJWK(key.privateJwk, "RS256"));
    expect((await get("/cats?limit=1", idToken)).status).toBe(200);
    const res = await get("/cats?limit=1", signed);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: "UNAUTHENTICATED", message: /"exp"/ } });
  });

  it("issues Cognito-shaped tokens that verify against the published JWKS", async () => {
    const { idToken, accessToken } = await login("staff-austin");
    const jwks = await (await app.request("/.well-known/jwks.json")).json();
    const { payload } = await jwtVerify(idToken, createLocalJWKSet(jwks), { issuer: issuer.issuer });
    expect(payload).toMatchObject({
      token_use: "id",
      "cognito:username": "staff-austin",
      "cognito:groups": ["staff"],
      "custom:municipality": "us-tx-austin",
    });
    expect(decodeJwt(accessToken).token_use).toBe("access");
  });

  it("pages through /cats without gaps or repeats", async () => {
    const { accessToken } = await login("ana");
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await get(`/cats?dataset=intakes&limit=10${cursor ? `&cursor=${cursor}` : ""}`, accessToken);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { items: { animalId: string; intakeAt: string }[]; nextCursor: string | null };
      seen.push(...body.items.map((i) => i.animalId));
      cursor = body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => `A${100 + i}`));
  });

  it("keeps staff to their own municipality", async () => {
    const austin = await login("staff-austin");
    const own = await (await get("/cats?limit=5", austin.accessToken)).json();
    expect(own.items).toHaveLength(5);
    const tokyo = await login("staff-tokyo");
    expect((await (await get("/cats", tokyo.accessToken)).json()).items).toEqual([]);
    expect((await get("/cats?municipality=us-tx-austin", tokyo.accessToken)).status).toBe(403);
  });

  it("rejects invalid filters with 400 and a message", async () => {
    const { accessToken } = await login("ana");
    for (const q of ["municipality=x'%20OR%201=1--", "dataset=users", "limit=0", "from=2019-13-01", "cursor=abc"]) {
      const res = await get(`/cats?${q}`, accessToken);
      expect(res.status, q).toBe(400);
      expect((await res.json()).error.code, q).toBe("BAD_INPUT");
    }
  });

  it("refuses a page of records over the result byte cap with 400", async () => {
    const config = { ...runtime.config, results: { maxBytes: 1024 } };
    const capped = createApiApp({ ...auth, runtime: { ...runtime, config } });
    const { accessToken } = await login("ana");
    const one = await capped.request("/cats?limit=1", { headers: { authorization: `Bearer ${accessToken}` } });
    expect(one.status).toBe(200);
    expect(((await one.json()) as { items: unknown[] }).items).toHaveLength(1);
    const page = await capped.request("/cats?limit=25", { headers: { authorization: `Bearer ${accessToken}` } });
    expect(page.status).toBe(400);
    expect(await page.json()).toMatchObject({
      error: { code: "BAD_INPUT", message: /larger than 1,024 bytes.*LIMIT/ },
    });
  });
});
