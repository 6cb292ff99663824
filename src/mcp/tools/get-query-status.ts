import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import type { LakeQueryDescription } from "../../trail/cloudtrail-lake/cloudtrail-lake.js";
import type { McpDeps } from "../mcp-deps.js";
import { isLocalQueryId, type QueryResults } from "../query-results.js";
import { queryStatus, storedQuery } from "./query-page.js";
import { checkRegion, regionInput } from "./tool-args.js";
import { readOnlyTool, strictInput } from "./tool-input.js";
import { toolResult } from "./tool-result.js";

/**
 * `get_query_status`: the status and statistics of a lake_query run (AWS Labs names). Read-only.
 * A local run (its id starts with `local-`) from the server's QueryResults; any other id, when
 * CloudTrail Lake is on, from DescribeQuery (QueryStatus, events matched and scanned, bytes, time).
 */
export const GET_QUERY_STATUS_TOOL = "get_query_status";

const inputSchema = strictInput(GET_QUERY_STATUS_TOOL, {
  query_id: z.string().min(1).describe("The query_id lake_query answered"),
  region: regionInput,
});

/** Where an answer came from: the local trail lake or AWS CloudTrail Lake. */
export const CLOUDTRAIL_LAKE_SOURCE = "cloudtrail_lake";

/** A CloudTrail Lake query's status as the tools answer it (AWS Labs names, undefined fields left out). */
export function lakeQueryStatus(query: LakeQueryDescription): Record<string, unknown> {
  const statistics = {
    events_matched: query.eventsMatched,
    events_scanned: query.eventsScanned,
    bytes_scanned: query.bytesScanned,
    execution_time_in_millis: query.executionTimeMs,
    creation_time: query.createdAt,
  };
  return {
    query_id: query.queryId,
    query_status: query.status,
    query_statistics: Object.fromEntries(Object.entries(statistics).filter(([, v]) => v !== undefined)),
    ...(query.errorMessage ? { error_message: query.errorMessage } : {}),
    source: CLOUDTRAIL_LAKE_SOURCE,
    ...(query.status === "QUEUED" || query.status === "RUNNING"
      ? { note: "still running: call get_query_status again in a few seconds, then get_query_results" }
      : {}),
  };
}

export function registerGetQueryStatusTool(server: McpServer, deps: McpDeps, queries: QueryResults): void {
  const lake = deps.cloudTrailLake;
  server.registerTool(
    GET_QUERY_STATUS_TOOL,
    {
      title: "Status of a lake query",
      description:
        "The status (FINISHED or FAILED), row count and run time of a lake_query run, by its query_id. " +
        "Query ids are kept for an hour on this server." +
        (lake
          ? " CloudTrail Lake query ids (no local- prefix) are described by CloudTrail Lake: QUEUED, RUNNING, FINISHED, " +
            "FAILED, CANCELLED or TIMED_OUT, with events matched and scanned."
          : ""),
      inputSchema,
      annotations: readOnlyTool(lake !== undefined),
    },
    async (args) =>
      toolResult(async () => {
        checkRegion(args.region, deps.region);
        if (lake && !isLocalQueryId(args.query_id) && !queries.get(args.query_id)) {
          return lakeQueryStatus(await lake.describeQuery(args.query_id));
        }
        return queryStatus(storedQuery(queries, args.query_id));
      }),
  );
}
