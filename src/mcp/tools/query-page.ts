import { z } from "zod";
import { notFound } from "../../errors.js";
import type { QueryResults, StoredQuery } from "../query-results.js";
import { DEFAULT_ANSWER_BYTES, fitToBudget } from "./answer-budget.js";
import { decodeToolToken, encodeToolToken } from "./tool-token.js";

/**
 * One page of a stored lake_query result, as lake_query and get_query_results answer it (the AWS
 * Labs CloudTrail MCP server's QueryResult: query_id, query_status, query_statistics,
 * query_result_rows, next_token, error_message), at most `max_results` rows and DEFAULT_ANSWER_BYTES;
 * next_token continues right after the last row shown. Rows are objects keyed by column.
 */
export const QUERY_PAGE_MAX_RESULTS = 50;
export const QUERY_PAGE_DEFAULT_RESULTS = 50;
/** A cell longer than this is shortened when even one whole row would not fit the answer budget. */
export const QUERY_CELL_MAX_CHARS = 512;

export const maxResultsInput = z
  .number()
  .int()
  .min(1)
  .max(QUERY_PAGE_MAX_RESULTS)
  .optional()
  .describe(
    `Rows per page, 1–${QUERY_PAGE_MAX_RESULTS} (default ${QUERY_PAGE_DEFAULT_RESULTS}; also cut to ${DEFAULT_ANSWER_BYTES / 1024} KB)`,
  );

interface PageToken {
  q: string;
  o: number;
}
const isPageToken = (v: unknown): v is PageToken =>
  v !== null && typeof v === "object" && typeof (v as PageToken).q === "string" && Number.isInteger((v as PageToken).o);

export function storedQuery(queries: QueryResults, queryId: string): StoredQuery {
  const query = queries.get(queryId);
  if (!query) {
    throw notFound(
      `no query ${JSON.stringify(queryId)} on this server`,
      "query ids are kept for an hour (the latest 64); run lake_query again",
    );
  }
  return query;
}

export function queryStatus(query: StoredQuery): Record<string, unknown> {
  return {
    query_id: query.queryId,
    query_status: query.status,
    query_statistics: {
      results_count: query.rows.length,
      execution_time_in_millis: query.elapsedMs,
      ...(query.truncated ? { truncated: true } : {}),
    },
    ...(query.errorMessage ? { error_message: query.errorMessage } : {}),
  };
}

export function queryPage(
  queries: QueryResults,
  query: StoredQuery,
  options: { maxResults?: number | undefined; nextToken?: string | undefined },
): Record<string, unknown> {
  let offset = 0;
  if (options.nextToken !== undefined) {
    const token = decodeToolToken(options.nextToken, isPageToken);
    if (token.q !== query.queryId) {
      throw notFound("next_token belongs to another query", "pass the query_id the next_token came with");
    }
    offset = token.o;
  }
  storedQuery(queries, query.queryId);
  const limit = options.maxResults ?? QUERY_PAGE_DEFAULT_RESULTS;
  const offered = query.rows.slice(offset, offset + limit);
  const status = queryStatus(query);
  const wrap = (rows: Record<string, unknown>[], more: boolean, note?: string) => ({
    ...status,
    columns: query.columns,
    query_result_rows: rows,
    ...(more ? { next_token: encodeToolToken<PageToken>({ q: query.queryId, o: offset + rows.length }) } : {}),
    ...(note ? { note } : {}),
  });
  const truncatedNote = query.truncated
    ? `the result was cut at ${query.rows.length} rows: aggregate or filter to see everything`
    : undefined;
  const fitted = fitToBudget(offered, (rows) => wrap(rows, true, "x".repeat(120)));
  const moreAfter = (shown: number) => offset + shown < query.rows.length;
  if (fitted.cut === 0) return wrap(offered, moreAfter(offered.length), truncatedNote);
  if (fitted.items.length > 0) {
    const shown = fitted.items.length;
    return wrap(
      fitted.items,
      moreAfter(shown),
      `page cut to ${shown} rows to stay under ${DEFAULT_ANSWER_BYTES / 1024} KB; pass next_token for the rest`,
    );
  }
  const row = shorten(offered[0] ?? {});
  return wrap(
    [row],
    moreAfter(1),
    `long values cut to ${QUERY_CELL_MAX_CHARS} characters: select fewer or shorter columns (e.g. json_extract(raw, '$.field'))`,
  );
}

function shorten(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    const text = typeof value === "string" ? value : JSON.stringify(value);
    out[key] =
      text !== undefined && text.length > QUERY_CELL_MAX_CHARS
        ? `${text.slice(0, QUERY_CELL_MAX_CHARS)}…(${text.length} characters)`
        : value;
  }
  return out;
}
