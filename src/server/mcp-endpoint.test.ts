/**
 * Pins the MCP endpoint of the running platform (`/mcp`, Streamable HTTP), through the SDK's own
 * client over a real socket on 127.0.0.1:
 * - an admin's token lists the tools and calls lookup_events on a loaded trail
 * - no token is 401 and an analyst's token is 403 (CloudTrail data is admin-only)
 * - each call is recorded in the platform's own audit trail as McpRequest with the caller
 */
import { gunzipSync } from "node:zlib";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentLogger } from "../log/logger.js";
import { hasSamples, sample, tempConfig } from "../testing/fixtures.js";
import { freePort } from "../testing/free-port.js";
import { loadTrailFolder } from "../trail/lake/load-trail.js";
import { type RunningPlatform, startPlatform } from "./start-platform.js";

let platform: RunningPlatform;
type TrailRecord = { eventName: string; errorCode?: string; userIdentity?: { userName?: string } };
const PASSWORD = "Correct-Horse-9";

async function token(username: string): Promise<string> {
  const res = await fetch(`${platform.url}api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { accessToken: string }).accessToken;
}

beforeAll(async () => {
  const config = tempConfig({ CATDATA_PORT: String(await freePort()), CATDATA_HEALTH_PORT: String(await freePort()) });
  platform = await startPlatform(config, silentLogger);
  await platform.deps.users.create({ username: "root-admin", password: PASSWORD, groups: ["admin"] });
  await platform.deps.users.create({ username: "ana", password: PASSWORD, groups: ["analyst"] });
  if (hasSamples) await loadTrailFolder(platform.deps.runtime.trail, sample("cloudtrail", "flaws2"));
});
afterAll(async () => platform.close());

describe("/mcp on the running platform", () => {
  it.skipIf(!hasSamples)("serves lookup_events to an admin through the SDK client", async () => {
    const auth = { Authorization: `Bearer ${await token("root-admin")}` };
    const client = new Client({ name: "test", version: "1.0.0" });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${platform.url}mcp`), { requestInit: { headers: auth } }),
    );
    const tools = (await client.listTools()).tools.map((t) => t.name);
    expect(tools).toContain("lookup_events");
    const result = await client.callTool({ name: "lookup_events", arguments: { maxResults: 5 } });
    const text = (result.content as { type: string; text: string }[])[0]?.text ?? "";
    expect(JSON.parse(text).events).toHaveLength(5);
    await client.close();
  });

  it("refuses callers without a token or without the admin group", async () => {
    const body = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" });
    const headers = { "content-type": "application/json", accept: "application/json, text/event-stream" };
    expect((await fetch(`${platform.url}mcp`, { method: "POST", headers, body })).status).toBe(401);
    const analyst = { ...headers, authorization: `Bearer ${await token("ana")}` };
    expect((await fetch(`${platform.url}mcp`, { method: "POST", headers: analyst, body })).status).toBe(403);
    await platform.deps.audit?.deliver();
    const store = platform.deps.runtime.store;
    const files = (await store.list("AWSLogs/")).filter((o) => o.key.includes("/CloudTrail/"));
    const records = (
      await Promise.all(
        files.map(
          async (f) =>
            (JSON.parse(gunzipSync(await store.get(f.key)).toString()) as { Records: TrailRecord[] }).Records,
        ),
      )
    ).flat();
    const mcp = records.filter((r) => r.eventName === "McpRequest");
    expect(mcp.map((r) => [r.userIdentity?.userName ?? "anonymous", r.errorCode])).toEqual(
      expect.arrayContaining([
        ["anonymous", "NotAuthorizedException"],
        ["ana", "AccessDenied"],
      ]),
    );
  });
});
