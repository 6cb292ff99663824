import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { McpDeps } from "./mcp-deps.js";
import type { QueryResultsDeps } from "./query-results.js";
import { registerTools } from "./tools/index.js";

/**
 * The catdata MCP server: CloudTrail behaviour intelligence for agents. Transport-agnostic — the
 * same server runs over stdio (`catdata mcp`, desktop clients), Streamable HTTP (`/mcp` on the web
 * server) and a Lambda Function URL; only the entry point differs. `queries` (the lake_query
 * results) is passed by entry points that make a server per request, so query ids outlive it.
 */

export const MCP_SERVER_NAME = "catdata";

/** What a server is built from: the tools' dependencies and the state they share across servers. */
export type McpServerDeps = McpDeps & QueryResultsDeps;

export function createMcpServer(deps: McpServerDeps): McpServer {
  const server = new McpServer(
    { name: MCP_SERVER_NAME, version: deps.version },
    {
      capabilities: { tools: {} },
      instructions:
        "CloudTrail events loaded into catdata's trail lake (times are UTC; get_current_time gives now in a time zone). " +
        "Answers are bounded (about 8 KB): summaries first, page with nextToken / next_token. " +
        "lookup_events finds events like CloudTrail's LookupEvents (AWS Labs parameter names work too); " +
        "get_event_name_counts counts API calls over all events in a window; lake_query runs read-only SQL over the " +
        "table events (get_query_results pages its rows; list_event_data_stores lists the columns); with CloudTrail " +
        "Lake on, SQL naming an event data store runs in AWS CloudTrail Lake. " +
        "list_principals, get_principal_profile, predict_next_actions and list_anomalies give the behaviour model's " +
        "view: who works how, what they will likely do next, and which events are anomalous, with the reasons.",
    },
  );
  registerTools(server, deps);
  return server;
}
