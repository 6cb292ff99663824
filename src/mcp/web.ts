import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { createMcpServer, type McpServerDeps } from "./server.js";

/**
 * The MCP server over a Fetch API `Request` → `Response` (Streamable HTTP, stateless, JSON
 * responses): what a Lambda Function URL handler calls. One server and transport per request, as in
 * `http.ts`; anything but POST is 405. `deps` carry this request's caller; `deps.queries` (kept by the
 * caller of this function across requests) holds the lake_query results.
 */
export async function handleMcpRequest(deps: McpServerDeps, request: Request): Promise<Response> {
  if (request.method !== "POST") {
    return Response.json(
      { jsonrpc: "2.0", error: { code: -32000, message: "Method not allowed: send JSON-RPC with POST" }, id: null },
      { status: 405, headers: { allow: "POST" } },
    );
  }
  const server = createMcpServer(deps);
  const transport = new WebStandardStreamableHTTPServerTransport({
    sessionIdGenerator: undefined,
    enableJsonResponse: true,
  });
  try {
    await server.connect(transport);
    const response = await transport.handleRequest(request);
    // The JSON body is complete once handleRequest resolves; read it before closing the server.
    const body = await response.text();
    return new Response(body, { status: response.status, headers: response.headers });
  } finally {
    await transport.close();
    await server.close();
  }
}
