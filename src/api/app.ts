import { type Context, Hono } from "hono";
import { requestId } from "hono/request-id";
import { auditTrail } from "../audit/middleware.js";
import type { Rule } from "../auth/policy.js";
import type { ApiDeps, ApiEnv } from "./context.js";
import { toErrorResponse } from "./errors.js";
import { accessLog } from "./middleware/access-log.js";
import { bearerToken, verifyRequest } from "./middleware/authenticate.js";
import { authorize, ruleOf } from "./middleware/authorize.js";
import { requestBodyLimit } from "./middleware/body-limit.js";
import { corsAllowList, securityHeaders } from "./middleware/browser-policy.js";
import { clientIp } from "./middleware/client-ip.js";
import { ipAllowList } from "./middleware/ip-allow-list.js";
import { rateLimit } from "./middleware/rate-limit.js";
import { routeGuard, userRateLimit } from "./middleware/route-guard.js";
import { externalSpecs } from "./openapi/external-specs.js";
import { type DocumentedRoute, type RouteSpec, routeKey } from "./openapi/registry.js";
import { metaSpecs, openApiRoutes } from "./openapi/routes.js";
import { authRoutes } from "./routes/auth.js";
import { catsRoutes } from "./routes/cats.js";
import { chatRoutes, chatSpecs } from "./routes/chat.js";
import { kpiSpecs, kpisRoutes } from "./routes/kpis.js";
import { loadSpecs, loadsRoutes } from "./routes/loads.js";
import { municipalitiesRoutes } from "./routes/municipalities.js";
import { queriesRoutes, querySpecs } from "./routes/queries.js";
import { templateSpecs, templatesRoutes } from "./routes/templates.js";
import { trailRoutes } from "./routes/trail.js";
import { uploadSpecs, uploadsRoutes } from "./routes/uploads.js";
import { usersRoutes } from "./routes/users.js";

/** Every route of the API, as the OpenAPI document describes it (a test holds routes and specs equal). */
export const ROUTE_SPECS: readonly RouteSpec[] = [
  ...externalSpecs,
  ...uploadSpecs,
  ...loadSpecs,
  ...templateSpecs,
  ...kpiSpecs,
  ...chatSpecs,
  ...querySpecs,
  ...metaSpecs,
];

/**
 * The HTTP API (the API Gateway `cat-data-api` role). The same app runs under Node (mounted at `/api`
 * beside the web app) and as the API Gateway Lambda handler (routes at the stage root: `/cats`).
 * In order: request id, audit trail (sees every call, refused ones too), access log and metrics,
 * then the WAF role — source-IP allow-list, CORS, security headers, per-IP rate limit, body limit —
 * then each route's guard (unknown parameters, per-user rate limit, its rule) and the route.
 */
export function createApiApp(deps: ApiDeps) {
  const { logger, config } = deps.runtime;
  const protection = config.protection;
  const { ipPerMinute, userPerMinute, burst } = protection.rateLimit;
  const app = new Hono<ApiEnv>();
  app.use(requestId());
  if (deps.audit) {
    const identify = (c: Context) => (bearerToken(c) ? verifyRequest(deps, c) : Promise.resolve(undefined));
    app.use(auditTrail(deps.audit, { trustForwardedFor: protection.trustProxy, identify }));
  }
  app.use(accessLog(logger, deps.metrics));
  app.use(clientIp(protection.trustProxy));
  app.use(ipAllowList(protection.allowedIps));
  app.use(corsAllowList(protection.corsOrigins));
  app.use(securityHeaders(protection.trustProxy));
  app.use(
    rateLimit(
      "ip",
      { perMinute: ipPerMinute, burst },
      (c) => (c.get("clientIp") === "unknown" ? undefined : c.get("clientIp")),
      (scope) => deps.metrics?.rateLimited(scope),
    ),
  );
  app.use(requestBodyLimit(protection.bodyLimitBytes, (method, path) => method === "POST" && /\/uploads$/.test(path)));
  app.onError((error, c) => toErrorResponse(error, c, logger));
  app.notFound((c) =>
    c.json(
      {
        error: { code: "NOT_FOUND", message: `no route ${c.req.method} ${c.req.path}`, requestId: c.get("requestId") },
      },
      404,
    ),
  );

  // The rule in force per route: its handlers' `authorize(...)`, read once everything is mounted.
  const declared = new Map<string, Rule>();
  const userLimit = userRateLimit(deps, { perMinute: userPerMinute, burst });
  for (const spec of ROUTE_SPECS) {
    app.use(
      spec.path,
      routeGuard(deps, spec, () => declared.get(routeKey(spec)), userLimit),
    );
    // A route that leaves authorisation to where it is mounted (the trail's) gets its spec's rule here.
    if (spec.rule) app.on(spec.method.toUpperCase(), spec.path, authorize(deps, spec.rule));
  }

  app.route("/", authRoutes(deps));
  app.route("/", catsRoutes(deps));
  app.route("/", kpisRoutes(deps));
  app.route("/", chatRoutes(deps));
  app.route("/", municipalitiesRoutes(deps));
  app.route("/", uploadsRoutes(deps));
  app.route("/", loadsRoutes(deps));
  app.route("/", templatesRoutes(deps));
  app.route("/", queriesRoutes(deps));
  app.route("/", usersRoutes(deps));
  app.route("/", trailRoutes(deps)); // admin-only: its specs carry the rule
  app.route(
    "/",
    openApiRoutes(deps, () => documented),
  );

  for (const route of app.routes) {
    const rule = route.method === "ALL" ? undefined : ruleOf(route.handler);
    if (rule) declared.set(`${route.method} ${route.path}`, rule);
  }
  const documented: DocumentedRoute[] = ROUTE_SPECS.map((spec) => ({ ...spec, rule: declared.get(routeKey(spec)) }));
  return app;
}
