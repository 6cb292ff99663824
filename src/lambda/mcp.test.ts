/**
 * Pins the MCP Lambda's Function URL handler on a lake holding a synthetic week: a Function URL
 * event (payload 2.0) with a JSON-RPC POST answers `initialize` as the catdata server, lists the
 * tools and calls list_principals (JSON responses, stateless); a base64 body is decoded; GET is 405;
 * in RESPONSE_STREAM mode (the Lambda runtime's streamifyResponse / HttpResponseStream, which cannot run
 * here, stood in by their documented shapes) the prelude carries status and headers and the body is
 * the same JSON-RPC answer, written to the response stream.
 */
import { PassThrough, type Writable } from "node:stream";
import { beforeAll, describe, expect, it } from "vitest";
import type { McpDeps } from "../mcp/mcp-deps.js";
import { syntheticLake } from "../testing/behaviour.js";
import {
  type FunctionUrlEvent,
  type LambdaStreamingRuntime,
  mcpFunctionUrlHandler,
  mcpStreamingHandler,
} from "./mcp.js";

let deps: McpDeps;
beforeAll(async () => {
  const lake = await syntheticLake(1);
  deps = { behaviour: lake.service(), trail: lake.trail, version: "0.0.0-test" };
});

const rpc = (method: string, params: unknown, id = 1, base64 = false): FunctionUrlEvent => {
  const body = JSON.stringify({ jsonrpc: "2.0", id, method, params });
  return {
    rawPath: "/",
    headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
    body: base64 ? Buffer.from(body).toString("base64") : body,
    isBase64Encoded: base64,
    requestContext: { http: { method: "POST" }, domainName: "abc.lambda-url.us-east-1.on.aws" },
  };
};

describe("the MCP Function URL handler", () => {
  it("answers initialize, tools/list and a tool call", async () => {
    const handler = mcpFunctionUrlHandler(() => deps);
    const init = await handler(
      rpc("initialize", { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "1" } }),
    );
    expect(init.statusCode).toBe(200);
    expect(JSON.parse(init.body).result.serverInfo).toEqual({ name: "catdata", version: "0.0.0-test" });

    const list = await handler(rpc("tools/list", {}, 2, true));
    const names = (JSON.parse(list.body).result.tools as { name: string }[]).map((t) => t.name).sort();
    expect(names).toEqual([
      "get_current_time",
      "get_data_status",
      "get_event_name_counts",
      "get_principal_profile",
      "get_query_results",
      "get_query_status",
      "get_user_activity",
      "lake_query",
      "list_anomalies",
      "list_event_data_stores",
      "list_principals",
      "lookup_events",
      "predict_next_actions",
      "query_cat_stats",
    ]);

    const call = await handler(rpc("tools/call", { name: "list_principals", arguments: { limit: 2 } }, 3));
    const result = JSON.parse(call.body).result;
    expect(result.isError).toBeUndefined();
    expect(result.structuredContent.total).toBe(5);
    expect(result.structuredContent.principals).toHaveLength(2);
  });

  it("refuses GET with 405", async () => {
    const handler = mcpFunctionUrlHandler(() => deps);
    const res = await handler({ rawPath: "/", requestContext: { http: { method: "GET" } } });
    expect(res.statusCode).toBe(405);
    expect(res.headers.allow).toBe("POST");
  });

  it("streams the answer in RESPONSE_STREAM mode: prelude first, then the body", async () => {
    const preludes: { statusCode: number; headers: Record<string, string> }[] = [];
    const runtime: LambdaStreamingRuntime = {
      streamifyResponse: (h) => h,
      HttpResponseStream: {
        from: (stream: Writable, prelude) => {
          preludes.push(prelude);
          return stream;
        },
      },
    };
    const stream = new PassThrough();
    const chunks: Buffer[] = [];
    stream.on("data", (c: Buffer) => chunks.push(c));
    await mcpStreamingHandler(() => deps, runtime)(
      rpc("tools/call", { name: "list_principals", arguments: {} }, 7),
      stream,
    );
    expect(preludes).toHaveLength(1);
    expect(preludes[0]?.statusCode).toBe(200);
    expect(preludes[0]?.headers["content-type"]).toMatch(/application\/json/);
    const body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    expect(body.id).toBe(7);
    expect(body.result.structuredContent.total).toBe(5);
    expect(stream.writableEnded).toBe(true);
  });
});
