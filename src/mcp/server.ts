import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { McpDeps } from "./mcp-deps.js";
import { registerTools } from "./tools/index.js";

/**
 * The catdata MCP server: CloudTrail behaviour intelligence for agents. Transport-agnostic — the
 * same server runs over stdio (`catdata mcp`, desktop clients), Streamable HTTP (`/mcp` on the web
 * server) and, later, a Lambda Function URL; only the entry point differs.
 */

export const MCP_SERVER_NAME = "catdata";

export function createMcpServer(deps: McpDeps): McpServer {
  const server = new McpServer(
    { name: MCP_SERVER_NAME, version: deps.version },
    {
      capabilities: { tools: {} },
      instructions:
        "CloudTrail events loaded into catdata's lake (`catdata trail load <folder>`). " +
        "Use lookup_events like CloudTrail's LookupEvents API: filter by attribute and time, page with nextToken. " +
        "list_principals, get_principal_profile, predict_next_actions and list_anomalies give the behaviour model's " +
        "view: who works how, what they will likely do next, and which events are anomalous, with the reasons.",
    },
  );
  registerTools(server, deps);
  return server;
}
