/**
 * Pins the health check's view of the jobs:
 * - no stuck jobs: 200, component "jobs" ok with the job count
 * - a job `running` whose record has not changed for longer than RUNNING_STALE_MS, or `queued` for
 *   longer than QUEUED_STALE_MS, makes the component "jobs" an error naming those job ids and the
 *   overall status degraded (503); a job that moves recently is not reported
 * - the health port checks the Host like the main port: loopback names (any port) and
 *   CATDATA_ALLOWED_HOSTS are answered, another name (DNS rebinding) is a 403 on /healthcheck and
 *   /metrics, logged as a warning
 */
import { afterEach, describe, expect, it } from "vitest";
import { createLogger, silentLogger } from "../log/logger.js";
import { openRuntime, type Runtime } from "../runtime.js";
import { jobRecord } from "../testing/contracts/job-log.contract.js";
import { tempConfig } from "../testing/fixtures.js";
import { createHealthApp } from "./health.js";
import { createPlatformMetrics } from "./metrics/platform-metrics.js";
import { QUEUED_STALE_MS, RUNNING_STALE_MS } from "./stuck-jobs.js";

const NOW = new Date("2026-01-10T12:00:00.000Z");
const ago = (ms: number) => new Date(NOW.getTime() - ms).toISOString();
let runtime: Runtime | undefined;
afterEach(async () => runtime?.close());

async function health(): Promise<{
  status: number;
  body: { status: string; components: Record<string, { status: string; detail?: string }> };
}> {
  const res = await createHealthApp(runtime!).request("/healthcheck");
  return { status: res.status, body: await res.json() };
}

describe("/healthcheck jobs", () => {
  it("reports stuck running and queued jobs by id", async () => {
    runtime = await openRuntime(tempConfig(), silentLogger, { now: () => NOW });
    // Saved after start-up, so the queue's recovery does not take them up.
    const fresh = jobRecord({
      status: "running",
      startedAt: ago(RUNNING_STALE_MS * 3),
      progress: { bytesRead: 1, totalBytes: 9, updatedAt: ago(1000) },
    });
    const done = jobRecord({ status: "succeeded", startedAt: ago(RUNNING_STALE_MS * 5) });
    await runtime.jobs.save(fresh);
    await runtime.jobs.save(done);
    await runtime.jobs.save(jobRecord({ status: "needs_review", startedAt: ago(RUNNING_STALE_MS * 4) }));
    const ok = await health();
    expect(ok.status).toBe(200);
    expect(ok.body.components.jobs).toEqual({ status: "ok", detail: "3 jobs, 0 failed, 1 need review" });

    const silent = jobRecord({
      status: "running",
      startedAt: ago(RUNNING_STALE_MS * 4),
      progress: { bytesRead: 1, totalBytes: 9, updatedAt: ago(RUNNING_STALE_MS + 1000) },
    });
    const waiting = jobRecord({ status: "queued", startedAt: ago(QUEUED_STALE_MS + 1000) });
    await runtime.jobs.save(silent);
    await runtime.jobs.save(waiting);
    const bad = await health();
    expect(bad.status).toBe(503);
    expect(bad.body.status).toBe("degraded");
    expect(bad.body.components.jobs?.status).toBe("error");
    expect(bad.body.components.jobs?.detail).toContain(silent.jobId);
    expect(bad.body.components.jobs?.detail).toContain(waiting.jobId);
    expect(bad.body.components.jobs?.detail).not.toContain(fresh.jobId);
  });
});

describe("health port Host check", () => {
  it("answers loopback names and allowed hosts only", async () => {
    const logs: Record<string, unknown>[] = [];
    const logger = createLogger("warn", { write: (line: string) => logs.push(JSON.parse(line)) });
    runtime = await openRuntime(tempConfig({ CATDATA_ALLOWED_HOSTS: "health.example.org" }), logger);
    const metrics = createPlatformMetrics(runtime);
    try {
      const app = createHealthApp(runtime, NOW, metrics);
      const socket = { incoming: { socket: { remoteAddress: "127.0.0.1" } } };
      const get = (path: string, host: string) => app.request(`http://${host}${path}`, { headers: { host } }, socket);
      for (const host of ["127.0.0.1:8080", "localhost:8080", "[::1]:8080", "health.example.org"]) {
        expect((await get("/healthcheck", host)).status, host).toBe(200);
      }
      expect((await get("/metrics", "localhost:8080")).status).toBe(200);
      for (const path of ["/healthcheck", "/metrics"]) {
        const res = await get(path, "evil.example:8080");
        expect(res.status, path).toBe(403);
        expect(((await res.json()) as { error: { code: string; message: string } }).error).toMatchObject({
          code: "FORBIDDEN",
          message: expect.stringMatching(/host name "evil.example".*CATDATA_ALLOWED_HOSTS/),
        });
      }
      expect(logs.filter((l) => l.level === 40).map((l) => [l.host, l.path])).toEqual([
        ["evil.example", "/healthcheck"],
        ["evil.example", "/metrics"],
      ]);
    } finally {
      metrics.stop();
    }
  });
});
