import type { HttpBindings } from "@hono/node-server";
import { RESPONSE_ALREADY_SENT } from "@hono/node-server/utils/response";
import { Hono } from "hono";
import { createApiApp } from "../api/app.js";
import type { ApiDeps, ApiEnv } from "../api/context.js";
import { toErrorResponse } from "../api/errors.js";
import { authenticate } from "../api/middleware/authenticate.js";
import { createMcpHttpHandler } from "../mcp/http.js";
import { createWebApp } from "../web/app.js";
import { VERSION } from "./health.js";

/**
 * Everything served on the main port (8501): the web app at `/`, the API at `/api`, and the
 * CloudTrail MCP server (Streamable HTTP) at `/mcp` — the latter behind the same sign-in as the API.
 */
export function createPlatformApp(deps: ApiDeps) {
  const app = new Hono<ApiEnv & { Bindings: HttpBindings }>();
  const mcp = createMcpHttpHandler({ home: deps.runtime.config.home, version: VERSION });
  app.route("/api", createApiApp(deps));
  app.onError((error, c) => toErrorResponse(error, c, deps.runtime.logger));
  app.all("/mcp", authenticate(deps), async (c) => {
    const body = c.req.method === "POST" ? await c.req.json().catch(() => undefined) : undefined;
    await mcp(c.env.incoming, c.env.outgoing, body);
    return RESPONSE_ALREADY_SENT;
  });
  app.route("/", createWebApp());
  return app;
}
