import { Hono } from "hono";
import { ipRestriction } from "hono/ip-restriction";
import { toErrorResponse } from "../api/errors.js";
import { sourceIp } from "../api/middleware/client-ip.js";
import type { Runtime } from "../runtime.js";
import { allowedHostNames, hostCheck } from "./host-check.js";
import type { PlatformMetrics } from "./metrics/platform-metrics.js";
import { stuckJobs } from "./stuck-jobs.js";
import { VERSION } from "./version.js";

export { VERSION };

/**
 * The health port (8080, the design's health-check port):
 * - `GET /healthcheck`: 200 with the version and each component's status when everything answers,
 *   503 naming the component that does not — also when jobs are stuck (`running` without a change of
 *   their record, or `queued`, for too long: see stuck-jobs.ts), listing their ids;
 * - `GET /metrics` (when given the metrics): Prometheus text, to callers in CATDATA_METRICS_ALLOWED_IPS
 *   only (default loopback), by the socket's address — never a forwarded header.
 * Like the main port, it answers only requests whose Host names it (loopback names, the bound
 * address, CATDATA_ALLOWED_HOSTS): a refusal is a 403, logged as a warning.
 */
export function createHealthApp(runtime: Runtime, startedAt = new Date(), metrics?: PlatformMetrics) {
  const { config, logger } = runtime;
  const app = new Hono();
  app.onError((error, c) => toErrorResponse(error, c, logger));
  app.use(
    hostCheck(allowedHostNames(config.host, config.protection.allowedHosts), {
      logger,
      respond: (error, c) => toErrorResponse(error, c, logger),
    }),
  );
  app.get("/healthcheck", async (c) => {
    const components: Record<string, { status: "ok" | "error"; detail?: string }> = {};
    const check = async (name: string, fn: () => Promise<string | undefined>) => {
      try {
        const detail = await fn();
        components[name] = detail === undefined ? { status: "ok" } : { status: "ok", detail };
      } catch (error) {
        components[name] = { status: "error", detail: (error as Error).message };
      }
    };
    await check("store", async () => {
      await runtime.store.list("raw/");
      return `${runtime.config.store.kind}:${runtime.store.bucket}`;
    });
    await check("queryEngine", async () => {
      const tables = await runtime.query.tables();
      return `${runtime.query.kind}: ${tables.length ? tables.join(", ") : "no tables yet"}`;
    });
    await check("jobs", async () => {
      const jobs = await runtime.jobs.list();
      const stuck = stuckJobs(jobs, runtime.now());
      if (stuck.length > 0) {
        throw new Error(
          `${stuck.length} stuck: ${stuck.map((j) => `${j.jobId} (${j.status} since ${j.progress?.updatedAt ?? j.startedAt})`).join(", ")}`,
        );
      }
      const count = (status: string) => jobs.filter((j) => j.status === status).length;
      return `${jobs.length} jobs, ${count("failed")} failed, ${count("needs_review")} need review`;
    });
    const healthy = Object.values(components).every((x) => x.status === "ok");
    return c.json(
      { status: healthy ? "ok" : "degraded", version: VERSION, startedAt: startedAt.toISOString(), components },
      healthy ? 200 : 503,
    );
  });
  if (metrics) {
    const allowed = ipRestriction(
      (c) => sourceIp(c, false) ?? "",
      { allowList: runtime.config.metrics.allowedIps },
      (remote, c) =>
        c.text(`metrics are not served to ${remote.addr || "an unknown address"} (CATDATA_METRICS_ALLOWED_IPS)\n`, 403),
    );
    app.get("/metrics", allowed, async (c) =>
      c.body(await metrics.registry.render(), 200, { "content-type": "text/plain; version=0.0.4; charset=utf-8" }),
    );
  }
  return app;
}
