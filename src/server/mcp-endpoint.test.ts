/**
 * Pins the MCP endpoint of the running platform (`/mcp`, Streamable HTTP), through the SDK's own
 * client over a real socket on 127.0.0.1:
 * - an admin's token lists the tools; lookup_events answers the AWS Labs form with the real flaws2
 *   event, within DEFAULT_ANSWER_BYTES; a lake_query id from one request is known to the next
 * - no token and a forged token are 401, an analyst's token is 403 (CloudTrail data is admin-only)
 * - the API's body-size limit applies: an 8 MB body is 413 before any MCP work
 * - each call is recorded in the platform's own audit trail as McpRequest with the caller; a
 *   tools/call whose result is a tool error carries that error (isError and its text)
 * - the API's per-user rate limit applies: a burst over it is 429 with Retry-After
 */
import { gunzipSync } from "node:zlib";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentLogger } from "../log/logger.js";
import { DEFAULT_ANSWER_BYTES } from "../mcp/tools/answer-budget.js";
import { hasSamples, sample, tempConfig } from "../testing/fixtures.js";
import { freePort } from "../testing/free-port.js";
import { loadTrailFolder } from "../trail/lake/load-trail.js";
import { type RunningPlatform, startPlatform } from "./start-platform.js";

type TrailRecord = {
  eventName: string;
  errorCode?: string;
  userIdentity?: { userName?: string };
  requestParameters?: { method?: string; params?: { name?: string } } | null;
  responseElements?: { isError?: boolean } | null;
  errorMessage?: string;
};
const PASSWORD = "Correct-Horse-9";
const JSON_RPC = { "content-type": "application/json", accept: "application/json, text/event-stream" };

