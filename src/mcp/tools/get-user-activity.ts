import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import type { UserActivity } from "../../behaviour/user-activity.js";
import type { McpDeps } from "../mcp-deps.js";
import { DEFAULT_ANSWER_BYTES, MAX_ANSWER_BYTES } from "./answer-budget.js";
import { readOnlyTool, strictInput } from "./tool-input.js";
import { toolResult } from "./tool-result.js";
import { parseToolTime, TIME_HELP } from "./tool-time.js";

/**
 * `get_user_activity`: what one principal did over a time window — counts, services and calls,
 * errors, source IPs, regions, user agents, active hours — from its events. Read-only. Bounded:
 * lists of at most `top` items (default DEFAULT_ACTIVITY_TOP), fewer if the answer would exceed the
 * budget (`listsCutTo` then says how many).
 */
export const GET_USER_ACTIVITY_TOOL = "get_user_activity";
export const DEFAULT_ACTIVITY_TOP = 5;

const inputSchema = strictInput(GET_USER_ACTIVITY_TOOL, {
  principal: z
    .string()
    .min(1)
    .max(512)
    .describe("Principal id from list_principals (e.g. iam-user:123456789012/alice), or its last part (alice)"),
  startTime: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .describe(`Window start, ${TIME_HELP} (default: a week before endTime)`),
  endTime: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .describe(`Window end (exclusive), ${TIME_HELP} (default: just after the principal's last event)`),
  timeZone: z.string().min(1).max(64).optional().describe("IANA time zone of eventsByHourOfDay (default UTC)"),
  top: z.number().int().min(1).max(50).optional().describe(`Items per list (default ${DEFAULT_ACTIVITY_TOP})`),
  maxBytes: z
    .number()
    .int()
    .min(1024)
    .max(MAX_ANSWER_BYTES)
    .optional()
    .describe(`Size budget of the answer in bytes of JSON (default ${DEFAULT_ANSWER_BYTES})`),
});

const share = z.object({ value: z.string(), count: z.number(), share: z.number() });
const stamp = z.object({ eventID: z.string(), eventTime: z.string() }).nullable();
const outputSchema = {
  principal: z.string(),
  window: z.object({
    start: z.string(),
    end: z.string(),
    basis: z.enum(["requested", "last-week-of-activity"]).describe("Asked for, or the principal's last week"),
  }),
  timeZone: z.string(),
  events: z.number(),
  errors: z.number(),
  denials: z.number(),
  readOnly: z.number(),
  firstEvent: stamp.describe("Look it up with lookup_events (attributeKey EventId)"),
  lastEvent: stamp,
  services: z.array(share),
  calls: z.array(share).describe("eventSource:eventName"),
  errorCodes: z.array(share),
  sourceIps: z.array(share).describe("Source IP addresses, as shares of the calls with a source"),
  viaServices: z.array(share).describe("Calls an AWS service made on its behalf (the service named as source)"),
  regions: z.array(share),
  userAgents: z.array(share),
  eventsByHourOfDay: z.array(z.number()).describe("24 values, 00:00 first, in timeZone"),
  activeHours: z.number().describe("Distinct clock hours with at least one event"),
  busiestHours: z.array(z.object({ hour: z.string(), events: z.number() })),
  listsCutTo: z.number().optional().describe("Set when the lists were cut to this many items to fit the budget"),
};

const LISTS = [
  "services",
  "calls",
  "errorCodes",
  "sourceIps",
  "viaServices",
  "regions",
  "userAgents",
  "busiestHours",
] as const;
const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value), "utf8");
const cut = (a: UserActivity, n: number) => {
  const out: Record<string, unknown> = { ...a };
  for (const list of LISTS) out[list] = a[list].slice(0, n);
  return out;
};

export function boundedActivity(a: UserActivity, top: number, budget: number): Record<string, unknown> {
  let n = top;
  while (n > 1 && bytes(cut(a, n)) > budget) n -= 1;
  return n < top && LISTS.some((list) => a[list].length > n) ? { ...cut(a, n), listsCutTo: n } : cut(a, n);
}

export function registerGetUserActivityTool(server: McpServer, deps: McpDeps): void {
  server.registerTool(
    GET_USER_ACTIVITY_TOOL,
    {
      title: "Get what a principal did in a time window",
      description:
        "One principal's CloudTrail activity over a window (default: the last week of its activity): events, errors, " +
        "denials, read-only calls, top services and calls, error codes, source IPs (calls AWS services made for it " +
        "apart, as viaServices), regions, user agents, events per hour of the day in a time zone, busiest hours, " +
        "and its first and last event in the window. Its habits over all time: get_principal_profile; the events " +
        "themselves: lookup_events.",
      inputSchema,
      outputSchema,
      annotations: readOnlyTool(),
    },
    async ({ principal, startTime, endTime, timeZone, top, maxBytes }) =>
      toolResult(async () => {
        const now = (deps.now ?? (() => new Date()))();
        const n = top ?? DEFAULT_ACTIVITY_TOP;
        const activity = await deps.behaviour.activity(principal, {
          ...(startTime ? { startMs: parseToolTime(startTime, "startTime", now).getTime() } : {}),
          ...(endTime ? { endMs: parseToolTime(endTime, "endTime", now).getTime() } : {}),
          ...(timeZone ? { timeZone } : {}),
          top: n,
        });
        return boundedActivity(activity, n, maxBytes ?? DEFAULT_ANSWER_BYTES);
      }),
  );
}
