import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { ApiEnv } from "../context.js";

/**
 * The caller's source IP, whatever runs the app: the socket's peer under Node (`@hono/node-server`),
 * `requestContext.identity.sourceIp` (REST v1) or `requestContext.http.sourceIp` (HTTP API v2) under
 * API Gateway. `X-Forwarded-For` is believed only when `trustProxy` is set, and then only its last
 * entry: the address the trusted proxy itself saw (the entries before it are the client's to forge).
 */
interface KnownBindings {
  incoming?: { socket?: { remoteAddress?: string } };
  server?: { incoming?: { socket?: { remoteAddress?: string } } };
  requestContext?: { identity?: { sourceIp?: string }; http?: { sourceIp?: string } };
}

export function sourceIp(c: Context, trustProxy: boolean): string | undefined {
  if (trustProxy) {
    const last = c.req.header("x-forwarded-for")?.split(",").at(-1)?.trim();
    if (last) return normalise(last);
  }
  const env = (c.env ?? {}) as KnownBindings;
  const address =
    env.incoming?.socket?.remoteAddress ??
    env.server?.incoming?.socket?.remoteAddress ??
    env.requestContext?.identity?.sourceIp ??
    env.requestContext?.http?.sourceIp;
  return address ? normalise(address) : undefined;
}

/** `::ffff:127.0.0.1` (an IPv4 peer on a dual-stack socket) is 127.0.0.1. */
const normalise = (address: string) => address.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, "$1");

/** Sets `clientIp` for everything after it (rate limits, allow-list, logs, audit); `unknown` when none. */
export const clientIp = (trustProxy: boolean) =>
  createMiddleware<ApiEnv>(async (c, next) => {
    c.set("clientIp", sourceIp(c, trustProxy) ?? "unknown");
    await next();
  });
