import type { z } from "zod";
import type { Rule } from "../../auth/policy.js";

/**
 * What each route says about itself, in one place the app, the OpenAPI document and the docs page
 * all read: method and path, and the zod schemas the handler itself parses with. Its rule (who may
 * call it) is the `authorize(deps, rule)` in its handler chain; a spec may carry a `rule` for a route
 * whose handlers leave it to where they are mounted, and `app.ts` then mounts that `authorize` first.
 */
export type HttpMethod = "get" | "post" | "put" | "patch" | "delete";

export interface BodySpec {
  contentType: string;
  schema?: z.ZodType;
  description?: string;
}

export interface ResponseSpec {
  description: string;
  schema?: z.ZodType;
  /** Default application/json. */
  contentType?: string;
  headers?: Record<string, string>;
}

export interface RouteSpec {
  method: HttpMethod;
  /** As Hono writes it: `/uploads/:id`. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: string;
  /** Only for a route whose handlers carry no `authorize(...)`: the rule app.ts mounts for it. */
  rule?: Rule;
  /** Every query parameter the route takes; any other is refused with 400. */
  query?: z.ZodObject;
  params?: z.ZodObject;
  body?: BodySpec[];
  responses: Record<number, ResponseSpec>;
}

/** A spec with the rule in force for it (undefined: none — the route refuses everyone). */
export type DocumentedRoute = RouteSpec & { rule: Rule | undefined };

export const defineRoute = (spec: RouteSpec): RouteSpec => spec;

/** `/uploads/:id` → `/uploads/{id}` (OpenAPI's template). */
export const openApiPath = (path: string) => path.replace(/:([A-Za-z0-9_]+)/g, "{$1}");

/** `GET /uploads/:id`, as messages and tests name a route. */
export const routeKey = (spec: Pick<RouteSpec, "method" | "path">) => `${spec.method.toUpperCase()} ${spec.path}`;
