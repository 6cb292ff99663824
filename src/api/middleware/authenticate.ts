import type { Context } from "hono";
import { getCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import type { Claims } from "../../auth/tokens.js";
import { CatdataError } from "../../errors.js";
import type { ApiDeps, ApiEnv } from "../context.js";

/** The web app's session cookie (the ID token) and the refresh-token cookie (httpOnly, never read by scripts). */
export const SESSION_COOKIE = "catdata_id";
export const REFRESH_COOKIE = "catdata_refresh";

/** The token of a request: `Authorization: Bearer <id or access token>`, else the session cookie. */
export function bearerToken(c: Context): string | undefined {
  return c.req.header("authorization")?.match(/^Bearer\s+(\S+)$/i)?.[1] ?? getCookie(c, SESSION_COOKIE);
}

/** Verifies the request's token; 401 when it is missing or invalid. */
export async function verifyRequest(deps: ApiDeps, c: Context): Promise<Claims> {
  const token = bearerToken(c);
  if (!token) {
    throw new CatdataError("UNAUTHENTICATED", "sign-in required", {
      hint: "send Authorization: Bearer <token> from POST /auth/login",
    });
  }
  return deps.verify(token);
}

/**
 * The caller's address as the platform saw it: the socket's peer under Node, API Gateway's
 * `requestContext` in Lambda. `X-Forwarded-For` is not trusted (anyone can send it).
 */
export function sourceIpOf(c: Context): string | undefined {
  const env = c.env as
    | {
        incoming?: { socket?: { remoteAddress?: string } };
        event?: { requestContext?: { http?: { sourceIp?: string }; identity?: { sourceIp?: string } } };
      }
    | undefined;
  return (
    env?.incoming?.socket?.remoteAddress ??
    env?.event?.requestContext?.http?.sourceIp ??
    env?.event?.requestContext?.identity?.sourceIp
  );
}

/** Requires a valid token. Routes declare `authorize(deps, rule)`, which does this and more; `/mcp` uses it alone. */
export const authenticate = (deps: ApiDeps) =>
  createMiddleware<ApiEnv>(async (c, next) => {
    c.set("user", await verifyRequest(deps, c));
    await next();
  });
