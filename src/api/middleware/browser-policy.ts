import { cors } from "hono/cors";
import { createMiddleware } from "hono/factory";
import { secureHeaders } from "hono/secure-headers";
import type { ApiEnv } from "../context.js";

/**
 * What browsers are told: the security headers of every response (no sniffing, no framing, no
 * referrer, a CSP that allows nothing unless a page route sets its own), HSTS only over HTTPS (the
 * request's own scheme, or `X-Forwarded-Proto` from a trusted proxy), and CORS for the allow-listed
 * origins only (default none: the web app is same-origin and needs no CORS).
 */
export function securityHeaders(trustProxy: boolean) {
  const plain = secureHeaders({ strictTransportSecurity: false, crossOriginResourcePolicy: "same-origin" });
  return createMiddleware<ApiEnv>(async (c, next) => {
    await plain(c, next);
    // A route that serves a page (the docs) sets its own policy; everything else allows nothing.
    if (!c.res.headers.has("content-security-policy")) {
      c.res.headers.set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
    }
    const forwarded = trustProxy ? c.req.header("x-forwarded-proto") : undefined;
    if (new URL(c.req.url).protocol === "https:" || forwarded === "https") {
      c.res.headers.set("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    }
  });
}

export function corsAllowList(origins: readonly string[]) {
  const allowed = new Set(origins.map((o) => o.toLowerCase()));
  if (allowed.size === 0) return createMiddleware<ApiEnv>((_c, next) => next());
  return cors({
    origin: (origin) => (allowed.has(origin.toLowerCase()) ? origin : null),
    allowMethods: ["GET", "POST", "PUT", "PATCH", "DELETE"],
    allowHeaders: ["Authorization", "Content-Type"],
    exposeHeaders: ["Location", "Retry-After", "X-Request-Id"],
    credentials: true,
    maxAge: 600,
  });
}
