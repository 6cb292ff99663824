import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { requestId } from "hono/request-id";
import { secureHeaders } from "hono/secure-headers";
import type { ApiDeps, ApiEnv } from "./context.js";
import { toErrorResponse } from "./errors.js";
import { authenticate } from "./middleware/authenticate.js";
import { authRoutes } from "./routes/auth.js";
import { catsRoutes } from "./routes/cats.js";
import { municipalitiesRoutes } from "./routes/municipalities.js";

/**
 * The HTTP API (the API Gateway `cat-data-api` role). The same app runs under Node (mounted at `/api`
 * beside the web app) and as the API Gateway Lambda handler (routes at the stage root: `/cats`).
 */
export function createApiApp(deps: ApiDeps) {
  const logger = deps.runtime.logger;
  const app = new Hono<ApiEnv>();
  app.use(requestId());
  app.use(secureHeaders());
  app.use(bodyLimit({ maxSize: 1024 * 1024 }));
  app.use(async (c, next) => {
    const started = performance.now();
    await next();
    logger.info(
      {
        requestId: c.get("requestId"),
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        ms: Math.round(performance.now() - started),
      },
      "request",
    );
  });
  app.onError((error, c) => toErrorResponse(error, c, logger));
  app.notFound((c) =>
    c.json(
      {
        error: { code: "NOT_FOUND", message: `no route ${c.req.method} ${c.req.path}`, requestId: c.get("requestId") },
      },
      404,
    ),
  );

  app.route("/", authRoutes(deps));
  app.use("/cats/*", authenticate(deps));
  app.use("/cats", authenticate(deps));
  app.use("/municipalities", authenticate(deps));
  app.route("/", catsRoutes(deps));
  app.route("/", municipalitiesRoutes(deps));
  return app;
}
