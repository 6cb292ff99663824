/**
 * Pins the WAF role of the API, in process (app.request; a source address is given as the Node
 * socket's, as @hono/node-server would):
 * - every refusal below has the one error shape, its requestId equal to the X-Request-Id header
 * - oversized bodies are 413 (by Content-Length and by counting a chunked body)
 * - malformed JSON, or a body not sent as JSON, is 400
 * - SQL injection through every filter of /cats and /cats/stats is refused (400) or bound as data,
 *   and the table is intact afterwards; unknown and repeated query parameters are refused
 * - a rule carried by a route's spec (not its handlers) is enforced
 * - rate limits per IP and per user answer 429 with Retry-After; other callers are unaffected
 * - CORS headers go to allow-listed origins only (none by default)
 * - the source-IP allow-list admits listed addresses (X-Forwarded-For only when the proxy is trusted)
 * - security headers on every response; HSTS only over HTTPS
 * - an internal error is 500 INTERNAL without its cause
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ProtectionConfig } from "../config/config.js";
import { ingestFile } from "../etl/ingest.js";
import { DataDir } from "../local/data-dir.js";
import { silentLogger } from "../log/logger.js";
import { openRuntime, type Runtime } from "../runtime.js";
import { createTestAuth } from "../testing/auth.js";
import { tempConfig, tempDir } from "../testing/fixtures.js";
import { createApiApp } from "./app.js";
import type { ApiDeps } from "./context.js";

const HEADER =
  "Animal ID,Name,DateTime,MonthYear,Found Location,Intake Type,Intake Condition,Animal Type,Sex upon Intake,Age upon Intake,Breed,Color";
const PASSWORD = "Correct-Horse-9";
let runtime: Runtime;
let deps: ApiDeps;
let app: ReturnType<typeof createApiApp>;
let token: string;

const from = (ip: string) => ({ incoming: { socket: { remoteAddress: ip } } });
function appWith(protection: Partial<ProtectionConfig>, extra: Partial<ApiDeps> = {}) {
  const config = { ...runtime.config, protection: { ...runtime.config.protection, ...protection } };
  return createApiApp({ ...deps, runtime: { ...runtime, config }, ...extra });
}
async function expectError(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  const body = (await res.json()) as { error: { code: string; message: string; requestId: string } };
  expect(body.error).toEqual({ code, message: expect.any(String), requestId: res.headers.get("x-request-id") });
  expect(body.error.message.length).toBeGreaterThan(10);
  return body.error.message;
}
const auth = () => ({ authorization: `Bearer ${token}` });

beforeAll(async () => {
  runtime = await openRuntime(tempConfig(), silentLogger);
  deps = { runtime, ...(await createTestAuth(new DataDir(runtime.config.dataDirectory))) };
  app = createApiApp(deps);
  await deps.users.create({ username: "ana", password: PASSWORD, groups: ["analyst"] });
  const dir = tempDir();
  const rows = Array.from(
    { length: 25 },
    (_, i) =>
      `A${100 + i},N,01/${String(1 + i).padStart(2, "0")}/2019 10:00:00 AM,x,Loc,Stray,Normal,Cat,Intact Female,1 year,DSH,Black`,
  );
  writeFileSync(path.join(dir, "austin.csv"), [HEADER, ...rows].join("\n"));
  await ingestFile(runtime, path.join(dir, "austin.csv"));
  const res = await app.request("/auth/login", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: "ana", password: PASSWORD }),
  });
  token = ((await res.json()) as { accessToken: string }).accessToken;
});
afterAll(async () => runtime.close());

describe("body limits and JSON", () => {
  it("refuses an oversized body, declared or chunked, with 413", async () => {
    const big = JSON.stringify({ sql: `SELECT '${"x".repeat(1024 * 1024)}'` });
    const declared = await app.request("/queries", {
      method: "POST",
      headers: { ...auth(), "content-type": "application/json", "content-length": String(big.length) },
      body: big,
    });
    expect(await expectError(declared, 413, "PAYLOAD_TOO_LARGE")).toMatch(/1 MiB/);
    const stream = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 20; i++) controller.enqueue(new TextEncoder().encode("x".repeat(64 * 1024)));
        controller.close();
      },
    });
    const chunked = await app.request("/queries", {
      method: "POST",
      headers: { ...auth(), "content-type": "application/json" },
      body: stream,
      duplex: "half",
    } as RequestInit);
    await expectError(chunked, 413, "PAYLOAD_TOO_LARGE");
  });

  it("refuses malformed JSON and non-JSON bodies with 400", async () => {
    const post = (body: string, type = "application/json") =>
      app.request("/queries", { method: "POST", headers: { ...auth(), "content-type": type }, body });
    expect(await expectError(await post('{"sql": "SELECT 1"'), 400, "BAD_INPUT")).toMatch(/not valid JSON/);
    expect(await expectError(await post("sql=SELECT 1", "text/plain"), 400, "BAD_INPUT")).toMatch(/must be JSON/);
    expect(await expectError(await post('{"sql": 1}'), 400, "BAD_INPUT")).toMatch(/sql/);
    expect(await expectError(await post('{"sql": "SELECT 1", "extra": 1}'), 400, "BAD_INPUT")).toMatch(/extra/);
    const login = await app.request("/auth/login", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{nope",
    });
    await expectError(login, 400, "BAD_INPUT");
  });
});

describe("parameters", () => {
  const payloads = ["' OR '1'='1", "1; DROP TABLE intakes; --", '1" UNION SELECT * FROM users --', "1)/**/OR/**/(1=1"];
  const filters = ["dataset", "municipality", "fiscalYear", "from", "to", "type", "limit", "cursor"];

  it("refuses SQL injection through every filter, and the data is intact", async () => {
    for (const route of ["/cats", "/cats/stats"]) {
      for (const name of filters) {
        if (route === "/cats/stats" && (name === "limit" || name === "cursor")) continue;
        for (const payload of payloads) {
          const res = await app.request(`${route}?${name}=${encodeURIComponent(payload)}`, { headers: auth() });
          await expectError(res, 400, "BAD_INPUT");
        }
      }
    }
    const forgedCursor = Buffer.from(JSON.stringify({ o: "0; DROP TABLE intakes" })).toString("base64url");
    await expectError(await app.request(`/cats?cursor=${forgedCursor}`, { headers: auth() }), 400, "BAD_INPUT");
    // A value that passes validation is bound as data: no rows, no error.
    const asData = await app.request("/cats?type=drop_table_intakes", { headers: auth() });
    expect(((await asData.json()) as { items: unknown[] }).items).toEqual([]);
    const count = await runtime.query.query("SELECT count(*)::INTEGER AS n FROM intakes");
    expect(count.rows[0]?.n).toBe(25);
  });

  it("refuses unknown and repeated query parameters", async () => {
    expect(
      await expectError(await app.request("/cats?limit=5&debug=1", { headers: auth() }), 400, "BAD_INPUT"),
    ).toMatch(/unknown query parameter "debug"/);
    expect(
      await expectError(
        await app.request("/cats?municipality=us-tx-austin&municipality=131041", { headers: auth() }),
        400,
        "BAD_INPUT",
      ),
    ).toMatch(/more than once/);
    await expectError(await app.request("/municipalities?x=1", { headers: auth() }), 400, "BAD_INPUT");
    await expectError(await app.request("/no/such/route"), 404, "NOT_FOUND");
  });

  it("enforces a rule declared in a route's spec (the trail routes: admins only)", async () => {
    await expectError(await app.request("/trail/principals"), 401, "UNAUTHENTICATED");
    await expectError(await app.request("/trail/anomalies", { headers: auth() }), 403, "FORBIDDEN");
  });
});

