/**
 * Pins the Streamable HTTP endpoint over a real socket: a Node http server on 127.0.0.1:0 serving
 * `createMcpHttpHandler`, the SDK's StreamableHTTPClientTransport lists the tools and calls
 * `lookup_events` on a small lake (our parameter names and the AWS Labs ones); a lake_query id
 * from one request is known to the next (the handler keeps the results, each request gets a fresh
 * server); requests other than POST get 405 (stateless endpoint).
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emptyBehaviourLake } from "../testing/behaviour.js";
import { loadTrailFolder } from "../trail/lake/load-trail.js";
import { createMcpHttpHandler } from "./http.js";

describe("MCP over Streamable HTTP", () => {
  let server: Server;
  let url: URL;

  beforeAll(async () => {
    const lake = await emptyBehaviourLake();
    const folder = mkdtempSync(path.join(os.tmpdir(), "catdata-http-src-"));
    const records = ["CreateUser", "ListBuckets", "GetObject"].map((eventName, i) => ({
      eventVersion: "1.08",
      eventID: `e${i}`,
      eventTime: `2024-05-01T10:00:0${i}Z`,
      eventSource: "iam.amazonaws.com",
      eventName,
      userIdentity: { type: "IAMUser", userName: "mallory", accountId: "111122223333" },
    }));
    writeFileSync(path.join(folder, "trail.json"), JSON.stringify({ Records: records }));
    await loadTrailFolder(lake.trail, folder);
    const handler = createMcpHttpHandler({
      behaviour: lake.service(),
      trail: lake.trail,
      version: "0.0.0-test",
      region: "ap-northeast-1",
    });
    server = createServer((req, res) => {
      if (req.url === "/mcp") void handler(req, res);
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`);
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it("lists tools and calls lookup_events through the SDK client", async () => {
    const client = new Client({ name: "http-test", version: "1.0.0" });
    await client.connect(new StreamableHTTPClientTransport(url));
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toContain("lookup_events");
      const result = await client.callTool({
        name: "lookup_events",
        arguments: { lookupAttributes: [{ attributeKey: "Username", attributeValue: "mallory" }], maxResults: 2 },
      });
      const page = result.structuredContent as {
        events: { EventName: string; principal: string }[];
        nextToken?: string;
      };
      expect(page.events.map((e) => e.EventName)).toEqual(["GetObject", "ListBuckets"]);
      expect(page.events[0]?.principal).toBe("iam-user:111122223333/mallory");
      expect(page.nextToken).toBeTypeOf("string");
      const rest = await client.callTool({
        name: "lookup_events",
        arguments: {
          lookupAttributes: [{ attributeKey: "Username", attributeValue: "mallory" }],
          maxResults: 2,
          nextToken: page.nextToken,
        },
      });
      expect((rest.structuredContent as typeof page).events.map((e) => e.EventName)).toEqual(["CreateUser"]);
    } finally {
      await client.close();
    }
  });

  it("takes the AWS Labs form and keeps lake_query results across requests", async () => {
    const client = new Client({ name: "http-test", version: "1.0.0" });
    await client.connect(new StreamableHTTPClientTransport(url));
    try {
      const page = await client.callTool({
        name: "lookup_events",
        arguments: { attribute_key: "EventName", attribute_value: "ListBuckets", region: "ap-northeast-1" },
      });
      expect((page.structuredContent as { events: { EventId: string }[] }).events.map((e) => e.EventId)).toEqual([
        "e1",
      ]);
      const started = await client.callTool({
        name: "lake_query",
        arguments: { sql: "SELECT event_name FROM events ORDER BY event_time", wait_for_completion: false },
      });
      const { query_id } = started.structuredContent as { query_id: string };
      const status = await client.callTool({ name: "get_query_status", arguments: { query_id } });
      expect(status.structuredContent).toMatchObject({
        query_status: "FINISHED",
        query_statistics: { results_count: 3 },
      });
      const rows = await client.callTool({ name: "get_query_results", arguments: { query_id, max_results: 2 } });
      const first = rows.structuredContent as { query_result_rows: unknown[]; next_token: string };
      expect(first.query_result_rows).toEqual([{ event_name: "CreateUser" }, { event_name: "ListBuckets" }]);
      const rest = await client.callTool({
        name: "get_query_results",
        arguments: { query_id, next_token: first.next_token },
      });
      expect((rest.structuredContent as typeof first).query_result_rows).toEqual([{ event_name: "GetObject" }]);
    } finally {
      await client.close();
    }
  });

  it("refuses GET with 405: the endpoint keeps no sessions", async () => {
    const response = await fetch(url, { headers: { accept: "text/event-stream" } });
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("POST");
  });
});
