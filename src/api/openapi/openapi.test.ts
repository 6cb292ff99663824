/**
 * Pins the OpenAPI 3.1 description against the app itself, in process:
 * - every mounted route has a spec, and every spec a mounted route (method and path)
 * - every route has a rule in force, and a signed-in rule shows as security in the document
 * - the document is OpenAPI 3.1 with unique operation ids, query/path parameters from the handlers'
 *   zod schemas, the error shape as a component, and is served without sign-in at /openapi.json
 * - /docs lists every operation in server-rendered HTML under a CSP that allows no script
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DataDir } from "../../local/data-dir.js";
import { silentLogger } from "../../log/logger.js";
import { openRuntime, type Runtime } from "../../runtime.js";
import { createTestAuth } from "../../testing/auth.js";
import { tempConfig } from "../../testing/fixtures.js";
import { createApiApp, ROUTE_SPECS } from "../app.js";
import { openApiPath, routeKey } from "./registry.js";

type Operation = {
  operationId: string;
  security: unknown[];
  parameters: { name: string; in: string; required: boolean }[];
  responses: Record<string, unknown>;
  "x-catdata-rule": string;
};
let runtime: Runtime;
let app: ReturnType<typeof createApiApp>;
let doc: {
  openapi: string;
  servers: { url: string }[];
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown> };
};

beforeAll(async () => {
  runtime = await openRuntime(tempConfig(), silentLogger);
  app = createApiApp({ runtime, ...(await createTestAuth(new DataDir(runtime.config.dataDirectory))) });
  const res = await app.request("/openapi.json");
  expect(res.status).toBe(200);
  doc = await res.json();
});
afterAll(async () => runtime.close());

describe("OpenAPI", () => {
  it("describes exactly the mounted routes", () => {
    const mounted = new Set(app.routes.filter((r) => r.method !== "ALL").map((r) => `${r.method} ${r.path}`));
    const specified = new Set(ROUTE_SPECS.map(routeKey));
    expect(
      [...mounted].filter((k) => !specified.has(k)),
      "mounted without a spec",
    ).toEqual([]);
    expect(
      [...specified].filter((k) => !mounted.has(k)),
      "specified but not mounted",
    ).toEqual([]);
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`));
    expect(documented.sort()).toEqual(ROUTE_SPECS.map((s) => `${s.method} ${openApiPath(s.path)}`).sort());
  });

  it("has a rule in force for every route", () => {
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        expect(op["x-catdata-rule"], `${method} ${path}`).not.toBe("UNDECLARED");
        expect(op.security.length > 0, `${method} ${path}`).toBe(op["x-catdata-rule"] !== "public");
      }
    }
    expect(doc.paths["/queries"]?.post?.["x-catdata-rule"]).toBe("admin, analyst — all-records");
    expect(doc.paths["/uploads"]?.post?.["x-catdata-rule"]).toBe("admin, staff — own-municipality-records");
    expect(doc.paths["/trail/anomalies"]?.get?.["x-catdata-rule"]).toBe("admin — admin-only");
  });

  it("is OpenAPI 3.1 built from the handlers' schemas", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.servers[0]?.url).toBe("/");
    const ids = Object.values(doc.paths).flatMap((ops) => Object.values(ops).map((o) => o.operationId));
    expect(new Set(ids).size).toBe(ids.length);
    const cats = doc.paths["/cats"]?.get;
    expect(cats?.parameters.map((p) => p.name).sort()).toEqual(
      ["cursor", "dataset", "fiscalYear", "from", "limit", "municipality", "to", "type"].sort(),
    );
    expect(doc.paths["/uploads/{id}"]?.get?.parameters).toContainEqual(
      expect.objectContaining({ name: "id", in: "path", required: true }),
    );
    expect(doc.paths["/cats"]?.get?.responses["401"]).toEqual({
      description: expect.any(String),
      content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
    });
    expect(doc.components.schemas.Error).toMatchObject({
      properties: { error: { required: ["code", "message", "requestId"] } },
    });
  });

  it("renders /docs as a static page listing every operation", async () => {
    const res = await app.request("/docs");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/text\/html/);
    expect(res.headers.get("content-security-policy")).toMatch(/^default-src 'none'; style-src 'sha256-[^']+'/);
    const html = await res.text();
    expect(html).not.toMatch(/<script|https?:\/\/(?!127)/);
    for (const ops of Object.values(doc.paths))
      for (const op of Object.values(ops)) expect(html).toContain(`id="${op.operationId}"`);
  });
});