describe("rate limits", () => {
  it("limits each source IP, with Retry-After", async () => {
    const limited = appWith({ rateLimit: { ipPerMinute: 60, userPerMinute: 0, burst: 2 } });
    const call = (ip: string) => limited.request("/openapi.json", {}, from(ip));
    expect((await call("198.51.100.1")).status).toBe(200);
    expect((await call("198.51.100.1")).status).toBe(200);
    const refused = await call("198.51.100.1");
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(await expectError(refused, 429, "RATE_LIMITED")).toMatch(/address/);
    expect((await call("198.51.100.2")).status).toBe(200);
  });

  it("limits each user across addresses", async () => {
    const limited = appWith({ rateLimit: { ipPerMinute: 0, userPerMinute: 60, burst: 2 } });
    const call = (ip: string) => limited.request("/queries/saved", { headers: auth() }, from(ip));
    expect((await call("198.51.100.1")).status).toBe(200);
    expect((await call("198.51.100.2")).status).toBe(200);
    const refused = await call("198.51.100.3");
    expect(refused.headers.get("retry-after")).toBe("1");
    expect(await expectError(refused, 429, "RATE_LIMITED")).toMatch(/user/);
    expect((await limited.request("/openapi.json", {}, from("198.51.100.3"))).status).toBe(200);
  });
});

