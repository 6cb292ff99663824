import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { McpDeps } from "../server.js";
import { registerLookupEventsTool } from "./lookup-events.js";

/** Registers every tool of the catdata MCP server. One tool per file beside this one. */
export function registerTools(server: McpServer, deps: McpDeps): void {
  registerLookupEventsTool(server, deps);
}
