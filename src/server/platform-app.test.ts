/**
 * Pins the main port's app (web + /api + /mcp), in process:
 * - requests naming another host (DNS rebinding) are refused with 403 and the error shape;
 *   localhost, 127.0.0.1, [::1] (any port) and CATDATA_ALLOWED_HOSTS are answered
 * - an /api path no route matches is a JSON 404, not the web app
 * - the API's description names its base as /api when served there
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DataDir } from "../local/data-dir.js";
import { silentLogger } from "../log/logger.js";
import { openRuntime, type Runtime } from "../runtime.js";
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
});
