import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { McpDeps } from "../mcp-deps.js";
import { registerGetPrincipalProfileTool } from "./get-principal-profile.js";
import { registerListAnomaliesTool } from "./list-anomalies.js";
import { registerListPrincipalsTool } from "./list-principals.js";
import { registerLookupEventsTool } from "./lookup-events.js";
import { registerPredictNextActionsTool } from "./predict-next-actions.js";

/** Registers every tool of the catdata MCP server. One tool per file beside this one. */
export function registerTools(server: McpServer, deps: McpDeps): void {
  registerLookupEventsTool(server, deps);
  registerListPrincipalsTool(server, deps);
  registerGetPrincipalProfileTool(server, deps);
  registerPredictNextActionsTool(server, deps);
  registerListAnomaliesTool(server, deps);
}
