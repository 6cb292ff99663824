import type { MiddlewareHandler } from "hono";
import { createMiddleware } from "hono/factory";
import type { Rule } from "../../auth/policy.js";
import { CatdataError } from "../../errors.js";
import type { ApiDeps, ApiEnv } from "../context.js";
import type { RouteSpec } from "../openapi/registry.js";
import { bearerToken } from "./authenticate.js";
import { rateLimit } from "./rate-limit.js";

/**
 * What app.ts mounts in front of each route from its spec, in order:
 * 1. unknown or repeated query parameters refused (400);
 * 2. on a route that is not public, the token (if any) verified once — `authorize` reuses the user —
 *    and the per-user rate limit (429).
 * The rule itself is the route's `authorize(...)` (app.ts mounts the spec's for a route that has none
 * of its own); a route with no rule in force at all is refused (403), never served open.
 */
export function routeGuard(
  deps: ApiDeps,
  spec: RouteSpec,
  declaredRule: () => Rule | undefined,
  userLimit: MiddlewareHandler<ApiEnv>,
) {
  const method = spec.method.toUpperCase();
  const strict = knownQueryOnly(spec);
  return createMiddleware<ApiEnv>(async (c, next) => {
    if ((c.req.method === "HEAD" ? "GET" : c.req.method) !== method) return next();
    const rule = declaredRule();
    if (!rule) throw new CatdataError("FORBIDDEN", `${method} ${spec.path} declares no rule`);
    await strict(c, async () => {
      if (rule.scope !== "public") await identify(deps, c);
      await userLimit(c, next);
    });
  });
}

/** Sets the user from a valid token; a missing or invalid one is left for the rule to refuse (401). */
async function identify(deps: ApiDeps, c: Parameters<MiddlewareHandler<ApiEnv>>[0]): Promise<void> {
  const token = bearerToken(c);
  if (!token || c.get("user")) return;
  try {
    c.set("user", await deps.verify(token));
  } catch {
    // the route's rule answers 401 with the reason
  }
}

/** Only the parameters the route declares, each at most once (no parameter pollution). */
export function knownQueryOnly(spec: Pick<RouteSpec, "query">) {
  const known = new Set(Object.keys(spec.query?.shape ?? {}));
  return createMiddleware<ApiEnv>(async (c, next) => {
    const given = c.req.queries();
    const unknown = Object.keys(given).filter((name) => !known.has(name));
    if (unknown.length > 0) {
      const takes = known.size ? `it takes ${[...known].join(", ")}` : "it takes no query parameters";
      throw new CatdataError("BAD_INPUT", `unknown query parameter ${unknown.map((u) => `"${u}"`).join(", ")}`, {
        hint: `remove it; ${takes} (see /openapi.json)`,
      });
    }
    const repeated = Object.entries(given).find(([, values]) => values.length > 1);
    if (repeated) throw new CatdataError("BAD_INPUT", `query parameter "${repeated[0]}" is given more than once`);
    await next();
  });
}

/** The per-user token bucket (keyed by `sub`; calls with no network origin are not limited). */
export const userRateLimit = (deps: ApiDeps, limit: { perMinute: number; burst: number }) =>
  rateLimit(
    "user",
    limit,
    (c) => (c.get("clientIp") === "unknown" ? undefined : c.get("user")?.sub),
    (scope) => deps.metrics?.rateLimited(scope),
  );
