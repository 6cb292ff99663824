import type { IncomingMessage, ServerResponse } from "node:http";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import type { McpDeps } from "./mcp-deps.js";
import { QueryResults } from "./query-results.js";
import { createMcpServer, type McpServerDeps } from "./server.js";

/**
 * The MCP endpoint over Streamable HTTP (Node's request and response), stateless: each POST gets a
 * fresh server and transport (cheap; tools read the lake on every call anyway), answers in JSON (no
 * SSE stream to keep open, which suits proxies and Lambda), and everything is closed when the
 * response ends. GET and DELETE (session streams, session end) are refused with 405, as the spec
 * allows for stateless servers. The caller (the signed-in user's claims) comes with each request;
 * the lake_query results are kept by the handler (one store for all its requests).
 */
export type McpHttpHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  parsedBody?: unknown,
  caller?: McpDeps["caller"],
) => Promise<void>;

const jsonRpcError = (res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}) => {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify({ jsonrpc: "2.0", error: { code: status === 405 ? -32000 : -32603, message }, id: null }));
};

export function createMcpHttpHandler(deps: Omit<McpServerDeps, "caller">): McpHttpHandler {
  const shared = { ...deps, queries: deps.queries ?? new QueryResults() };
  return async (req, res, parsedBody, caller) => {
    if (req.method !== "POST") {
      jsonRpcError(res, 405, "Method not allowed: this MCP endpoint is stateless, send JSON-RPC with POST", {
        allow: "POST",
      });
      return;
    }
    const server = createMcpServer({ ...shared, caller });
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    res.on("close", () => {
      void transport.close();
      void server.close();
    });
    try {
      await server.connect(transport);
      await transport.handleRequest(req, res, parsedBody);
    } catch (error) {
      if (!res.headersSent)
        jsonRpcError(res, 500, `Internal error: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
}
