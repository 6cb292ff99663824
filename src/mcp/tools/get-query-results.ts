import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import type { McpDeps } from "../mcp-deps.js";
import type { QueryResults } from "../query-results.js";
import { maxResultsInput, queryPage, storedQuery } from "./query-page.js";
import { checkRegion, regionInput } from "./tool-args.js";
import { strictInput } from "./tool-input.js";
import { toolResult } from "./tool-result.js";

/** `get_query_results`: the rows of a lake_query run, page by page with next_token (AWS Labs names). */
export const GET_QUERY_RESULTS_TOOL = "get_query_results";

const inputSchema = strictInput(GET_QUERY_RESULTS_TOOL, {
  query_id: z.string().min(1).describe("The query_id lake_query answered"),
  max_results: maxResultsInput,
  next_token: z.string().optional().describe("The next_token of the previous page of this query"),
  region: regionInput,
});

export function registerGetQueryResultsTool(server: McpServer, deps: McpDeps, queries: QueryResults): void {
  server.registerTool(
    GET_QUERY_RESULTS_TOOL,
    {
      title: "Rows of a lake query",
      description:
        "The rows of a lake_query run by its query_id, a page at a time (within 8 KB): pass next_token for the next page.",
      inputSchema,
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    async (args) =>
      toolResult(async () => {
        checkRegion(args.region, deps.region);
        const query = storedQuery(queries, args.query_id);
        return queryPage(queries, query, { maxResults: args.max_results, nextToken: args.next_token });
      }),
  );
}
