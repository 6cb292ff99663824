import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import { TRAIL_COLUMNS } from "../../trail/lake/lake-schema.js";
import type { McpDeps } from "../mcp-deps.js";
import { TRAIL_TABLE } from "../trail-sql.js";
import { checkRegion, regionInput } from "./tool-args.js";
import { strictInput } from "./tool-input.js";
import { toolResult } from "./tool-result.js";

/**
 * `list_event_data_stores` (AWS Labs name): CloudTrail Lake's event data stores. This server has
 * none — its events are in catdata's own trail lake — so the answer says so plainly, and names the
 * table lake_query reads instead, with its columns.
 */
export const LIST_EVENT_DATA_STORES_TOOL = "list_event_data_stores";

const inputSchema = strictInput(LIST_EVENT_DATA_STORES_TOOL, {
  include_details: z.boolean().optional().describe("AWS Labs form; accepted, the answer is the same"),
  region: regionInput,
});

export function registerListEventDataStoresTool(server: McpServer, deps: McpDeps): void {
  server.registerTool(
    LIST_EVENT_DATA_STORES_TOOL,
    {
      title: "List CloudTrail Lake event data stores",
      description:
        "AWS CloudTrail Lake event data stores. catdata reads its events from a local trail lake instead, so there are " +
        `none: the answer names the table lake_query reads (${TRAIL_TABLE}) and its columns.`,
      inputSchema,
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    async (args) =>
      toolResult(async () => {
        checkRegion(args.region, deps.region);
        return {
          event_data_stores: [],
          source: "local",
          message:
            "No CloudTrail Lake event data stores: this server does not reach AWS CloudTrail Lake (no AWS credentials). " +
            `Its CloudTrail events are in catdata's trail lake (${deps.trail.location}); query them with lake_query ` +
            `FROM ${TRAIL_TABLE}, or use lookup_events.`,
          table: TRAIL_TABLE,
          columns: TRAIL_COLUMNS.map((c) => ({ name: c.name, type: c.type })),
        };
      }),
  );
}
