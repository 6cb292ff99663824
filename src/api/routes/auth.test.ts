/**
 * Pins the sign-in routes over HTTP (createApiApp in process; one real port for the JWKS URL):
 * - login returns tokens and a refresh token, and sets httpOnly SameSite=Strict cookies
 * - /auth/refresh rotates (body or cookie); a reused refresh token is 401 and ends the family
 * - /auth/logout revokes the refresh token and clears both cookies
 * - /auth/password needs the current password (401), checks the policy (400), then works
 * - lock-out: after 5 failures the right password gets the very same 401 body as a wrong one, while
 *   the error the audit trail reads (`c.error`) says UserLockedOut; one source IP failing over 20
 *   usernames is locked for every name
 * - jose.createRemoteJWKSet against http://127.0.0.1:<port>/.well-known/jwks.json (as for a Cognito
 *   JWKS URL) accepts our tokens, also those of a rotated key (published before it signs)
 */
import { type ServerType, serve } from "@hono/node-server";
import { Hono } from "hono";
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditCodeOf } from "../../auth/auth-error.js";
import { DataDir } from "../../local/data-dir.js";
import { silentLogger } from "../../log/logger.js";
import { openRuntime, type Runtime } from "../../runtime.js";
import { createTestAuth, fakeClock } from "../../testing/auth.js";
import { tempConfig, tempDir } from "../../testing/fixtures.js";
import { createApiApp } from "../app.js";
import type { ApiDeps, ApiEnv } from "../context.js";
import { toErrorResponse } from "../errors.js";
import { authRoutes } from "./auth.js";

const PASSWORD = "Correct-Horse-9";
let runtime: Runtime;
let deps: ApiDeps;
let app: ReturnType<typeof createApiApp>;

const post = (path: string, body: unknown, headers: Record<string, string> = {}, env?: object) =>
  app.request(
    path,
    { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) },
    env,
  );
const login = (username: string, password = PASSWORD, env?: object) =>
  post("/auth/login", { username, password }, {}, env);
const cookieOf = (res: Response, name: string) =>
  res.headers.getSetCookie().find((c) => c.startsWith(`${name}=`)) ?? "";

beforeAll(async () => {
  runtime = await openRuntime(tempConfig(), silentLogger);
  deps = { runtime, ...(await createTestAuth(new DataDir(runtime.config.dataDirectory))) };
  app = createApiApp(deps);
  for (const username of ["ana", "bob", "carol", "dave"]) {
    await deps.users.create({ username, password: PASSWORD, groups: ["analyst"] });
  }
});
afterAll(async () => runtime.close());

