import { Hono } from "hono";
import { z } from "zod";
import { mayReadUpload, type Rule } from "../../auth/policy.js";
import { CatdataError } from "../../errors.js";
import { loadHistory, retractLoad } from "../../etl/loads.js";
import type { ApiDeps, ApiEnv } from "../context.js";
import { authorize } from "../middleware/authorize.js";
import { defineRoute } from "../openapi/registry.js";

/**
 * `GET /loads/history` and `POST /loads/:id/retract`: the loads in the lake and their corrections
 * (docs/data-model.md, "Corrections"; a replace is an upload with `replaces`, POST /uploads).
 * Admins for any municipality, staff for their own: staff see their municipality's loads only, and a
 * load of another municipality answers as an unknown one (404), so ids of others do not leak.
 */
const RULE: Rule = { allow: ["admin", "staff"], scope: "own-municipality-records" };
const historyQuery = z.strictObject({
  municipality: z.string().min(1).max(64).optional().describe("only this municipality's loads; staff: their own"),
});
const retractParams = z.strictObject({ id: z.string().regex(/^[0-9a-f]{20}$/, "a job id (20 hex digits)") });

const correction = z.object({
  at: z.string(),
  action: z.enum(["replace", "retract"]),
  jobId: z.string().describe("the job taken out"),
  by: z.string().nullable().describe("the job that replaced it; null for a retract"),
  parts: z.record(z.string(), z.number()).describe("parts that left the catalog, per dataset"),
});
const history = z.object({
  loads: z.array(
    z.object({
      jobId: z.string(),
      municipality: z.string().nullable(),
      mapping: z.string().nullable(),
      committedAt: z.string(),
      state: z.enum(["live", "replaced", "retracted"]),
      replacedBy: z.string().nullable(),
      retiredAt: z.string().nullable(),
      parts: z.record(z.string(), z.number()),
    }),
  ),
  history: z.array(correction),
});

export const loadSpecs = [
  defineRoute({
    method: "get",
    path: "/loads/history",
    operationId: "getLoadHistory",
    summary: "Every committed load (live, replaced, retracted) and every replace and retract",
    tag: "uploads",
    query: historyQuery,
    responses: { 200: { description: "the loads, newest first, and the corrections, oldest first", schema: history } },
  }),
  defineRoute({
    method: "post",
    path: "/loads/:id/retract",
    operationId: "retractLoad",
    summary: "Take a load's records out of the lake in one commit (parts kept; undo: upload with replaces)",
    tag: "uploads",
    params: retractParams,
    responses: { 200: { description: "the history entry of the retract", schema: correction } },
  }),
];

export function loadsRoutes(deps: ApiDeps) {
  const { runtime } = deps;
  const lake = () => {
    if (!runtime.lake) throw new CatdataError("NOT_FOUND", "this deployment serves no lake catalog");
    return runtime.lake;
  };
  return new Hono<ApiEnv>()
    .get("/loads/history", authorize(deps, RULE), async (c) => {
      const q = historyQuery.parse(c.req.query());
      const user = c.get("user");
      const scope = user.groups.includes("admin") ? q.municipality : (user.municipality ?? "\u0000none");
      return c.json(loadHistory(await lake().readCatalog(), scope));
    })
    .post("/loads/:id/retract", authorize(deps, RULE), async (c) => {
      const { id } = retractParams.parse(c.req.param());
      const job = await runtime.jobs.get(id);
      if (!job || !mayReadUpload(c.get("user"), job.municipality)) {
        throw new CatdataError("NOT_FOUND", "no load with this id that you may see", {
          hint: "use a jobId from GET /loads/history; staff see their own municipality's loads only",
        });
      }
      const marts = runtime.marts;
      const entry = await retractLoad({ lake: lake(), ...(marts ? { afterChange: () => marts.request() } : {}) }, id);
      return c.json(entry);
    });
}
