/**
 * Pins the trail routes in process (app.request, no port), on a lake holding a synthetic week:
 * - principals, a profile (principal by URL-encoded id or by its last part, zone in the query),
 *   predictions ({ eventKey, probability }, summing to ≤ 1) and ranked anomalies with reasons
 * - invalid query parameters are 400 with the error shape; an unknown principal is 404
 * (Authorisation is added where the routes are mounted; these tests mount them bare.)
 */
import { Hono } from "hono";
import { beforeAll, describe, expect, it } from "vitest";
import { silentLogger } from "../../log/logger.js";
import { syntheticLake } from "../../testing/behaviour.js";
import type { ApiDeps, ApiEnv } from "../context.js";
import { toErrorResponse } from "../errors.js";
import { trailRoutes } from "./trail.js";

let app: Hono<ApiEnv>;
beforeAll(async () => {
  const lake = await syntheticLake(1);
  const deps = {
    runtime: { behaviour: lake.service({ samplesDir: "/nonexistent" }), trail: lake.trail, logger: silentLogger },
  } as unknown as ApiDeps;
  app = new Hono<ApiEnv>();
  app.onError((error, c) => toErrorResponse(error, c, silentLogger));
  app.route("/", trailRoutes(deps));
});

const get = async (url: string) => {
  const res = await app.request(url);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

describe("trail routes", () => {
  it("lists principals, busiest first", async () => {
    const { status, body } = await get("/trail/principals");
    expect(status).toBe(200);
    const principals = body.principals as { principal: string; events: number }[];
    expect(principals).toHaveLength(5);
    expect(principals[0]?.events).toBeGreaterThanOrEqual(principals[4]?.events ?? 0);
  });

  it("profiles a principal by encoded id or short name, in a time zone", async () => {
    const id = encodeURIComponent("iam-user:111122223333/bob");
    const byId = await get(`/trail/principals/${id}/profile?zone=Asia%2FTokyo&top=3`);
    expect(byId.status).toBe(200);
    expect(byId.body).toMatchObject({ principal: "iam-user:111122223333/bob", activity: { timeZone: "Asia/Tokyo" } });
    expect(byId.body.topEvents).toHaveLength(3);
    const byName = await get("/trail/principals/bob/profile");
    expect(byName.body.principal).toBe("iam-user:111122223333/bob");
  });

  it("predicts next calls with probabilities", async () => {
    const { status, body } = await get(
      "/trail/principals/ci-deploy/predictions?top=2&after=cloudformation.amazonaws.com:CreateChangeSet",
    );
    expect(status).toBe(200);
    const predictions = body.predictions as { eventKey: string; probability: number }[];
    expect(predictions.map((p) => p.eventKey)[0]).toBe("cloudformation.amazonaws.com:DescribeChangeSet");
    expect(predictions.reduce((s, p) => s + p.probability, 0)).toBeLessThanOrEqual(1);
    const fresh = await get("/trail/principals/ci-deploy/predictions?newSession=true&top=1");
    expect((fresh.body.predictions as { eventKey: string }[])[0]?.eventKey).toBe("sts.amazonaws.com:GetCallerIdentity");
  });

  it("ranks anomalies with reasons", async () => {
    const { status, body } = await get("/trail/anomalies?limit=3&since=2024-04-03T00:00:00Z");
    expect(status).toBe(200);
    expect(body.since).toBe("2024-04-03T00:00:00.000Z");
    const anomalies = body.anomalies as { score: number; reasons: unknown[] }[];
    expect(anomalies.length).toBeLessThanOrEqual(3);
    expect(anomalies.map((a) => a.score)).toEqual([...anomalies.map((a) => a.score)].sort((a, b) => b - a));
  });

  it("refuses bad parameters (400) and unknown principals (404)", async () => {
    const zero = await get("/trail/anomalies?limit=0");
    expect(zero.status).toBe(400);
    expect(zero.body.error).toMatchObject({ code: "BAD_INPUT" });
    expect((await get("/trail/anomalies?since=yesterday")).status).toBe(400);
    expect((await get("/trail/principals/bob/profile?zone=Mars%2FOlympus")).status).toBe(400);
    const missing = await get("/trail/principals/nobody/predictions");
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatchObject({ code: "NOT_FOUND" });
  });
});