describe("sign-in routes", () => {
  it("signs in with tokens, a refresh token and httpOnly cookies", async () => {
    const res = await login("ana");
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ tokenType: "Bearer", expiresIn: 3600, refreshToken: expect.any(String) });
    for (const name of ["catdata_id", "catdata_refresh"]) {
      expect(cookieOf(res, name)).toMatch(/HttpOnly/);
      expect(cookieOf(res, name)).toMatch(/SameSite=Strict/);
    }
  });

  it("rotates refresh tokens and ends the family on reuse", async () => {
    const first = (await (await login("ana")).json()).refreshToken as string;
    const second = await post("/auth/refresh", { refreshToken: first });
    expect(second.status).toBe(200);
    const { refreshToken: next, accessToken } = await second.json();
    expect((await app.request("/municipalities", { headers: { authorization: `Bearer ${accessToken}` } })).status).toBe(
      200,
    );
    const byCookie = await post("/auth/refresh", {}, { cookie: `catdata_refresh=${next}` });
    expect(byCookie.status).toBe(200);
    const third = (await byCookie.json()).refreshToken as string;
    const reuse = await post("/auth/refresh", { refreshToken: first });
    expect(reuse.status).toBe(401);
    expect((await reuse.json()).error.message).toMatch(/sign in again/);
    expect((await post("/auth/refresh", { refreshToken: third })).status).toBe(401);
  });

  it("signs out: revokes the refresh token and clears the cookies", async () => {
    const token = (await (await login("ana")).json()).refreshToken as string;
    const res = await post("/auth/logout", {}, { cookie: `catdata_refresh=${token}` });
    expect(res.status).toBe(200);
    expect(cookieOf(res, "catdata_id")).toMatch(/Max-Age=0/);
    expect(cookieOf(res, "catdata_refresh")).toMatch(/Max-Age=0/);
    expect((await post("/auth/refresh", { refreshToken: token })).status).toBe(401);
  });

  it("changes one's own password with the current one", async () => {
    const { accessToken } = await (await login("bob")).json();
    const auth = { authorization: `Bearer ${accessToken}` };
    const change = (currentPassword: string, newPassword: string) =>
      post("/auth/password", { currentPassword, newPassword }, auth);
    expect((await change("Wrong-Horse-9", "Battery-Staple-7")).status).toBe(401);
    const weak = await change(PASSWORD, "battery");
    expect([weak.status, (await weak.json()).error.message]).toEqual([
      400,
      expect.stringMatching(/an upper-case letter/),
    ]);
    expect((await change(PASSWORD, "Battery-Staple-7")).status).toBe(200);
    expect((await login("bob")).status).toBe(401);
    expect((await login("bob", "Battery-Staple-7")).status).toBe(200);
  });

  it("answers a locked-out user exactly as a wrong password, and tells the audit trail", async () => {
    const seen: (string | undefined)[] = [];
    const probe = new Hono<ApiEnv>();
    probe.use(async (c, next) => {
      await next();
      seen.push(auditCodeOf(c.error));
    });
    probe.onError((error, c) => toErrorResponse(error, c, silentLogger));
    probe.route("/", authRoutes(deps));
    const attempt = async (password: string) => {
      const res = await probe.request("/auth/login", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ username: "carol", password }),
      });
      return [res.status, await res.json()];
    };
    const wrong = [];
    for (let i = 0; i < 5; i++) wrong.push(await attempt("Wrong-Horse-9"));
    const locked = await attempt(PASSWORD);
    expect(locked).toEqual(wrong[0]);
    expect(locked).toEqual([
      401,
      { error: { code: "UNAUTHENTICATED", message: "incorrect username or password", requestId: "" } },
    ]);
    expect(seen).toEqual([...Array(5).fill("NotAuthorizedException"), "UserLockedOut"]);
    await deps.users.unlock("carol");
    expect((await attempt(PASSWORD))[0]).toBe(200);
  });

  it("locks a source IP that fails over many usernames", async () => {
    const from = (address: string) => ({ incoming: { socket: { remoteAddress: address } } });
    for (let i = 0; i < 20; i++) expect((await login(`guess-${i}`, "x", from("203.0.113.7"))).status).toBe(401);
    expect((await login("dave", PASSWORD, from("203.0.113.7"))).status).toBe(401);
    expect((await login("dave", PASSWORD, from("198.51.100.2"))).status).toBe(200);
  });
});

describe("the JWKS URL", () => {
  const clock = fakeClock();
  let server: ServerType;
  let url: URL;
  let pinned: ApiDeps;
  beforeAll(async () => {
    pinned = { runtime, ...(await createTestAuth(new DataDir(tempDir("catdata-jwks-")), { clock })) };
    await pinned.users.create({ username: "erin", password: PASSWORD, groups: ["viewer"] });
    server = serve({ fetch: createApiApp(pinned).fetch, hostname: "127.0.0.1", port: 0 });
    await new Promise((resolve) => server.once("listening", resolve));
    const address = server.address();
    url = new URL(
      `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}/.well-known/jwks.json`,
    );
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("verifies our tokens with jose.createRemoteJWKSet, as for a Cognito JWKS URL, across a key rotation", async () => {
    const jwks = createRemoteJWKSet(url);
    const verify = async (token: string) =>
      (await jwtVerify(token, jwks, { issuer: pinned.tokens.issuer, algorithms: ["RS256"], currentDate: clock() }))
        .payload;
    const signIn = async () => {
      const user = await pinned.users.authenticate("erin", PASSWORD);
      return pinned.tokens.issue(user);
    };
    const before = (await signIn()).idToken;
    expect(await verify(before)).toMatchObject({ token_use: "id", "cognito:username": "erin" });
    await pinned.tokens.rotate();
    await jwks.reload(); // the verifier's periodic refresh, within the 5-minute lead
    clock.advance(5 * 60_000);
    const after = (await signIn()).accessToken;
    expect(decodeProtectedHeader(after).kid).not.toBe(decodeProtectedHeader(before).kid);
    expect(await verify(after)).toMatchObject({ token_use: "access", username: "erin" });
    expect(await verify(before)).toMatchObject({ "cognito:username": "erin" });
  });
});
