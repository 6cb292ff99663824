import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import { badInput } from "../../errors.js";
import { type CloudTrailLake, FINAL_QUERY_STATES } from "../../trail/cloudtrail-lake/cloudtrail-lake.js";
import { assertReadOnlyLakeSql, namedEventDataStores } from "../../trail/cloudtrail-lake/lake-sql.js";
import type { McpDeps } from "../mcp-deps.js";
import type { QueryResults } from "../query-results.js";
import { runReadOnlyTrailSql, TRAIL_SQL_MAX_ROWS, TRAIL_TABLE } from "../trail-sql.js";
import { lakeResultsPage } from "./get-query-results.js";
import { lakeQueryStatus } from "./get-query-status.js";
import { maxResultsInput, queryPage, queryStatus } from "./query-page.js";
import { checkRegion, regionInput } from "./tool-args.js";
import { readOnlyTool, strictInput } from "./tool-input.js";
import { toolResult } from "./tool-result.js";

/**
 * `lake_query`: read-only SQL over the trail lake (the AWS Labs server's CloudTrail Lake query, run
 * here on catdata's own lake with DuckDB): one SELECT / WITH … SELECT over the table `events`;
 * anything else is refused with the reason. The result (at most TRAIL_SQL_MAX_ROWS rows) is kept
 * under a query_id for get_query_status / get_query_results; the answer is its first page.
 * SQL naming an event data store after FROM (an id or ARN) is CloudTrail Lake SQL: with CloudTrail
 * Lake on (CATDATA_CLOUDTRAIL_LAKE=on) it is checked read-only without parsing (its own dialect),
 * started with StartQuery and awaited (DescribeQuery) up to LAKE_QUERY_MAX_WAIT_MS, and the answer
 * is its first page (GetQueryResults); a FAILED, CANCELLED or TIMED_OUT query is a tool error with
 * CloudTrail Lake's reason. With it off, such SQL is a tool error saying how to turn it on.
 */
export const LAKE_QUERY_TOOL = "lake_query";
/** A run keeps at most this many bytes of rows (JSON) for get_query_results: 64 runs stay under 64 MiB. */
export const LAKE_QUERY_MAX_STORED_BYTES = 1024 * 1024;

const inputSchema = strictInput(LAKE_QUERY_TOOL, {
  sql: z
    .string()
    .min(1)
    .describe(
      `One SELECT over the table ${TRAIL_TABLE} (DuckDB SQL), e.g. SELECT event_name, count(*) AS n FROM ${TRAIL_TABLE} ` +
        "WHERE event_time >= TIMESTAMP '2019-01-01' GROUP BY 1 ORDER BY n DESC. list_event_data_stores lists the columns",
    ),
  wait_for_completion: z
    .boolean()
    .optional()
    .describe("AWS Labs form: false answers with the query_id and status only (queries here always run to the end)"),
  max_results: maxResultsInput,
  region: regionInput,
});

/** What the description says about CloudTrail Lake. */
function lakeDescription(lake: CloudTrailLake | undefined): string {
  if (!lake) {
    return "This runs on catdata's local trail lake; AWS CloudTrail Lake is off on this server (CATDATA_CLOUDTRAIL_LAKE=on turns it on).";
  }
  const example = lake.defaultEventDataStore ?? "<event data store id>";
  return (
    `SQL whose FROM names a CloudTrail Lake event data store (id or ARN; list_event_data_stores lists them) runs in ` +
    `AWS CloudTrail Lake (${lake.region}) in its own SQL dialect, e.g. SELECT eventName, count(*) AS n FROM ${example} ` +
    "WHERE eventTime > '2024-01-01 00:00:00' GROUP BY eventName ORDER BY n DESC; it may take seconds to minutes " +
    "(wait_for_completion: false answers the query_id at once; get_query_status follows it)."
  );
}

export function registerLakeQueryTool(server: McpServer, deps: McpDeps, queries: QueryResults): void {
  server.registerTool(
    LAKE_QUERY_TOOL,
    {
      title: "Query the trail lake with SQL",
      description:
        `Read-only SQL over every CloudTrail event loaded into catdata: one SELECT over the table ${TRAIL_TABLE} ` +
        "(columns: list_event_data_stores). Best for counts, groupings and joins over all events. Answers the first " +
        `page (within 8 KB) and a query_id; more rows with get_query_results. At most ${TRAIL_SQL_MAX_ROWS} rows are kept. ` +
        lakeDescription(deps.cloudTrailLake),
      inputSchema,
      annotations: readOnlyTool(deps.cloudTrailLake !== undefined),
    },
    async (args) =>
      toolResult(async () => {
        checkRegion(args.region, deps.region);
        const named = namedEventDataStores(args.sql);
        if (named.length > 0) {
          if (!deps.cloudTrailLake) {
            throw badInput(
              `${named[0]} names an AWS CloudTrail Lake event data store, and CloudTrail Lake is off on this server`,
              "the operator turns it on with CATDATA_CLOUDTRAIL_LAKE=on (AWS credentials allowed cloudtrail:StartQuery, " +
                `DescribeQuery, GetQueryResults, ListEventDataStores; docs/mcp.md); or query catdata's trail lake: FROM ${TRAIL_TABLE}`,
            );
          }
          return runInCloudTrailLake(deps.cloudTrailLake, args.sql, {
            wait: args.wait_for_completion !== false,
            maxResults: args.max_results,
          });
        }
        const result = await runReadOnlyTrailSql(deps.trail, args.sql);
        const rows = withinBytes(result.rows, LAKE_QUERY_MAX_STORED_BYTES);
        const stored = queries.add({
          sql: args.sql,
          status: "FINISHED",
          columns: result.columns,
          rows,
          truncated: result.truncated || rows.length < result.rows.length,
          elapsedMs: result.elapsedMs,
        });
        if (args.wait_for_completion === false) return queryStatus(stored);
        return queryPage(queries, stored, { maxResults: args.max_results });
      }),
  );
}

/** CloudTrail Lake SQL: checked read-only, started; its status at once (`wait` false) or, once awaited, its first page. */
async function runInCloudTrailLake(
  lake: CloudTrailLake,
  sql: string,
  options: { wait: boolean; maxResults: number | undefined },
): Promise<Record<string, unknown>> {
  assertReadOnlyLakeSql(sql);
  const queryId = await lake.startQuery(sql);
  if (!options.wait) return lakeQueryStatus(await lake.describeQuery(queryId));
  const described = await lake.waitForQuery(queryId);
  if (described.status === "FINISHED") {
    const statistics = lakeQueryStatus(described).query_statistics as Record<string, unknown>;
    return lakeResultsPage(lake, queryId, { maxResults: options.maxResults, statistics });
  }
  if (FINAL_QUERY_STATES.has(described.status)) {
    throw badInput(
      `CloudTrail Lake query ${queryId} is ${described.status}${described.errorMessage ? `: ${described.errorMessage}` : ""}`,
      "fix the SQL (CloudTrail Lake SQL: SELECT … FROM <event data store id> WHERE eventTime > '…'), then run lake_query again",
    );
  }
  return lakeQueryStatus(described);
}

/** The leading rows whose JSON fits in `maxBytes`. */
function withinBytes(rows: Record<string, unknown>[], maxBytes: number): Record<string, unknown>[] {
  let used = 0;
  for (let i = 0; i < rows.length; i++) {
    used += Buffer.byteLength(JSON.stringify(rows[i])) + 1;
    if (used > maxBytes) return rows.slice(0, i);
  }
  return rows;
}
