/**
 * Pins the MCP Lambda's Function URL handler on a lake holding a synthetic week: a Function URL
 * event (payload 2.0) with a JSON-RPC POST answers `initialize` as the catdata server, lists the
 * tools and calls list_principals (JSON responses, stateless); a base64 body is decoded; GET is 405;
 * in RESPONSE_STREAM mode (the Lambda runtime's streamifyResponse / HttpResponseStream, which exist
 * only in Lambda, stood in by a shim with their wire format: JSON prelude, eight NUL bytes, body) the
 * prelude carries status and headers, the body is the JSON-RPC answer as an SSE stream, and the
 * stream is ended; each request of a container gets its own server; a GET's 405 streams as JSON.
 */
import { Writable } from "node:stream";
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

  it("streams the answer in RESPONSE_STREAM mode: the prelude first, then the SSE body, then the end", async () => {
    const { runtime, stream, streamed } = streamingShim();
    await mcpStreamingHandler(() => deps, runtime)(
      rpc("tools/call", { name: "list_principals", arguments: {} }, 7),
      stream,
      {},
    );
    const { contentType, prelude, body, ended } = streamed();
    expect(contentType).toBe("application/vnd.awslambda.http-integration-response");
    expect(prelude.statusCode).toBe(200);
    expect(prelude.headers["content-type"]).toBe("text/event-stream");
    const [message] = sseMessages(body);
    expect(message.id).toBe(7);
    expect(message.result.structuredContent.total).toBe(5);
    expect(ended).toBe(true);
  });

  it("streams tools/list for each request of a container in turn", async () => {
    for (const id of [1, 2]) {
      const { runtime, stream, streamed } = streamingShim();
      await mcpStreamingHandler(() => deps, runtime)(rpc("tools/list", {}, id), stream);
      const [message] = sseMessages(streamed().body);
      expect(message.id).toBe(id);
      expect((message.result.tools as { name: string }[]).map((t) => t.name)).toContain("lookup_events");
    }
  });

  it("streams the 405 of a GET as JSON with its prelude", async () => {
    const { runtime, stream, streamed } = streamingShim();
    await mcpStreamingHandler(() => deps, runtime)(
      { rawPath: "/", requestContext: { http: { method: "GET" } } },
      stream,
    );
    const { prelude, body, ended } = streamed();
    expect(prelude.statusCode).toBe(405);
    expect(prelude.headers.allow).toBe("POST");
    expect(JSON.parse(body).error.message).toMatch(/POST/);
    expect(ended).toBe(true);
  });
});

/**
 * The Lambda runtime's streaming contract, as its Node.js runtime implements it: `streamifyResponse`
 * marks the handler (the runtime then calls it with the response stream); `HttpResponseStream.from`
 * sets the stream's content type to the HTTP-integration type and, before the first body byte, writes
 * the prelude as JSON followed by eight NUL bytes. The test reads the bytes back the way the Function
 * URL service does.
 */
function streamingShim() {
  const chunks: Buffer[] = [];
  let contentType: string | undefined;
  const stream = Object.assign(
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks.push(Buffer.from(chunk));
        done();
      },
    }),
    {
      setContentType(type: string) {
        contentType = type;
      },
    },
  );
  const runtime: LambdaStreamingRuntime = {
    streamifyResponse: (h) => h,
    HttpResponseStream: {
      from(underlying, prelude) {
        (underlying as typeof stream).setContentType("application/vnd.awslambda.http-integration-response");
        underlying.write(Buffer.concat([Buffer.from(JSON.stringify(prelude)), Buffer.alloc(8)]));
        return underlying;
      },
    },
  };
  const streamed = () => {
    const bytes = Buffer.concat(chunks);
    const cut = bytes.indexOf(Buffer.alloc(8));
    return {
      contentType,
      prelude: JSON.parse(bytes.subarray(0, cut).toString("utf8")) as {
        statusCode: number;
        headers: Record<string, string>;
      },
      body: bytes.subarray(cut + 8).toString("utf8"),
      ended: stream.writableFinished,
    };
  };
  return { runtime, stream, streamed };
}

/** The JSON-RPC messages of an SSE body (`event: message` / `data: …` blocks). */
// biome-ignore lint/suspicious/noExplicitAny: JSON-RPC answers read field by field in the assertions
const sseMessages = (body: string): any[] =>
  body
    .split("\n\n")
    .flatMap((block) => block.split("\n").filter((line) => line.startsWith("data: ")))
    .map((line) => JSON.parse(line.slice("data: ".length)));
