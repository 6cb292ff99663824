import { z } from "zod";
import type { Rule } from "../../auth/policy.js";
import { VERSION } from "../../version.js";
import { type DocumentedRoute, openApiPath } from "./registry.js";
import { errorBody } from "./schemas.js";

/**
 * The OpenAPI 3.1 document, generated from the route specs (the same zod schemas the handlers
 * parse with, through zod's own `z.toJSONSchema`). Every operation also lists the errors it can
 * answer with, all in the one error shape, and carries its rule as `x-catdata-rule`.
 */
type Json = Record<string, unknown>;

const toSchema = (schema: z.ZodType, io: "input" | "output"): Json => {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: "any" }) as Json;
  return rest;
};

const ERROR_REF = { $ref: "#/components/schemas/Error" };
const errorResponse = (description: string) => ({
  description,
  content: { "application/json": { schema: ERROR_REF } },
});

function parameters(spec: DocumentedRoute): Json[] {
  const out: Json[] = [];
  for (const [where, schema] of [
    ["path", spec.params],
    ["query", spec.query],
  ] as const) {
    if (!schema) continue;
    const json = toSchema(schema, "input") as { properties?: Record<string, Json>; required?: string[] };
    for (const [name, property] of Object.entries(json.properties ?? {})) {
      const { description, ...rest } = property;
      out.push({
        name,
        in: where,
        required: where === "path" || (json.required ?? []).includes(name),
        ...(description ? { description } : {}),
        schema: rest,
      });
    }
  }
  return out;
}

/** `admin, staff — own-municipality-records`: the groups allowed and the scope of data served. */
export const describeRule = (rule: Rule | undefined) =>
  rule ? (rule.scope === "public" ? "public" : `${rule.allow.join(", ")} — ${rule.scope}`) : "UNDECLARED";

function operation(spec: DocumentedRoute): Json {
  const signedIn = spec.rule?.scope !== "public";
  const responses: Json = {};
  for (const [status, r] of Object.entries(spec.responses)) {
    responses[status] = {
      description: r.description,
      ...(r.schema
        ? { content: { [r.contentType ?? "application/json"]: { schema: toSchema(r.schema, "output") } } }
        : {}),
    };
  }
  responses[400] = errorResponse("invalid parameters or body (unknown query parameters are refused)");
  if (signedIn) {
    responses[401] = errorResponse("no valid token");
    responses[403] = errorResponse("the rule does not allow this caller");
  }
  if (spec.body) responses[413] = errorResponse("the body is larger than the route's limit");
  responses[429] = errorResponse("rate limit; see Retry-After");
  responses[500] = errorResponse("internal error; quote the requestId");
  const body = spec.body && {
    required: !spec.body.every((b) => b.description === "optional"),
    content: Object.fromEntries(
      spec.body.map((b) => [
        b.contentType,
        {
          ...(b.schema ? { schema: toSchema(b.schema, "input") } : {}),
          ...(b.description ? { description: b.description } : {}),
        },
      ]),
    ),
  };
  return {
    operationId: spec.operationId,
    summary: spec.summary,
    ...(spec.description ? { description: spec.description } : {}),
    tags: [spec.tag],
    "x-catdata-rule": describeRule(spec.rule),
    security: signedIn ? [{ bearerAuth: [] }, { sessionCookie: [] }] : [],
    parameters: parameters(spec),
    ...(body ? { requestBody: body } : {}),
    responses,
  };
}

export function buildOpenApiDocument(specs: readonly DocumentedRoute[], serverUrl: string): Json {
  const paths: Record<string, Json> = {};
  for (const spec of specs) {
    const path = openApiPath(spec.path);
    paths[path] = { ...(paths[path] ?? {}), [spec.method]: operation(spec) };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "catdata API",
      version: VERSION,
      description:
        "Municipal cat data: records, statistics, uploads and read-only SQL. Errors are always " +
        "{ error: { code, message, requestId } }. Each operation's rule (groups allowed — scope of data) " +
        "is in x-catdata-rule.",
    },
    servers: [{ url: serverUrl }],
    paths,
    components: {
      schemas: { Error: toSchema(errorBody, "output") },
      securitySchemes: {
        bearerAuth: { type: "http", scheme: "bearer", bearerFormat: "JWT (ID or access token from /auth/login)" },
        sessionCookie: { type: "apiKey", in: "cookie", name: "catdata_id" },
      },
    },
  };
}
