import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { McpDeps } from "../mcp-deps.js";
import { QueryResults, type QueryResultsDeps } from "../query-results.js";
import { registerGetCurrentTimeTool } from "./get-current-time.js";
import { registerGetDataStatusTool } from "./get-data-status.js";
import { registerGetEventNameCountsTool } from "./get-event-name-counts.js";
import { registerGetPrincipalProfileTool } from "./get-principal-profile.js";
import { registerGetQueryResultsTool } from "./get-query-results.js";
import { registerGetQueryStatusTool } from "./get-query-status.js";
import { registerGetUserActivityTool } from "./get-user-activity.js";
import { registerLakeQueryTool } from "./lake-query.js";
import { registerListAnomaliesTool } from "./list-anomalies.js";
import { registerListEventDataStoresTool } from "./list-event-data-stores.js";
import { registerListPrincipalsTool } from "./list-principals.js";
import { registerLookupEventsTool } from "./lookup-events.js";
import { registerPredictNextActionsTool } from "./predict-next-actions.js";
import { registerQueryCatStatsTool } from "./query-cat-stats.js";

/** Registers every tool of the catdata MCP server. One tool per file beside this one. */
export function registerTools(server: McpServer, deps: McpDeps & QueryResultsDeps): void {
  // lake_query results outlive one server on HTTP (a server per request): the store comes with the deps.
  const queries = deps.queries ?? new QueryResults();
  registerLookupEventsTool(server, deps);
  registerLakeQueryTool(server, deps, queries);
  registerGetQueryStatusTool(server, deps, queries);
  registerGetQueryResultsTool(server, deps, queries);
  registerListEventDataStoresTool(server, deps);
  registerGetEventNameCountsTool(server, deps);
  registerGetCurrentTimeTool(server, deps);
  registerListPrincipalsTool(server, deps);
  registerGetPrincipalProfileTool(server, deps);
  registerPredictNextActionsTool(server, deps);
  registerListAnomaliesTool(server, deps);
  registerGetUserActivityTool(server, deps);
  registerGetDataStatusTool(server, deps);
  registerQueryCatStatsTool(server, deps);
}
