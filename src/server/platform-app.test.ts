/**
 * Pins the main port's app (web + /api + /mcp), in process:
 * - requests naming another host (DNS rebinding) are refused with 403 and the error shape;
 *   localhost, 127.0.0.1, [::1] (any port) and CATDATA_ALLOWED_HOSTS are answered
 * - an /api path no route matches is a JSON 404, not the web app
 * - the API's description names its base as /api when served there
 * - asset names that are members of Object.prototype (constructor, __proto__, toString) are a 404
 * - outside /api the per-IP rate limit applies too: the burst is answered, the request after it is a
 *   429 with Retry-After; /api keeps its own limiter; refusals by Host are limited too
 * - a refusal by Host is logged as a warning and audited, with the refused Host in the record
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuditRecord } from "../audit/record.js";
import { AuditRecorder } from "../audit/recorder.js";
import { DataDir } from "../local/data-dir.js";
import { createLogger, silentLogger } from "../log/logger.js";
import { openRuntime, type Runtime } from "../runtime.js";
import { manualClock } from "../testing/audit.js";
import { createTestAuth } from "../testing/auth.js";
import { tempConfig } from "../testing/fixtures.js";
import { allowedHostNames, hostNameOf } from "./host-check.js";
import { createPlatformApp } from "./platform-app.js";

let runtime: Runtime;
let app: ReturnType<typeof createPlatformApp>;
const get = (path: string, host: string) => app.request(`http://${host}${path}`, { headers: { host } });

beforeAll(async () => {
  runtime = await openRuntime(tempConfig({ CATDATA_ALLOWED_HOSTS: "cats.example.org" }), silentLogger);
  app = createPlatformApp({ runtime, ...(await createTestAuth(new DataDir(runtime.config.dataDirectory))) });
});
afterAll(async () => runtime.close());

const BURST = 3;
const socket = (remoteAddress: string) => ({ incoming: { socket: { remoteAddress } } });

async function guardedApp() {
  const logs: Record<string, unknown>[] = [];
  const logger = createLogger("warn", { write: (line: string) => logs.push(JSON.parse(line)) });
  const guarded = await openRuntime(
    tempConfig({ CATDATA_RATE_LIMIT_BURST: String(BURST), CATDATA_RATE_LIMIT_IP_PER_MINUTE: "1" }),
    logger,
  );
  const delivered: AuditRecord[] = [];
  const clock = manualClock();
  const audit = new AuditRecorder({
    writer: { deliver: async (records) => delivered.push(...records), writeDigest: async () => undefined },
    settings: { eventSource: "catdata.local", region: "ap-northeast-1", accountId: "123456789012", newId: () => "id" },
    now: clock.now,
    timers: clock.timers,
  });
  const auth = await createTestAuth(new DataDir(guarded.config.dataDirectory));
  const platform = createPlatformApp({ runtime: guarded, ...auth, audit });
  const request = (path: string, host: string, ip: string) =>
    platform.request(`http://${host}${path}`, { headers: { host } }, socket(ip));
  return { guarded, audit, delivered, logs, request };
}

describe("platform app", () => {
  it("answers only to its own host names", async () => {
    for (const host of ["127.0.0.1:8501", "localhost:3000", "[::1]:8501", "cats.example.org", "LOCALHOST"]) {
      expect((await get("/api/openapi.json", host)).status, host).toBe(200);
    }
    for (const host of ["evil.example:8501", "127.0.0.1.evil.example", "localhost.evil.example"]) {
      const res = await get("/api/openapi.json", host);
      expect(res.status, host).toBe(403);
      expect(((await res.json()) as { error: { code: string; message: string } }).error.message).toMatch(/host name/);
      expect((await get("/", host)).status, host).toBe(403);
    }
    expect(hostNameOf("[::1]:8501")).toBe("[::1]");
    expect(allowedHostNames("0.0.0.0", [])).toEqual(new Set(["localhost", "127.0.0.1", "[::1]"]));
  });

  it("keeps the API's error shape for unknown /api paths", async () => {
    const res = await get("/api/no/such/thing", "127.0.0.1");
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: "NOT_FOUND", requestId: expect.any(String) } });
  });

  it("describes the API at /api", async () => {
    const doc = (await (await get("/api/openapi.json", "127.0.0.1")).json()) as { servers: { url: string }[] };
    expect(doc.servers[0]?.url).toBe("/api");
  });

  it("answers 404, not 500, for asset names that are prototype members", async () => {
    for (const name of ["constructor", "__proto__", "toString", "hasOwnProperty", "valueOf"]) {
      expect((await get(`/assets/${name}`, "127.0.0.1")).status, name).toBe(404);
    }
    const css = await get("/assets/style.css", "127.0.0.1");
    expect(css.status).toBe(200);
    expect(css.headers.get("content-type")).toBe("text/css");
  });

  it("rate-limits the web routes per IP at the API's limit", async () => {
    const { guarded, request } = await guardedApp();
    try {
      for (let i = 0; i < BURST; i += 1) {
        expect((await request("/assets/style.css", "127.0.0.1", "198.51.100.1")).status, `request ${i + 1}`).toBe(200);
      }
      const limited = await request("/assets/constructor", "127.0.0.1", "198.51.100.1");
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      expect(((await limited.json()) as { error: { code: string } }).error.code).toBe("RATE_LIMITED");
      expect((await request("/", "127.0.0.1", "198.51.100.1")).status).toBe(429);
      // Another address has its own bucket; /api is limited by the API's own limiter, not this one.
      expect((await request("/", "127.0.0.1", "198.51.100.2")).status).toBe(200);
      expect((await request("/api/openapi.json", "127.0.0.1", "198.51.100.1")).status).toBe(200);
      // Requests a Host check refuses (and audits) are limited too, /api ones included.
      for (let i = 0; i < BURST; i += 1) {
        expect((await request("/api/cats", "evil.example", "198.51.100.5")).status).toBe(403);
      }
      expect((await request("/api/cats", "evil.example", "198.51.100.5")).status).toBe(429);
    } finally {
      await guarded.close();
    }
  });

  it("logs and audits refusals by Host, with the refused Host", async () => {
    const { guarded, audit, delivered, logs, request } = await guardedApp();
    try {
      const web = await request("/", "evil.example:8501", "198.51.100.3");
      const api = await request("/api/cats", "rebind.evil.example", "198.51.100.4");
      expect([web.status, api.status]).toEqual([403, 403]);
      await audit.flush();
      expect(delivered).toHaveLength(2);
      expect(delivered.map((r) => [r.errorCode, r.requestParameters?.host, r.sourceIPAddress])).toEqual([
        ["AccessDenied", "evil.example:8501", "198.51.100.3"],
        ["AccessDenied", "rebind.evil.example", "198.51.100.4"],
      ]);
      expect(delivered[0]?.errorMessage).toMatch(/host name "evil.example"/);
      expect(delivered[0]?.requestID).toBe(web.headers.get("x-request-id"));
      const warnings = logs.filter((l) => l.level === 40 && /host name/.test(String(l.msg)));
      expect(warnings.map((w) => [w.host, w.path])).toEqual([
        ["evil.example", "/"],
        ["rebind.evil.example", "/api/cats"],
      ]);
    } finally {
      await guarded.close();
    }
  });
});
