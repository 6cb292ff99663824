import { Hono } from "hono";
import { z } from "zod";
import { RULES, roleOf } from "../../auth/policy.js";
import { runQuery } from "../../sql/query-service.js";
import type { ApiDeps, ApiEnv } from "../context.js";
import { authorize } from "../middleware/authorize.js";
import { readJson } from "../middleware/json-body.js";
import { defineRoute } from "../openapi/registry.js";
import { queryRun, savedQuery } from "../openapi/schemas.js";
import { resultJson } from "../result-json.js";

const runOptions = {
  maxRows: z.number().int().min(1).max(10_000).optional().describe("at most this many rows (default 10,000)"),
  timeoutSeconds: z.number().int().min(1).max(300).optional().describe("stop after this long (default 30)"),
};
const queryBody = z.strictObject({
  sql: z.string().min(1).max(100_000).describe("one read-only SELECT (or WITH … SELECT) over the lake's tables"),
  ...runOptions,
});
const runBody = z.strictObject(runOptions);
const saveBody = z.strictObject({
  name: z.string().regex(/^[a-z0-9-]{1,64}$/, "1-64 lower-case letters, digits and -"),
  sql: z.string().min(1).max(100_000),
  description: z.string().max(1000).optional(),
  replace: z
    .boolean()
    .optional()
    .describe("replace your saved query of the same name (admins: anyone's); the replaced version is kept"),
});
const nameParams = z.strictObject({ name: z.string().regex(/^[a-z0-9-]{1,64}$/) });
const versionParams = nameParams.extend({
  version: z.coerce.number().int().min(1).max(1_000_000).describe("a version number from …/versions"),
});

const json = "application/json";
export const querySpecs = [
  defineRoute({
    method: "post",
    path: "/queries",
    operationId: "runQuery",
    summary: "Run read-only SQL (the Athena role); the result also goes to the store as CSV",
    tag: "queries",
    body: [{ contentType: json, schema: queryBody }],
    responses: { 200: { description: "rows, and the CSV result's key", schema: queryRun } },
  }),
  defineRoute({
    method: "get",
    path: "/queries/saved",
    operationId: "listSavedQueries",
    summary: "The saved (named) queries",
    tag: "queries",
    responses: { 200: { description: "saved queries", schema: z.object({ items: z.array(savedQuery) }) } },
  }),
  defineRoute({
    method: "post",
    path: "/queries/saved",
    operationId: "saveQuery",
    summary: "Save a named query (checked read-only when saved)",
    tag: "queries",
    body: [{ contentType: json, schema: saveBody }],
    responses: { 201: { description: "saved", schema: savedQuery } },
  }),
  defineRoute({
    method: "get",
    path: "/queries/saved/:name/versions",
    operationId: "listSavedQueryVersions",
    summary: "Every version of a saved query, oldest first (the current one last)",
    tag: "queries",
    params: nameParams,
    responses: { 200: { description: "its versions", schema: z.object({ items: z.array(savedQuery) }) } },
  }),
  defineRoute({
    method: "get",
    path: "/queries/saved/:name/versions/:version",
    operationId: "getSavedQueryVersion",
    summary: "One version of a saved query",
    tag: "queries",
    params: versionParams,
    responses: { 200: { description: "that version", schema: savedQuery } },
  }),
  defineRoute({
    method: "post",
    path: "/queries/saved/:name/run",
    operationId: "runSavedQuery",
    summary: "Run a saved query",
    tag: "queries",
    params: nameParams,
    body: [{ contentType: json, schema: runBody, description: "optional" }],
    responses: { 200: { description: "rows, and the CSV result's key", schema: queryRun } },
  }),
];

/**
 * `POST /queries`, `GET|POST /queries/saved`, `GET /queries/saved/:name/versions[/:version]`,
 * `POST /queries/saved/:name/run`.
 */
export function queriesRoutes(deps: ApiDeps) {
  const { runtime } = deps;
  const saved = runtime.savedQueries;
  const maxBytes = runtime.config.results.maxBytes;
  const run = (sql: string, options: z.infer<typeof runBody>) =>
    runQuery({ query: runtime.query, store: runtime.store, config: runtime.config }, sql, {
      ...(options.maxRows ? { maxRows: options.maxRows } : {}),
      ...(options.timeoutSeconds ? { timeoutMs: options.timeoutSeconds * 1000 } : {}),
    });

  const rule = authorize(deps, RULES.analystSql);
  return new Hono<ApiEnv>()
    .post("/queries", rule, async (c) => {
      const { sql, ...options } = await readJson(c, queryBody);
      return resultJson(c, await run(sql, options), maxBytes);
    })
    .get("/queries/saved", rule, async (c) => c.json({ items: await saved.list() }))
    .post("/queries/saved", rule, async (c) => {
      const body = await readJson(c, saveBody);
      const query = await saved.save(
        { name: body.name, sql: body.sql, createdBy: c.get("user").username, description: body.description ?? "" },
        // Only the owner replaces a query, or an admin; the port refuses others and keeps the replaced version.
        { replace: body.replace ?? false, mayReplaceAnyOwner: roleOf(c.get("user")) === "admin" },
      );
      return c.json(query, 201);
    })
    .get("/queries/saved/:name/versions", rule, async (c) => {
      const { name } = nameParams.parse(c.req.param());
      return c.json({ items: await saved.versions(name) });
    })
    .get("/queries/saved/:name/versions/:version", rule, async (c) => {
      const { name, version } = versionParams.parse(c.req.param());
      return c.json(await saved.getVersion(name, version));
    })
    .post("/queries/saved/:name/run", rule, async (c) => {
      const { name } = nameParams.parse(c.req.param());
      const hasBody = Number(c.req.header("content-length") ?? 0) > 0 || c.req.header("transfer-encoding");
      const options = hasBody ? await readJson(c, runBody) : {};
      const query = await saved.get(name);
      return resultJson(c, await run(query.sql, options), maxBytes);
    });
}
