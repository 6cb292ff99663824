import type { Context, MiddlewareHandler } from "hono";
import { createMiddleware } from "hono/factory";
import { assertRule, checkAccess, type Rule, recordMunicipality } from "../../auth/policy.js";
import type { Claims } from "../../auth/tokens.js";
import type { ApiDeps, ApiEnv } from "../context.js";
import { verifyRequest } from "./authenticate.js";

/** Where a route's rule is kept on its middleware, so tests (and the OpenAPI generator) can read it. */
export const RULE = Symbol.for("catdata.authorize.rule");

/** The parameter name any route uses to name a municipality, in the query, the path or a JSON body. */
const MUNICIPALITY_PARAM = "municipality";

/**
 * Every route declares its rule: `.get("/cats", authorize(deps, RULES.records), handler)`. The middleware
 * verifies the token (unless the route is public), refuses roles the rule does not allow (403), and for
 * record-level scopes checks every value that names a municipality — each repeated query value, the
 * path parameter and a JSON body field — against the caller's own (403), before the handler runs.
 */
export function authorize(deps: ApiDeps, rule: Rule): MiddlewareHandler<ApiEnv> & { [RULE]: Rule } {
  assertRule(rule);
  const middleware = createMiddleware<ApiEnv>(async (c, next) => {
    if (rule.scope !== "public") {
      const known = c.get("user") as Claims | undefined;
      const user = known ?? (await verifyRequest(deps, c));
      c.set("user", user);
      checkAccess(rule, user);
      if (rule.scope === "own-municipality-records") {
        for (const named of await namedMunicipalities(c)) recordMunicipality(user, named);
      }
    }
    await next();
  });
  return Object.assign(middleware, { [RULE]: rule });
}

/** The rule a handler (or a handler Hono wrapped when mounting a sub-app) carries, if any. */
export function ruleOf(handler: unknown): Rule | undefined {
  const h = handler as { [RULE]?: Rule; __COMPOSED_HANDLER?: unknown } | undefined;
  return h?.[RULE] ?? (h?.__COMPOSED_HANDLER ? ruleOf(h.__COMPOSED_HANDLER) : undefined);
}

async function namedMunicipalities(c: Context): Promise<string[]> {
  const named = [...(c.req.queries(MUNICIPALITY_PARAM) ?? [])];
  const fromPath = c.req.param(MUNICIPALITY_PARAM);
  if (fromPath !== undefined) named.push(fromPath);
  if (c.req.header("content-type")?.startsWith("application/json")) {
    const body = (await c.req.json().catch(() => undefined)) as Record<string, unknown> | undefined;
    const value = body && typeof body === "object" ? body[MUNICIPALITY_PARAM] : undefined;
    if (value !== undefined) named.push(String(value));
  }
  return named;
}
