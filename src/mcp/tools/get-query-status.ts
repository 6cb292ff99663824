import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import type { McpDeps } from "../mcp-deps.js";
import type { QueryResults } from "../query-results.js";
import { queryStatus, storedQuery } from "./query-page.js";
import { checkRegion, regionInput } from "./tool-args.js";
import { strictInput } from "./tool-input.js";
import { toolResult } from "./tool-result.js";

/** `get_query_status`: the status and statistics of a lake_query run (AWS Labs names). Read-only. */
export const GET_QUERY_STATUS_TOOL = "get_query_status";

const inputSchema = strictInput(GET_QUERY_STATUS_TOOL, {
  query_id: z.string().min(1).describe("The query_id lake_query answered"),
  region: regionInput,
});

export function registerGetQueryStatusTool(server: McpServer, deps: McpDeps, queries: QueryResults): void {
  server.registerTool(
    GET_QUERY_STATUS_TOOL,
    {
      title: "Status of a lake query",
      description:
        "The status (FINISHED or FAILED), row count and run time of a lake_query run, by its query_id. " +
        "Query ids are kept for an hour on this server.",
      inputSchema,
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    async (args) =>
      toolResult(async () => {
        checkRegion(args.region, deps.region);
        return queryStatus(storedQuery(queries, args.query_id));
      }),
  );
}
