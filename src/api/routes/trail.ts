import { Hono } from "hono";
import { z } from "zod";
import type { ApiDeps, ApiEnv } from "../context.js";

/**
 * CloudTrail behaviour over the lake (JSON), for the web app's security pages and agents:
 *   GET /trail/principals                                 principals, busiest first
 *   GET /trail/principals/:principal/profile              habits and activity time (?zone=Asia/Tokyo)
 *   GET /trail/principals/:principal/predictions          next calls with probabilities (?top, ?after, ?newSession)
 *   GET /trail/anomalies                                  events ranked by anomaly score, with reasons
 * `:principal` is the principal id, URL-encoded (`iam-user%3A123456789012%2Falice`), or its last part
 * (`alice`) when that names one principal. Authorisation is added where the routes are mounted.
 */
const flag = z.enum(["true", "false"]).transform((v) => v === "true");

export const TRAIL_QUERIES = {
  principals: z.object({}),
  profile: z.object({
    zone: z.string().min(1).max(64).default("UTC").describe("IANA time zone of the activity profile"),
    top: z.coerce.number().int().min(1).max(100).default(10).describe("How many items per list"),
  }),
  predictions: z.object({
    top: z.coerce.number().int().min(1).max(100).default(5).describe("How many predictions"),
    after: z
      .string()
      .max(4000)
      .optional()
      .describe("Predict after these calls (comma-separated eventSource:eventName) instead of the last session"),
    newSession: flag.optional().describe("true: predict the first call of a new session"),
  }),
  anomalies: z.object({
    since: z.iso.datetime({ offset: true }).optional().describe("Score events from this time on (ISO 8601)"),
    limit: z.coerce.number().int().min(1).max(1000).default(50).describe("How many events (and sessions)"),
    principal: z.string().min(1).max(512).optional().describe("Only this principal's events"),
    minScore: z.coerce.number().min(0).max(1000).optional().describe("Only events scoring at least this much"),
  }),
} as const;

const principalParam = z.string().min(1).max(512);

export function trailRoutes(deps: ApiDeps) {
  const behaviour = () => deps.runtime.behaviour;
  return new Hono<ApiEnv>()
    .get("/trail/principals", async (c) => {
      TRAIL_QUERIES.principals.parse(c.req.query());
      return c.json({ principals: await behaviour().principals() });
    })
    .get("/trail/principals/:principal/profile", async (c) => {
      const q = TRAIL_QUERIES.profile.parse(c.req.query());
      const principal = principalParam.parse(c.req.param("principal"));
      return c.json(await behaviour().profile(principal, { timeZone: q.zone, top: q.top }));
    })
    .get("/trail/principals/:principal/predictions", async (c) => {
      const q = TRAIL_QUERIES.predictions.parse(c.req.query());
      const principal = principalParam.parse(c.req.param("principal"));
      const after = q.after
        ?.split(",")
        .map((k) => k.trim())
        .filter(Boolean);
      return c.json(
        await behaviour().predict(principal, {
          top: q.top,
          ...(after ? { after } : {}),
          ...(q.newSession !== undefined ? { newSession: q.newSession } : {}),
        }),
      );
    })
    .get("/trail/anomalies", async (c) => {
      const q = TRAIL_QUERIES.anomalies.parse(c.req.query());
      const report = await behaviour().anomalies({
        limit: q.limit,
        ...(q.since ? { since: q.since } : {}),
        ...(q.principal ? { principal: q.principal } : {}),
        ...(q.minScore !== undefined ? { minScore: q.minScore } : {}),
      });
      return c.json(report);
    });
}
