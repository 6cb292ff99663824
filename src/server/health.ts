import { Hono } from "hono";
import type { Runtime } from "../runtime.js";

export const VERSION = "0.1.0";

/**
 * `GET /healthcheck` (port 8080, the design's health-check port): 200 with the version and each
 * component's status when everything answers, 503 naming the component that does not.
 */
export function createHealthApp(runtime: Runtime, startedAt = new Date()) {
  return new Hono().get("/healthcheck", async (c) => {
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
      return `${jobs.length} jobs, ${jobs.filter((j) => j.status === "failed").length} failed`;
    });
    const healthy = Object.values(components).every((x) => x.status === "ok");
    return c.json(
      { status: healthy ? "ok" : "degraded", version: VERSION, startedAt: startedAt.toISOString(), components },
      healthy ? 200 : 503,
    );
  });
}
