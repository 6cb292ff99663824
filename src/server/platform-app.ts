import type { HttpBindings } from "@hono/node-server";
import { RESPONSE_ALREADY_SENT } from "@hono/node-server/utils/response";
import { type Context, Hono } from "hono";
import { requestId } from "hono/request-id";
import { createApiApp } from "../api/app.js";
import type { ApiDeps, ApiEnv } from "../api/context.js";
import { toErrorResponse } from "../api/errors.js";
import { bearerToken, verifyRequest } from "../api/middleware/authenticate.js";
import { authorize } from "../api/middleware/authorize.js";
import { auditTrail } from "../audit/middleware.js";
import { RULES } from "../auth/policy.js";
import { createMcpHttpHandler } from "../mcp/http.js";
import { createWebApp } from "../web/app.js";
import { allowedHostNames, hostCheck } from "./host-check.js";
import { VERSION } from "./version.js";

/**
 * Everything served on the main port (8501): the web app at `/`, the API at `/api`, and the
 * CloudTrail MCP server (Streamable HTTP) at `/mcp` — admin-only, signed in like the API, audited.
 * Every request must name this server in its Host header (against DNS rebinding).
 */
export function createPlatformApp(deps: ApiDeps) {
  const { config } = deps.runtime;
  const app = new Hono<ApiEnv & { Bindings: HttpBindings }>();
  const mcp = createMcpHttpHandler({ behaviour: deps.runtime.behaviour, trail: deps.runtime.trail, version: VERSION });
  app.onError((error, c) => toErrorResponse(error, c, deps.runtime.logger));
  app.use(hostCheck(allowedHostNames(config.host, config.protection.allowedHosts)));
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
    const identify = (c: Context) => (bearerToken(c) ? verifyRequest(deps, c) : Promise.resolve(undefined));
    app.use("/mcp", requestId(), auditTrail(deps.audit, { trustForwardedFor: config.protection.trustProxy, identify }));
  }
  app.all("/mcp", authorize(deps, RULES.adminOnly), async (c) => {
    const body = c.req.method === "POST" ? await c.req.json().catch(() => undefined) : undefined;
    await mcp(c.env.incoming, c.env.outgoing, body);
    return RESPONSE_ALREADY_SENT;
  });
  app.route("/", createWebApp());
  return app;
}
