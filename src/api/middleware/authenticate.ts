import { getCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import { CatdataError } from "../../errors.js";
import type { ApiDeps, ApiEnv } from "../context.js";

export const SESSION_COOKIE = "catdata_id";

/** Requires a valid token: `Authorization: Bearer <id or access token>`, or the web app's session cookie. */
export const authenticate = (deps: ApiDeps) =>
  createMiddleware<ApiEnv>(async (c, next) => {
    const header = c.req.header("authorization");
    const token = header?.match(/^Bearer\s+(\S+)$/i)?.[1] ?? getCookie(c, SESSION_COOKIE);
    if (!token) {
      throw new CatdataError("UNAUTHENTICATED", "sign-in required", {
        hint: "send Authorization: Bearer <token> from POST /auth/login",
      });
    }
    c.set("user", await deps.verify(token));
    await next();
  });
