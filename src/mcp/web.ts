import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { createMcpServer, type McpServerDeps } from "./server.js";

/**
 * The MCP server over a Fetch API `Request` → `Response` (Streamable HTTP, stateless): what the
 * platform's `/mcp` route and the Lambda Function URL handler call. One server and transport per
 * request, as in `http.ts`; anything but POST is 405. `deps` carry this request's caller;
 * `deps.queries` (kept by the caller of this function across requests) holds the lake_query results.
 *
 * By default the answer is one JSON body, complete when this resolves (the server is closed by then).
 * With `stream: true` and a client that accepts `text/event-stream`, the transport answers as SSE: the
 * `Response` is handed out at once and its body carries each message as the server sends it (progress
 * and log notifications first, the result last); the server and transport are closed when that body
 * has been read to its end or cancelled — the caller must consume or cancel it.
 */
export interface McpRequestOptions {
  /** Answer as an SSE stream when the client accepts one (RESPONSE_STREAM Lambda); default: one JSON body. */
  stream?: boolean;
}

export async function handleMcpRequest(
  deps: McpServerDeps,
  request: Request,
  options: McpRequestOptions = {},
): Promise<Response> {
  if (request.method !== "POST") {
    return Response.json(
      { jsonrpc: "2.0", error: { code: -32000, message: "Method not allowed: send JSON-RPC with POST" }, id: null },
      { status: 405, headers: { allow: "POST" } },
    );
  }
  const sse = options.stream === true && (request.headers.get("accept") ?? "").includes("text/event-stream");
  const server = createMcpServer(deps);
  const transport = new WebStandardStreamableHTTPServerTransport({
    sessionIdGenerator: undefined,
    enableJsonResponse: !sse,
  });
  const close = async () => {
    await transport.close();
    await server.close();
  };
  let handedOut = false;
  try {
    await server.connect(transport);
    const response = await transport.handleRequest(request);
    if (sse && response.body && response.headers.get("content-type")?.startsWith("text/event-stream")) {
      handedOut = true;
      return new Response(closingWhenDone(response.body, close), {
        status: response.status,
        headers: response.headers,
      });
    }
    // The JSON body is complete once handleRequest resolves; read it before closing the server.
    const body = await response.text();
    return new Response(body, { status: response.status, headers: response.headers });
  } finally {
    if (!handedOut) await close();
  }
}

/** `body`, passed through chunk by chunk; `close` runs once, when it ends, fails or is cancelled. */
function closingWhenDone(body: ReadableStream<Uint8Array>, close: () => Promise<void>): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let closed: Promise<void> | undefined;
  const closeOnce = () => {
    closed ??= close();
    return closed;
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) {
          controller.close();
          await closeOnce();
        } else controller.enqueue(value);
      } catch (error) {
        controller.error(error);
        await closeOnce();
      }
    },
    async cancel(reason) {
      await reader.cancel(reason);
      await closeOnce();
    },
  });
}