describe("browsers and networks", () => {
  it("sends CORS headers to allow-listed origins only", async () => {
    const withCors = appWith({ corsOrigins: ["https://dash.example.org"] });
    const ok = await withCors.request("/openapi.json", { headers: { origin: "https://dash.example.org" } });
    expect(ok.headers.get("access-control-allow-origin")).toBe("https://dash.example.org");
    expect(ok.headers.get("access-control-allow-credentials")).toBe("true");
    const other = await withCors.request("/openapi.json", { headers: { origin: "https://evil.example" } });
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
    const preflight = await withCors.request("/queries", {
      method: "OPTIONS",
      headers: { origin: "https://dash.example.org", "access-control-request-method": "POST" },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-methods")).toContain("POST");
    const byDefault = await app.request("/openapi.json", { headers: { origin: "https://dash.example.org" } });
    expect(byDefault.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("admits only allow-listed source addresses", async () => {
    const home = appWith({ allowedIps: ["203.0.113.100/32", "2001:db8::/32"] });
    expect((await home.request("/openapi.json", {}, from("203.0.113.100"))).status).toBe(200);
    expect((await home.request("/openapi.json", {}, from("::ffff:203.0.113.100"))).status).toBe(200);
    expect((await home.request("/openapi.json", {}, from("2001:db8::7"))).status).toBe(200);
    const spoofed = { headers: { "x-forwarded-for": "203.0.113.100" } };
    expect(
      await expectError(await home.request("/openapi.json", spoofed, from("198.51.100.7")), 403, "FORBIDDEN"),
    ).toMatch(/198\.51\.100\.7/);
    await expectError(await home.request("/openapi.json"), 403, "FORBIDDEN");
    const proxied = appWith({ allowedIps: ["203.0.113.100/32"], trustProxy: true });
    const viaProxy = (xff: string) =>
      proxied.request("/openapi.json", { headers: { "x-forwarded-for": xff } }, from("10.0.0.2"));
    expect((await viaProxy("198.51.100.7, 203.0.113.100")).status).toBe(200);
    expect((await viaProxy("203.0.113.100, 198.51.100.7")).status).toBe(403);
  });

  it("sets security headers, and HSTS over HTTPS only", async () => {
    const res = await app.request("/openapi.json");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("x-frame-options")).toBe("SAMEORIGIN");
    expect(res.headers.get("content-security-policy")).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(res.headers.get("strict-transport-security")).toBeNull();
    const https = await app.request("https://api.example.org/openapi.json");
    expect(https.headers.get("strict-transport-security")).toMatch(/max-age=\d+/);
  });

  it("answers an internal error with 500 and no detail", async () => {
    const failing = { ...runtime.query, tables: () => Promise.reject(new Error("disk /secret/path on fire")) };
    const broken = createApiApp({ ...deps, runtime: { ...runtime, query: failing } });
    const message = await expectError(await broken.request("/municipalities", { headers: auth() }), 500, "INTERNAL");
    expect(message).not.toMatch(/secret/);
  });
});
