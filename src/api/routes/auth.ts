import { type Context, Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { z } from "zod";
import { refreshFailed } from "../../auth/auth-error.js";
import { RULES } from "../../auth/policy.js";
import { type IssuedRefreshToken, REFRESH_TOKEN_TTL_MS } from "../../auth/refresh-tokens.js";
import { JWKS_MAX_AGE_SECONDS } from "../../auth/tokens.js";
import type { User } from "../../auth/user-pool.js";
import type { ApiDeps, ApiEnv } from "../context.js";
import { REFRESH_COOKIE, SESSION_COOKIE, sourceIpOf } from "../middleware/authenticate.js";
import { authorize } from "../middleware/authorize.js";

const loginBody = z.object({
  username: z.string().min(1).max(128).describe("the user's name (case-insensitive)"),
  password: z.string().min(1).max(256).describe("the user's password"),
});
const refreshBody = z.object({
  refreshToken: z.string().min(1).max(200).optional().describe("from /auth/login; else the refresh cookie is used"),
});
const passwordBody = z.object({
  currentPassword: z.string().min(1).max(256).describe("the password in use now"),
  newPassword: z.string().min(1).max(256).describe("the new password (Cognito's default policy)"),
});

/** The caller's IP as the protection middleware saw it, else as the connection says. */
function callerIp(c: Context<ApiEnv>): string | undefined {
  const seen = c.get("clientIp") as string | undefined;
  return seen && seen !== "unknown" ? seen : sourceIpOf(c);
}

const readJson = (c: Context) => c.req.json().catch(() => ({}));
const cookieOptions = (c: Context, maxAge: number) => ({
  httpOnly: true,
  sameSite: "Strict" as const,
  path: "/",
  maxAge,
  secure: new URL(c.req.url).protocol === "https:",
});

/** The tokens of a new or refreshed session: in the body (API clients) and as httpOnly cookies (the web app). */
async function session(c: Context<ApiEnv>, deps: ApiDeps, user: User, refresh: IssuedRefreshToken) {
  const tokens = await deps.tokens.issue(user);
  setCookie(c, SESSION_COOKIE, tokens.idToken, cookieOptions(c, tokens.expiresIn));
  // The cookie may outlive the family by a rotation's age: the server, not the browser, enforces expiry.
  setCookie(c, REFRESH_COOKIE, refresh.token, cookieOptions(c, REFRESH_TOKEN_TTL_MS / 1000));
  return c.json({
    ...tokens,
    refreshToken: refresh.token,
    refreshTokenExpiresAt: refresh.expiresAt.toISOString(),
    tokenType: "Bearer",
    user: { username: user.username, groups: user.groups, municipality: user.municipality },
  });
}

/**
 * Sign-in (the Cognito `InitiateAuth` role): `/auth/login`, `/auth/refresh` (rotating refresh tokens),
 * `/auth/logout`, `/auth/password` (own password change) and the public keys at `/.well-known/jwks.json`.
 * Every sign-in failure — wrong password, unknown user, locked out, disabled — is the same 401.
 */
export function authRoutes(deps: ApiDeps) {
  return new Hono<ApiEnv>()
    .post("/auth/login", authorize(deps, RULES.public), async (c) => {
      const body = loginBody.parse(await readJson(c));
      const user = await deps.users.authenticate(body.username, body.password, { sourceIp: callerIp(c) });
      return session(c, deps, user, await deps.users.startSession(user));
    })
    .post("/auth/refresh", authorize(deps, RULES.public), async (c) => {
      const token = refreshBody.parse(await readJson(c)).refreshToken ?? getCookie(c, REFRESH_COOKIE);
      if (!token) throw refreshFailed("RefreshTokenInvalid");
      const { user, refreshToken } = await deps.users.refresh(token);
      return session(c, deps, user, refreshToken);
    })
    .post("/auth/logout", authorize(deps, RULES.public), async (c) => {
      const body = refreshBody.safeParse(await readJson(c));
      const token = (body.success ? body.data.refreshToken : undefined) ?? getCookie(c, REFRESH_COOKIE);
      if (token) await deps.users.endSession(token);
      deleteCookie(c, SESSION_COOKIE, { path: "/" });
      deleteCookie(c, REFRESH_COOKIE, { path: "/" });
      return c.json({ ok: true });
    })
    .post("/auth/password", authorize(deps, RULES.self), async (c) => {
      const body = passwordBody.parse(await readJson(c));
      const { username } = c.get("user");
      await deps.users.changePassword(username, body.currentPassword, body.newPassword, { sourceIp: callerIp(c) });
      return c.json({ ok: true, message: "password changed; other sessions are signed out" });
    })
    .get("/.well-known/jwks.json", authorize(deps, RULES.public), async (c) => {
      await deps.tokens.reload();
      c.header("cache-control", `public, max-age=${JWKS_MAX_AGE_SECONDS}`);
      return c.json(deps.tokens.jwks());
    });
}
