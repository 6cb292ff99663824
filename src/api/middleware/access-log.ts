import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { matchedRoutes } from "hono/route";
import type { Logger } from "../../log/logger.js";
import type { ApiEnv, RequestMetrics } from "../context.js";

/**
 * One structured log line per request (request id, method, path, route, status, duration, client,
 * user) and one observation for the metrics, labelled by the route *pattern* (`/uploads/:id`, never
 * the raw path, so the label set stays small); requests that match no route count as `unmatched`.
 */
export function accessLog(logger: Logger, metrics: RequestMetrics | undefined) {
  return createMiddleware<ApiEnv>(async (c, next) => {
    const started = performance.now();
    await next();
    const seconds = (performance.now() - started) / 1000;
    const route = routePattern(c);
    metrics?.observe({ method: c.req.method, route, status: c.res.status, seconds });
    logger.info(
      {
        requestId: c.get("requestId"),
        method: c.req.method,
        path: c.req.path,
        route,
        status: c.res.status,
        ms: Math.round(seconds * 1000),
        ip: c.get("clientIp"),
        user: c.get("user")?.username,
      },
      "request",
    );
  });
}

/** The path of the handler that answered (the last matched route that is not a middleware). */
export function routePattern(c: Context): string {
  try {
    const handlers = matchedRoutes(c).filter((r) => r.method !== "ALL");
    return handlers.at(-1)?.path ?? "unmatched";
  } catch {
    return "unmatched";
  }
}
