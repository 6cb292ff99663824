import { Hono } from "hono";
import { RULES } from "../../auth/policy.js";
import type { ApiDeps, ApiEnv } from "../context.js";
import { authorize } from "../middleware/authorize.js";
import { DOCS_CSP, renderDocsPage } from "./docs-page.js";
import { buildOpenApiDocument } from "./document.js";
import { type DocumentedRoute, defineRoute, type RouteSpec } from "./registry.js";

/** `GET /openapi.json` and `GET /docs`: public, generated from the specs of every mounted route. */
export const metaSpecs: RouteSpec[] = [
  defineRoute({
    method: "get",
    path: "/openapi.json",
    operationId: "getOpenApi",
    summary: "This API's description (OpenAPI 3.1)",
    tag: "meta",
    responses: { 200: { description: "the OpenAPI document" } },
  }),
  defineRoute({
    method: "get",
    path: "/docs",
    operationId: "getDocs",
    summary: "This API's description as a page",
    tag: "meta",
    responses: { 200: { description: "HTML", contentType: "text/html" } },
  }),
];

/**
 * Where the API is, seen from the caller: the path the request came in on, less the route — `/api`
 * under `npm start`, the stage (`/prod`) on an execute-api host of API Gateway.
 */
function serverUrl(path: string, suffix: string, env: unknown, host: string | undefined): string {
  const base = path.endsWith(suffix) ? path.slice(0, -suffix.length) : "";
  const stage = (env as { requestContext?: { stage?: string } } | undefined)?.requestContext?.stage;
  const onExecuteApi = stage && host?.endsWith(".amazonaws.com");
  return `${onExecuteApi ? `/${stage}` : ""}${base}` || "/";
}

export function openApiRoutes(deps: ApiDeps, routes: () => readonly DocumentedRoute[]) {
  const documents = new Map<string, Record<string, unknown>>();
  const documentFor = (url: string) => {
    let doc = documents.get(url);
    if (!doc) {
      doc = buildOpenApiDocument(routes(), url);
      if (documents.size < 16) documents.set(url, doc);
    }
    return doc;
  };
  return new Hono<ApiEnv>()
    .get("/openapi.json", authorize(deps, RULES.public), (c) =>
      c.json(documentFor(serverUrl(c.req.path, "/openapi.json", c.env, c.req.header("host")))),
    )
    .get("/docs", authorize(deps, RULES.public), (c) => {
      c.header("Content-Security-Policy", DOCS_CSP);
      return c.html(renderDocsPage(documentFor(serverUrl(c.req.path, "/docs", c.env, c.req.header("host")))));
    });
}