async function token(platform: RunningPlatform, username: string): Promise<string> {
  const res = await fetch(`${platform.url}api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { accessToken: string }).accessToken;
}

async function auditRecords(platform: RunningPlatform): Promise<TrailRecord[]> {
  await platform.deps.audit?.deliver();
  const store = platform.deps.runtime.store;
  const files = (await store.list("AWSLogs/")).filter((o) => o.key.includes("/CloudTrail/"));
  const records = await Promise.all(
    files.map(
      async (f) => (JSON.parse(gunzipSync(await store.get(f.key)).toString()) as { Records: TrailRecord[] }).Records,
    ),
  );
  return records.flat();
}

async function startWith(env: Record<string, string> = {}): Promise<RunningPlatform> {
  const config = tempConfig({
    CATDATA_PORT: String(await freePort()),
    CATDATA_HEALTH_PORT: String(await freePort()),
    AWS_REGION: "us-east-1",
    ...env,
  });
  const platform = await startPlatform(config, silentLogger);
  await platform.deps.users.create({ username: "root-admin", password: PASSWORD, groups: ["admin"] });
  await platform.deps.users.create({ username: "ana", password: PASSWORD, groups: ["analyst"] });
  return platform;
}

describe("/mcp on the running platform", () => {
  let platform: RunningPlatform;
  beforeAll(async () => {
    platform = await startWith();
    if (hasSamples) await loadTrailFolder(platform.deps.runtime.trail, sample("cloudtrail", "flaws2"));
  });
  afterAll(async () => platform.close());

  async function adminClient(): Promise<Client> {
    const auth = { Authorization: `Bearer ${await token(platform, "root-admin")}` };
    const client = new Client({ name: "test", version: "1.0.0" });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${platform.url}mcp`), { requestInit: { headers: auth } }),
    );
    return client;
  }

  it.skipIf(!hasSamples)(
    "serves the tools to an admin through the SDK client, the AWS Labs form included",
    async () => {
      const client = await adminClient();
      try {
        const tools = (await client.listTools()).tools.map((t) => t.name);
        expect(tools).toEqual(expect.arrayContaining(["lookup_events", "lake_query", "get_event_name_counts"]));
        const result = await client.callTool({
          name: "lookup_events",
          arguments: { attribute_key: "Username", attribute_value: "level1", region: "us-east-1" },
        });
        const text = (result.content as { type: string; text: string }[])[0]?.text ?? "";
        expect(Buffer.byteLength(text)).toBeLessThanOrEqual(DEFAULT_ANSWER_BYTES);
        const events = JSON.parse(text).events as { principal: string }[];
        expect(events).toHaveLength(9);
        expect(new Set(events.map((e) => e.principal))).toEqual(new Set(["role:653711331788/level1"]));
        // Each POST gets a fresh MCP server; the query id still resolves on the next request.
        const started = await client.callTool({
          name: "lake_query",
          arguments: { sql: "SELECT count(*)::INTEGER AS n FROM events", wait_for_completion: false },
        });
        const queryId = (started.structuredContent as { query_id: string }).query_id;
        const rows = await client.callTool({ name: "get_query_results", arguments: { query_id: queryId } });
        expect((rows.structuredContent as { query_result_rows: unknown[] }).query_result_rows).toEqual([{ n: 37 }]);
      } finally {
        await client.close();
      }
    },
  );

  it("refuses callers without a valid token or without the admin group", async () => {
    const body = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" });
    const post = (headers: Record<string, string>) => fetch(`${platform.url}mcp`, { method: "POST", headers, body });
    expect((await post(JSON_RPC)).status).toBe(401);
    const admin = await token(platform, "root-admin");
    const [h, p] = admin.split(".");
    const forged = `${h}.${p}.${Buffer.from("not the signature").toString("base64url")}`;
    expect((await post({ ...JSON_RPC, authorization: `Bearer ${forged}` })).status).toBe(401);
    expect((await post({ ...JSON_RPC, authorization: `Bearer ${await token(platform, "ana")}` })).status).toBe(403);
    expect((await post({ ...JSON_RPC, authorization: `Bearer ${admin}` })).status).toBe(200);
    const mcp = (await auditRecords(platform)).filter((r) => r.eventName === "McpRequest");
    expect(mcp.map((r) => [r.userIdentity?.userName ?? "anonymous", r.errorCode])).toEqual(
      expect.arrayContaining([
        ["anonymous", "NotAuthorizedException"],
        ["ana", "AccessDenied"],
        ["root-admin", undefined],
      ]),
    );
  });

  it("answers an 8 MB body with 413 and audits it", async () => {
    const admin = await token(platform, "root-admin");
    const huge = JSON.stringify({
      jsonrpc: "2.0",
      id: 1,
      method: "tools/call",
      params: { name: "lookup_events", arguments: { nextToken: "x".repeat(8 * 1024 * 1024) } },
    });
    const res = await fetch(`${platform.url}mcp`, {
      method: "POST",
      headers: { ...JSON_RPC, authorization: `Bearer ${admin}` },
      body: huge,
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("PAYLOAD_TOO_LARGE");
    // Chunked, without Content-Length: counted as it arrives.
    const bytes = new TextEncoder().encode(huge);
    const chunked = await fetch(`${platform.url}mcp`, {
      method: "POST",
      headers: { ...JSON_RPC, authorization: `Bearer ${admin}` },
      body: new ReadableStream({
        start(controller) {
          for (let i = 0; i < bytes.length; i += 1024 * 1024) controller.enqueue(bytes.slice(i, i + 1024 * 1024));
          controller.close();
        },
      }),
      duplex: "half",
    } as RequestInit);
    expect(chunked.status).toBe(413);
    // A chunked body under the limit is served.
    const small = new TextEncoder().encode(JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/list" }));
    const served = await fetch(`${platform.url}mcp`, {
      method: "POST",
      headers: { ...JSON_RPC, authorization: `Bearer ${admin}` },
      body: new ReadableStream({
        start(controller) {
          controller.enqueue(small);
          controller.close();
        },
      }),
      duplex: "half",
    } as RequestInit);
    expect(served.status).toBe(200);
    expect(((await served.json()) as { result: { tools: unknown[] } }).result.tools.length).toBeGreaterThan(5);
    const mcp = (await auditRecords(platform)).filter((r) => r.eventName === "McpRequest");
    expect(mcp.map((r) => r.errorCode)).toContain("RequestEntityTooLargeException");
  });

  it("marks a tools/call answered with a tool error in the audit record", async () => {
    const client = await adminClient();
    try {
      const bad = await client.callTool({ name: "lookup_events", arguments: { bogus_arg: 1 } });
      expect(bad.isError).toBe(true);
    } finally {
      await client.close();
    }
    const calls = (await auditRecords(platform)).filter(
      (r) => r.eventName === "McpRequest" && r.requestParameters?.method === "tools/call",
    );
    const failed = calls.find((r) => r.responseElements?.isError === true);
    expect(failed?.requestParameters?.params?.name).toBe("lookup_events");
    expect(failed?.errorCode).toBe("McpToolError");
    expect(failed?.errorMessage).toContain('lookup_events does not take "bogus_arg"');
    // The audit keeps whether a call failed, never the tools' data: no tools/list or result bodies.
    for (const record of await auditRecords(platform)) {
      if (record.eventName === "McpRequest")
        expect(JSON.stringify(record.responseElements ?? null).length).toBeLessThan(100);
    }
  });
});

describe("/mcp rate limit", () => {
  it("answers a burst over the limit with 429 and Retry-After", async () => {
    // The per-IP bucket refills fast here; the API's per-user one (6 a minute, bursts of 3) refuses.
    const platform = await startWith({
      CATDATA_RATE_LIMIT_BURST: "3",
      CATDATA_RATE_LIMIT_IP_PER_MINUTE: "60000",
      CATDATA_RATE_LIMIT_USER_PER_MINUTE: "6",
    });
    try {
      const admin = await token(platform, "root-admin");
      const body = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" });
      const statuses: number[] = [];
      let retryAfter: string | null = null;
      let message = "";
      for (let i = 0; i < 6; i++) {
        const res = await fetch(`${platform.url}mcp`, {
          method: "POST",
          headers: { ...JSON_RPC, authorization: `Bearer ${admin}` },
          body,
        });
        statuses.push(res.status);
        if (res.status === 429) {
          retryAfter = res.headers.get("retry-after");
          message = ((await res.json()) as { error: { message: string } }).error.message;
        } else await res.arrayBuffer();
      }
      expect(statuses.slice(0, 3)).toEqual([200, 200, 200]);
      expect(statuses.slice(3)).toEqual([429, 429, 429]);
      expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
      expect(message).toMatch(/too many requests from this user \(limit 6 per minute, bursts of 3\)/);
    } finally {
      await platform.close();
    }
  });
});
