import type { HttpBindings } from "@hono/node-server";
import { type Context, Hono } from "hono";
import { requestId } from "hono/request-id";
import { createApiApp } from "../api/app.js";
import type { ApiDeps, ApiEnv } from "../api/context.js";
import { toErrorResponse } from "../api/errors.js";
import { bearerToken, verifyRequest } from "../api/middleware/authenticate.js";
import { authorize } from "../api/middleware/authorize.js";
import { requestBodyLimit } from "../api/middleware/body-limit.js";
import { sourceIp } from "../api/middleware/client-ip.js";
import { rateLimit } from "../api/middleware/rate-limit.js";
import { auditTrail } from "../audit/middleware.js";
import { RULES } from "../auth/policy.js";
import { QueryResults } from "../mcp/query-results.js";
import type { McpServerDeps } from "../mcp/server.js";
import { handleMcpRequest } from "../mcp/web.js";
import { createCloudTrailLake } from "../trail/cloudtrail-lake/create-cloudtrail-lake.js";
import { createWebApp } from "../web/app.js";
import { allowedHostNames, hostCheck, hostNameOf } from "./host-check.js";
import { VERSION } from "./version.js";

/**
 * Everything served on the main port (8501): the web app at `/`, the API at `/api`, and the
 * CloudTrail MCP server (Streamable HTTP) at `/mcp` — admin-only, signed in like the API, audited,
 * under the API's body-size limit (413) and per-user rate limit (429) besides the per-IP one below.
 * Every request must name this server in its Host header (against DNS rebinding); a refusal is
 * logged and audited with the Host it named. Outside `/api` (which has its own limiter, audited)
 * and for every request a Host check refuses, the same per-IP rate limit (CATDATA_RATE_LIMIT_IP_PER_MINUTE,
 * _BURST) applies, in buckets of its own: a flood of refusals cannot fill the trail unbounded.
 */
export function createPlatformApp(deps: ApiDeps) {
  const { config } = deps.runtime;
  const app = new Hono<ApiEnv & { Bindings: HttpBindings }>();
  const { runtime } = deps;
  const now = runtime.now ?? (() => new Date());
  // Built once: every /mcp request gets a fresh MCP server over these, with its caller added.
  const mcpDeps: Omit<McpServerDeps, "caller"> = {
    behaviour: runtime.behaviour,
    trail: runtime.trail,
    version: VERSION,
    now,
    region: config.region,
    warehouse: runtime.warehouse,
    minCell: config.auth.minCell,
    queries: new QueryResults({ now: () => now().getTime() }),
    cloudTrailLake: createCloudTrailLake(config.cloudTrailLake, config.region),
  };
  const { logger } = deps.runtime;
  const { trustProxy } = config.protection;
  app.onError((error, c) => toErrorResponse(error, c, logger));
  const { ipPerMinute, burst } = config.protection.rateLimit;
  const webLimit = rateLimit(
    "ip",
    { perMinute: ipPerMinute, burst },
    (c) => sourceIp(c, trustProxy),
    (scope) => deps.metrics?.rateLimited(scope),
  );
  const allowed = allowedHostNames(config.host, config.protection.allowedHosts);
  const hostAllowed = (c: Context) => allowed.has(hostNameOf(c.req.header("host") ?? new URL(c.req.url).host));
  app.use(async (c, next) =>
    isApiPath(c.req.path) && hostAllowed(c) ? next() : webLimit(c as unknown as Context<ApiEnv>, next),
  );
  const identify = (c: Context) => (bearerToken(c) ? verifyRequest(deps, c) : Promise.resolve(undefined));
  const audited = deps.audit
    ? auditTrail(deps.audit, { trustForwardedFor: trustProxy, identify, recordHost: true })
    : undefined;
  const withRequestId = requestId();
  app.use(
    hostCheck(allowed, {
      logger,
      respond: (error, c) => toErrorResponse(error, c, logger),
      around:
        audited &&
        (async (c, refuse) => {
          await withRequestId(c, async () => {
            await audited(c, refuse);
          });
        }),
    }),
  );
  app.route("/api", createApiApp(deps));
  // An /api path no route matched (the API's middleware has run: request id, audit, log): its error shape.
  app.all("/api/*", (c) =>
    c.json(
      {
        error: { code: "NOT_FOUND", message: `no route ${c.req.method} ${c.req.path}`, requestId: c.get("requestId") },
      },
      404,
    ),
  );
  // The MCP server serves CloudTrail security data: admins only, and every call is audited.
  if (deps.audit) {
    app.use("/mcp", requestId(), auditTrail(deps.audit, { trustForwardedFor: trustProxy, identify }));
  }
  const mcpUserLimit = rateLimit(
    "user",
    { perMinute: config.protection.rateLimit.userPerMinute, burst },
    (c) => c.get("user")?.sub,
    (scope) => deps.metrics?.rateLimited(scope),
  );
  app.use(
    "/mcp",
    requestBodyLimit(config.protection.bodyLimitBytes, () => false),
  );
  app.all("/mcp", authorize(deps, RULES.adminOnly), mcpUserLimit, async (c) => {
    // The body is read here, under the body limit; the MCP transport gets it as a fresh request. The
    // JSON answer goes back through Hono, so the audit record sees it (a tool error's isError and text).
    const raw = c.req.raw;
    const body = raw.method === "POST" ? await c.req.text() : undefined;
    const request = new Request(raw.url, { method: raw.method, headers: raw.headers, body });
    return handleMcpRequest({ ...mcpDeps, caller: c.get("user") }, request);
  });
  app.route("/", createWebApp());
  return app;
}

const isApiPath = (path: string) => path === "/api" || path.startsWith("/api/");
