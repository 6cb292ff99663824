import { Hono } from "hono";
import { deleteCookie, setCookie } from "hono/cookie";
import { z } from "zod";
import type { ApiDeps, ApiEnv } from "../context.js";
import { SESSION_COOKIE } from "../middleware/authenticate.js";

const loginBody = z.object({ username: z.string().min(1).max(128), password: z.string().min(1).max(256) });

/** `/auth/login`, `/auth/logout` and the public keys at `/.well-known/jwks.json`. */
export function authRoutes(deps: ApiDeps) {
  return new Hono<ApiEnv>()
    .post("/auth/login", async (c) => {
      const body = loginBody.parse(await c.req.json().catch(() => ({})));
      const user = await deps.users.authenticate(body.username, body.password);
      const tokens = await deps.tokens.issue(user);
      setCookie(c, SESSION_COOKIE, tokens.idToken, {
        httpOnly: true,
        sameSite: "Strict",
        path: "/",
        maxAge: tokens.expiresIn,
        secure: new URL(c.req.url).protocol === "https:",
      });
      return c.json({
        ...tokens,
        tokenType: "Bearer",
        user: { username: user.username, groups: user.groups, municipality: user.municipality },
      });
    })
    .post("/auth/logout", (c) => {
      deleteCookie(c, SESSION_COOKIE, { path: "/" });
      return c.json({ ok: true });
    })
    .get("/.well-known/jwks.json", (c) => c.json(deps.tokens.jwks()));
}
