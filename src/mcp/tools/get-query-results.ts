import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import { badInput, notFound } from "../../errors.js";
import { type CloudTrailLake, FINAL_QUERY_STATES } from "../../trail/cloudtrail-lake/cloudtrail-lake.js";
import type { McpDeps } from "../mcp-deps.js";
import { isLocalQueryId, type QueryResults } from "../query-results.js";
import { DEFAULT_ANSWER_BYTES, fitToBudget } from "./answer-budget.js";
import { CLOUDTRAIL_LAKE_SOURCE } from "./get-query-status.js";
import {
  maxResultsInput,
  QUERY_CELL_MAX_CHARS,
  QUERY_PAGE_DEFAULT_RESULTS,
  queryPage,
  storedQuery,
} from "./query-page.js";
import { checkRegion, regionInput } from "./tool-args.js";
import { readOnlyTool, strictInput } from "./tool-input.js";
import { toolResult } from "./tool-result.js";
import { decodeToolToken, encodeToolToken } from "./tool-token.js";

/**
 * `get_query_results`: the rows of a lake_query run, page by page with next_token (AWS Labs names).
 * A local run from the server's QueryResults; a CloudTrail Lake query (CloudTrail Lake on, an id
 * without the `local-` prefix) through GetQueryResults: each CloudTrail Lake page (rows as arrays of
 * single-key objects) becomes rows keyed by column, cut to max_results and DEFAULT_ANSWER_BYTES;
 * next_token holds CloudTrail Lake's NextToken and where in its page the answer stopped.
 */
export const GET_QUERY_RESULTS_TOOL = "get_query_results";

const inputSchema = strictInput(GET_QUERY_RESULTS_TOOL, {
  query_id: z.string().min(1).describe("The query_id lake_query answered"),
  max_results: maxResultsInput,
  next_token: z.string().optional().describe("The next_token of the previous page of this query"),
  region: regionInput,
});

/** Where the next answer of a CloudTrail Lake query starts: CloudTrail Lake's page token `t`, row `o` in it. */
interface LakePageToken {
  q: string;
  t?: string;
  o: number;
}
const isLakePageToken = (v: unknown): v is LakePageToken => {
  const token = v as LakePageToken;
  return (
    v !== null &&
    typeof v === "object" &&
    typeof token.q === "string" &&
    Number.isInteger(token.o) &&
    token.o >= 0 &&
    (token.t === undefined || typeof token.t === "string")
  );
};

/** One bounded answer of CloudTrail Lake query `queryId`'s rows, from `nextToken` on (ours, not AWS's). */
export async function lakeResultsPage(
  lake: CloudTrailLake,
  queryId: string,
  options: {
    maxResults?: number | undefined;
    nextToken?: string | undefined;
    /** DescribeQuery's statistics, shown beside GetQueryResults' (lake_query's first page). */
    statistics?: Record<string, unknown> | undefined;
  },
): Promise<Record<string, unknown>> {
  const token: LakePageToken =
    options.nextToken === undefined ? { q: queryId, o: 0 } : decodeToolToken(options.nextToken, isLakePageToken);
  if (token.q !== queryId) {
    throw notFound("next_token belongs to another query", "pass the query_id the next_token came with");
  }
  const page = await lake.getQueryResults(queryId, token.t);
  if (FINAL_QUERY_STATES.has(page.status) && page.status !== "FINISHED") {
    throw badInput(
      `CloudTrail Lake query ${queryId} is ${page.status}${page.errorMessage ? `: ${page.errorMessage}` : ""}`,
      "get_query_status shows why; fix the SQL and run lake_query again",
    );
  }
  const statistics = Object.fromEntries(
    Object.entries({
      ...options.statistics,
      results_count: page.resultsCount,
      total_results_count: page.totalResultsCount,
      bytes_scanned: page.bytesScanned,
    }).filter(([, v]) => v !== undefined),
  );
  const head = { query_id: queryId, query_status: page.status, query_statistics: statistics };
  if (!FINAL_QUERY_STATES.has(page.status)) {
    return {
      ...head,
      query_result_rows: [],
      source: CLOUDTRAIL_LAKE_SOURCE,
      note: "still running: call get_query_results again in a few seconds (get_query_status shows progress)",
    };
  }
  const limit = options.maxResults ?? QUERY_PAGE_DEFAULT_RESULTS;
  const offered = page.rows.slice(token.o, token.o + limit);
  const nextAfter = (shown: number): string | undefined => {
    const end = token.o + shown;
    if (end < page.rows.length)
      return encodeToolToken<LakePageToken>({ q: queryId, ...(token.t ? { t: token.t } : {}), o: end });
    return page.nextToken ? encodeToolToken<LakePageToken>({ q: queryId, t: page.nextToken, o: 0 }) : undefined;
  };
  const wrap = (rows: Record<string, string>[], next: string | undefined, note?: string) => ({
    ...head,
    columns: page.columns,
    query_result_rows: rows,
    ...(next ? { next_token: next } : {}),
    source: CLOUDTRAIL_LAKE_SOURCE,
    ...(note ? { note } : {}),
  });
  // Probe with the longest token this page can have, and room for a note.
  const probe = encodeToolToken<LakePageToken>({ q: queryId, t: `${token.t ?? ""}${page.nextToken ?? ""}`, o: 1e6 });
  const fitted = fitToBudget(offered, (rows) => wrap(rows, probe, "x".repeat(120)));
  if (fitted.cut === 0) return wrap(offered, nextAfter(offered.length));
  if (fitted.items.length > 0) {
    const shown = fitted.items.length;
    return wrap(
      fitted.items,
      nextAfter(shown),
      `page cut to ${shown} rows to stay under ${DEFAULT_ANSWER_BYTES / 1024} KB; pass next_token for the rest`,
    );
  }
  return wrap(
    [shorten(offered[0] ?? {})],
    nextAfter(1),
    `long values cut to ${QUERY_CELL_MAX_CHARS} characters: select fewer or shorter columns`,
  );
}

function shorten(row: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(row)) {
    out[key] =
      value.length > QUERY_CELL_MAX_CHARS
        ? `${value.slice(0, QUERY_CELL_MAX_CHARS)}…(${value.length} characters)`
        : value;
  }
  return out;
}

export function registerGetQueryResultsTool(server: McpServer, deps: McpDeps, queries: QueryResults): void {
  const lake = deps.cloudTrailLake;
  server.registerTool(
    GET_QUERY_RESULTS_TOOL,
    {
      title: "Rows of a lake query",
      description:
        "The rows of a lake_query run by its query_id, a page at a time (within 8 KB): pass next_token for the next page." +
        (lake ? " Works for CloudTrail Lake query ids too (rows keyed by column, every value a string)." : ""),
      inputSchema,
      annotations: readOnlyTool(lake !== undefined),
    },
    async (args) =>
      toolResult(async () => {
        checkRegion(args.region, deps.region);
        if (lake && !isLocalQueryId(args.query_id) && !queries.get(args.query_id)) {
          return lakeResultsPage(lake, args.query_id, { maxResults: args.max_results, nextToken: args.next_token });
        }
        const query = storedQuery(queries, args.query_id);
        return queryPage(queries, query, { maxResults: args.max_results, nextToken: args.next_token });
      }),
  );
}
