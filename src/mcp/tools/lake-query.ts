import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import { badInput } from "../../errors.js";
import type { McpDeps } from "../mcp-deps.js";
import type { QueryResults } from "../query-results.js";
import { runReadOnlyTrailSql, TRAIL_SQL_MAX_ROWS, TRAIL_TABLE } from "../trail-sql.js";
import { maxResultsInput, queryPage, queryStatus } from "./query-page.js";
import { checkRegion, regionInput } from "./tool-args.js";
import { strictInput } from "./tool-input.js";
import { toolResult } from "./tool-result.js";

/**
 * `lake_query`: read-only SQL over the trail lake (the AWS Labs server's CloudTrail Lake query, run
 * here on catdata's own lake with DuckDB): one SELECT / WITH … SELECT over the table `events`;
 * anything else is refused with the reason. The result (at most TRAIL_SQL_MAX_ROWS rows) is kept
 * under a query_id for get_query_status / get_query_results; the answer is its first page.
 * AWS CloudTrail Lake event data stores are not reachable from here: no AWS credentials.
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

/** `FROM <event data store id>`, as CloudTrail Lake SQL names its tables. */
const EVENT_DATA_STORE_ID =
  /\bfrom\s+[`"]?(arn:aws:cloudtrail:\S+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/i;

export function registerLakeQueryTool(server: McpServer, deps: McpDeps, queries: QueryResults): void {
  server.registerTool(
    LAKE_QUERY_TOOL,
    {
      title: "Query the trail lake with SQL",
      description:
        `Read-only SQL over every CloudTrail event loaded into catdata: one SELECT over the table ${TRAIL_TABLE} ` +
        "(columns: list_event_data_stores). Best for counts, groupings and joins over all events. Answers the first " +
        `page (within 8 KB) and a query_id; more rows with get_query_results. At most ${TRAIL_SQL_MAX_ROWS} rows are kept. ` +
        "This runs on catdata's local trail lake; AWS CloudTrail Lake is not reachable from here (no AWS credentials).",
      inputSchema,
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    async (args) =>
      toolResult(async () => {
        checkRegion(args.region, deps.region);
        const named = EVENT_DATA_STORE_ID.exec(args.sql);
        if (named) {
          throw badInput(
            `${named[1]} names an AWS CloudTrail Lake event data store, which this server cannot reach (no AWS credentials)`,
            `query catdata's trail lake instead: FROM ${TRAIL_TABLE} (list_event_data_stores shows its columns)`,
          );
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

/** The leading rows whose JSON fits in `maxBytes`. */
function withinBytes(rows: Record<string, unknown>[], maxBytes: number): Record<string, unknown>[] {
  let used = 0;
  for (let i = 0; i < rows.length; i++) {
    used += Buffer.byteLength(JSON.stringify(rows[i])) + 1;
    if (used > maxBytes) return rows.slice(0, i);
  }
  return rows;
}
