import type { DuckDBValue } from "@duckdb/node-api";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import { badInput } from "../../errors.js";
import type { McpDeps } from "../mcp-deps.js";
import { runTrailSql, TRAIL_TABLE } from "../trail-sql.js";
import { fitToBudget } from "./answer-budget.js";
import { NO_EVENTS_LOADED } from "./lookup-events.js";
import { checkRegion, eitherSpelling, regionInput } from "./tool-args.js";
import { readOnlyTool, strictInput } from "./tool-input.js";
import { toolResult } from "./tool-result.js";
import { parseToolTime, TIME_HELP } from "./tool-time.js";

/**
 * `get_event_name_counts`: how often each API call (event source + event name) happens over ALL the
 * events matching a time window and optionally a principal — one aggregate query over the lake, not a
 * page. Bounded: the top `limit` calls, the rest summed into `others`, the answer within the budget.
 */
export const GET_EVENT_NAME_COUNTS_TOOL = "get_event_name_counts";
export const EVENT_NAME_COUNTS_DEFAULT_LIMIT = 25;
export const EVENT_NAME_COUNTS_MAX_LIMIT = 200;
/** The aggregate reads at most this many (event source, event name) groups. */
const MAX_GROUPS = 100_000;

const inputSchema = strictInput(GET_EVENT_NAME_COUNTS_TOOL, {
  startTime: z.string().optional().describe(`Count events at or after this time: ${TIME_HELP}`),
  start_time: z.string().optional().describe("AWS Labs spelling of startTime"),
  endTime: z.string().optional().describe(`Count events at or before this time: ${TIME_HELP}`),
  end_time: z.string().optional().describe("AWS Labs spelling of endTime"),
  principal: z
    .string()
    .min(1)
    .optional()
    .describe("Only this actor: a principal id (list_principals), a user name or a role session name"),
  eventSource: z.string().min(1).optional().describe("Only this service, e.g. s3.amazonaws.com"),
  limit: z
    .number()
    .int()
    .min(1)
    .max(EVENT_NAME_COUNTS_MAX_LIMIT)
    .optional()
    .describe(`The top this many calls, the rest summed as others (default ${EVENT_NAME_COUNTS_DEFAULT_LIMIT})`),
  region: regionInput,
});

interface Row {
  event_source: string | null;
  event_name: string | null;
  n: number;
  first_ms: number | null;
  last_ms: number | null;
}

interface Count {
  eventSource: string | null;
  eventName: string | null;
  count: number;
}

const iso = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : new Date(ms).toISOString());

export function registerGetEventNameCountsTool(server: McpServer, deps: McpDeps): void {
  server.registerTool(
    GET_EVENT_NAME_COUNTS_TOOL,
    {
      title: "Count CloudTrail events by API call",
      description:
        "Counts per API call (eventSource + eventName) over all events in a time window, optionally of one principal " +
        "or one service: the top calls and the rest as others, with the total and the first and last event time.",
      inputSchema,
      annotations: readOnlyTool(),
    },
    async (args) =>
      toolResult(async () => {
        checkRegion(args.region, deps.region);
        const now = (deps.now ?? (() => new Date()))();
        const start = eitherSpelling(["startTime", args.startTime], ["start_time", args.start_time]);
        const end = eitherSpelling(["endTime", args.endTime], ["end_time", args.end_time]);
        const startMs = start === undefined ? undefined : parseToolTime(start, "startTime", now).getTime();
        const endMs = end === undefined ? undefined : parseToolTime(end, "endTime", now).getTime();
        if (startMs !== undefined && endMs !== undefined && startMs > endMs) {
          throw badInput("startTime is after endTime", "give a startTime at or before the endTime");
        }
        if ((await deps.trail.parts()).length === 0) return { totalEvents: 0, counts: [], note: NO_EVENTS_LOADED };
        const params: DuckDBValue[] = [];
        const bind = (v: DuckDBValue) => {
          params.push(v);
          return `$${params.length}`;
        };
        const where = ["NOT coalesce(is_insight, false)"];
        if (startMs !== undefined) where.push(`epoch_ms(event_time) >= ${bind(startMs)}`);
        if (endMs !== undefined) where.push(`epoch_ms(event_time) <= ${bind(endMs)}`);
        if (args.principal !== undefined) {
          const p = bind(args.principal);
          where.push(`(principal = ${p} OR user_name = ${p} OR session_name = ${p})`);
        }
        if (args.eventSource !== undefined) where.push(`event_source = ${bind(args.eventSource)}`);
        const sql = `SELECT event_source, event_name, count(*)::INTEGER AS n,
            min(epoch_ms(event_time)) AS first_ms, max(epoch_ms(event_time)) AS last_ms
          FROM ${TRAIL_TABLE} WHERE ${where.join(" AND ")}
          GROUP BY ALL ORDER BY n DESC, event_source NULLS LAST, event_name NULLS LAST`;
        const { rows } = await runTrailSql(deps.trail, sql, { params, maxRows: MAX_GROUPS });
        const groups = rows as unknown as Row[];
        const total = groups.reduce((sum, g) => sum + Number(g.n), 0);
        const firsts = groups.map((g) => g.first_ms).filter((v): v is number => v !== null);
        const lasts = groups.map((g) => g.last_ms).filter((v): v is number => v !== null);
        const all: Count[] = groups.map((g) => ({
          eventSource: g.event_source,
          eventName: g.event_name,
          count: Number(g.n),
        }));
        const window = {
          ...(startMs === undefined ? {} : { startTime: iso(startMs) }),
          ...(endMs === undefined ? {} : { endTime: iso(endMs) }),
          ...(args.principal ? { principal: args.principal } : {}),
          ...(args.eventSource ? { eventSource: args.eventSource } : {}),
        };
        const answer = (counts: Count[]) => {
          const shown = counts.reduce((sum, c) => sum + c.count, 0);
          return {
            filter: window,
            totalEvents: total,
            distinctCalls: all.length,
            firstEventTime: firsts.length ? iso(Math.min(...firsts)) : null,
            lastEventTime: lasts.length ? iso(Math.max(...lasts)) : null,
            counts,
            ...(counts.length < all.length
              ? { others: { calls: all.length - counts.length, events: total - shown } }
              : {}),
            ...(total === 0
              ? { note: "no events match: widen the time window or check the principal with list_principals" }
              : {}),
          };
        };
        const top = all.slice(0, args.limit ?? EVENT_NAME_COUNTS_DEFAULT_LIMIT);
        return answer(fitToBudget(top, answer).items);
      }),
  );
}
