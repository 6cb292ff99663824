import { z } from "zod";
import { RULES } from "../../auth/policy.js";
import { DATASETS } from "../../cats/model.js";
import { municipalitiesQuery } from "../routes/municipalities.js";
import { TRAIL_QUERIES } from "../routes/trail.js";
import { createUserBody, resetPasswordBody, usernameParams } from "../routes/users.js";
import { defineRoute, type RouteSpec } from "./registry.js";

/**
 * Specs of the routes whose handlers live in other engineers' files (auth, cats, municipalities,
 * users, trail). Their rules come from the `authorize(...)` in those handlers, except the trail's:
 * its routes leave authorisation to where they are mounted, so their specs carry `adminOnly`, which
 * app.ts enforces. Where a file exports its
 * schemas (users.ts) they are imported; the others are copies of what the handler parses — replace
 * a copy by an import when its file exports it. The completeness test (openapi.test.ts) fails when a
 * mounted route has no spec here, or a spec no route.
 */
const json = "application/json";
const municipality = z
  .string()
  .regex(/^[a-z0-9-]{2,32}$/)
  .describe("a municipality code: 131041, us-tx-austin");
const filterQuery = z.object({
  dataset: z.enum(DATASETS).default("intakes"),
  municipality: municipality.optional(),
  fiscalYear: z.coerce.number().int().min(1900).max(2100).optional(),
  from: z.iso.date().optional().describe("on or after this date"),
  to: z.iso.date().optional().describe("before this date"),
  type: z
    .string()
    .regex(/^[a-z_]{2,40}$/)
    .optional()
    .describe("intake/outcome type, complaint category"),
});
const listQuery = filterQuery.extend({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.string().max(200).optional().describe("nextCursor of the previous page"),
});
const loginBody = z.object({ username: z.string().min(1).max(128), password: z.string().min(1).max(256) });
const refreshBody = z.object({ refreshToken: z.string().min(1).max(200).optional() });
const passwordBody = z.object({ currentPassword: z.string().min(1).max(256), newPassword: z.string().min(1).max(256) });
const user = z.object({ username: z.string(), groups: z.array(z.string()), municipality: z.string().nullable() });
const tokens = z.object({
  idToken: z.string(),
  accessToken: z.string(),
  expiresIn: z.number().int(),
  refreshToken: z.string(),
  refreshTokenExpiresAt: z.string(),
  tokenType: z.literal("Bearer"),
  user,
});
const ok = z.object({ ok: z.boolean(), message: z.string().optional() });
const rows = z.array(z.record(z.string(), z.unknown()));

const route = (method: RouteSpec["method"], path: string, operationId: string, tag: string, summary: string) => ({
  method,
  path,
  operationId,
  tag,
  summary,
});

export const externalSpecs: RouteSpec[] = [
  defineRoute({
    ...route("post", "/auth/login", "login", "auth", "Sign in: Cognito-shaped ID and access tokens, a refresh token"),
    body: [{ contentType: json, schema: loginBody }],
    responses: { 200: { description: "tokens (also set as httpOnly cookies)", schema: tokens } },
  }),
  defineRoute({
    ...route("post", "/auth/refresh", "refreshTokens", "auth", "New tokens for a refresh token (rotated)"),
    body: [{ contentType: json, schema: refreshBody, description: "optional: else the refresh cookie" }],
    responses: { 200: { description: "tokens", schema: tokens } },
  }),
  defineRoute({
    ...route("post", "/auth/logout", "logout", "auth", "Sign out: revokes the refresh token, clears the cookies"),
    body: [{ contentType: json, schema: refreshBody, description: "optional" }],
    responses: { 200: { description: "signed out", schema: ok } },
  }),
  defineRoute({
    ...route("post", "/auth/password", "changePassword", "auth", "Change one's own password"),
    body: [{ contentType: json, schema: passwordBody }],
    responses: { 200: { description: "changed; other sessions end", schema: ok } },
  }),
  defineRoute({
    ...route("get", "/.well-known/jwks.json", "getJwks", "auth", "The public keys that verify the tokens (JWKS)"),
    responses: { 200: { description: "JSON Web Key Set", schema: z.object({ keys: z.array(z.looseObject({})) }) } },
  }),
  defineRoute({
    ...route("get", "/cats", "listCats", "cats", "Canonical records, filtered, cursor-paginated"),
    query: listQuery,
    responses: {
      200: { description: "a page of records", schema: z.object({ items: rows, nextCursor: z.string().nullable() }) },
    },
  }),
  defineRoute({
    ...route("get", "/cats/stats", "getCatStats", "cats", "Counts by municipality and month (small cells suppressed)"),
    query: filterQuery,
    responses: {
      200: { description: "monthly counts", schema: z.object({ dataset: z.enum(DATASETS), monthly: rows }) },
    },
  }),
  defineRoute({
    ...route(
      "get",
      "/municipalities",
      "listMunicipalities",
      "cats",
      "Municipalities and the datasets holding their data",
    ),
    query: municipalitiesQuery,
    responses: { 200: { description: "municipalities", schema: z.object({ items: z.array(z.looseObject({})) }) } },
  }),
  defineRoute({
    ...route("get", "/users", "listUsers", "users", "The user pool's users"),
    responses: { 200: { description: "users", schema: z.object({ items: z.array(z.looseObject({})) }) } },
  }),
  defineRoute({
    ...route("post", "/users", "createUser", "users", "Create a user"),
    body: [{ contentType: json, schema: createUserBody }],
    responses: { 201: { description: "created", schema: z.looseObject({}) } },
  }),
  ...(["disable", "enable"] as const).map((action) =>
    defineRoute({
      ...route(
        "post",
        `/users/:username/${action}`,
        `${action}User`,
        "users",
        `${action === "disable" ? "Disable" : "Enable"} a user`,
      ),
      params: usernameParams,
      responses: { 200: { description: "the user", schema: z.looseObject({}) } },
    }),
  ),
  defineRoute({
    ...route("post", "/users/:username/password", "resetUserPassword", "users", "Reset a user's password"),
    params: usernameParams,
    body: [{ contentType: json, schema: resetPasswordBody }],
    responses: { 200: { description: "reset; the user's sessions end", schema: ok } },
  }),
  ...trailSpecs(),
];

function trailSpecs(): RouteSpec[] {
  const principal = z.strictObject({
    principal: z.string().min(1).max(512).describe("principal id (URL-encoded) or its last part"),
  });
  const report = z.looseObject({});
  const trail = (path: string, operationId: string, summary: string, query: z.ZodObject, params?: z.ZodObject) =>
    defineRoute({
      ...route("get", path, operationId, "trail", summary),
      rule: RULES.adminOnly,
      query,
      ...(params ? { params } : {}),
      responses: { 200: { description: "JSON", schema: report } },
    });
  return [
    trail("/trail/principals", "listPrincipals", "CloudTrail principals, busiest first", TRAIL_QUERIES.principals),
    trail(
      "/trail/principals/:principal/profile",
      "getPrincipalProfile",
      "A principal's habits and activity times",
      TRAIL_QUERIES.profile,
      principal,
    ),
    trail(
      "/trail/principals/:principal/predictions",
      "predictNextCalls",
      "A principal's likely next calls, with probabilities",
      TRAIL_QUERIES.predictions,
      principal,
    ),
    trail("/trail/anomalies", "listAnomalies", "Events ranked by anomaly score, with reasons", TRAIL_QUERIES.anomalies),
  ];
}
