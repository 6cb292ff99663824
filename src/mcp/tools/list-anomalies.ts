import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import { type AnomalyReason, REASON_KINDS, type ScoredEvent } from "../../behaviour/anomaly/anomaly-reason.js";
import type { SessionScore } from "../../behaviour/anomaly/anomaly-stream.js";
import type { McpDeps } from "../mcp-deps.js";
import { DEFAULT_ANSWER_BYTES, fitToBudget } from "./answer-budget.js";
import { readOnlyTool, strictInput } from "./tool-input.js";
import { fitPage, pageToken, pagingInput, readPageToken, toolResult } from "./tool-result.js";
import { parseToolTime, TIME_HELP } from "./tool-time.js";

/**
 * `list_anomalies`: events (and sessions) ranked by anomaly score. Read-only. A default answer is a
 * page of summaries (score, principal, call, time, top reason) under the answer budget; every reason
 * with `details: true`; the next page with `nextToken`. The most anomalous sessions come with the
 * first page only.
 */
export const LIST_ANOMALIES_TOOL = "list_anomalies";
/** Events per page unless `limit` says otherwise. */
export const DEFAULT_ANOMALIES_PAGE = 20;
export const MAX_ANOMALIES_PAGE = 500;
/** Sessions shown with the first page, in at most this share of the answer budget. */
export const ANOMALY_SESSIONS_SHOWN = 5;
export const SESSIONS_SHARE = 0.5;

const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value), "utf8");

const inputSchema = strictInput(LIST_ANOMALIES_TOOL, {
  since: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .describe(`Score events from this time on (earlier events are history): ${TIME_HELP}`),
  limit: z
    .number()
    .int()
    .min(1)
    .max(MAX_ANOMALIES_PAGE)
    .optional()
    .describe(`Events per page (default ${DEFAULT_ANOMALIES_PAGE}); the answer stays within maxBytes either way`),
  principal: z.string().min(1).max(512).optional().describe("Only this principal's events (id or its last part)"),
  minScore: z.number().min(0).optional().describe("Only events scoring at least this much (bits)"),
  details: z
    .boolean()
    .optional()
    .describe("true: every reason of each event and session (default: the top reason only)"),
  ...pagingInput,
});

const reason = z.object({
  kind: z.enum(REASON_KINDS as [string, ...string[]]),
  contribution: z.number().describe("Bits added to the score"),
  detail: z.string(),
});
const outputSchema = {
  since: z.string().nullable(),
  scanned: z.number().describe("Events scored"),
  anomalies: z.array(
    z.object({
      eventID: z.string().describe("Look it up with lookup_events (attributeKey EventId)"),
      eventTime: z.string(),
      principal: z.string(),
      eventKey: z.string(),
      score: z.number(),
      topReason: reason.nullable(),
      reasons: z.array(reason).optional().describe("Every reason (details: true)"),
      session: z.number(),
    }),
  ),
  sessions: z
    .array(
      z.object({
        principal: z.string(),
        start: z.string(),
        end: z.string(),
        events: z.number(),
        score: z.number(),
        topReason: reason.nullable(),
        reasons: z.array(reason).optional(),
        topEvents: z.array(z.string()).optional(),
      }),
    )
    .describe("The most anomalous sessions (first page only)"),
  attackMapping: z.string(),
  nextToken: z.string().optional().describe("More anomalies: call again with this token"),
};

const top = (reasons: readonly AnomalyReason[]) => reasons[0] ?? null;

const eventRow = (e: ScoredEvent, details: boolean) => ({
  eventID: e.eventID,
  eventTime: e.eventTime,
  principal: e.principal,
  eventKey: e.eventKey,
  score: e.score,
  topReason: top(e.reasons),
  ...(details ? { reasons: e.reasons } : {}),
  session: e.session,
});

const sessionRow = (s: SessionScore, details: boolean) => ({
  principal: s.principal,
  start: s.start,
  end: s.end,
  events: s.events,
  score: s.score,
  topReason: top(s.reasons),
  ...(details ? { reasons: s.reasons, topEvents: s.topEvents } : {}),
});

export function registerListAnomaliesTool(server: McpServer, deps: McpDeps): void {
  server.registerTool(
    LIST_ANOMALIES_TOOL,
    {
      title: "List anomalous CloudTrail events",
      description:
        "CloudTrail events ranked by anomaly score (bits of surprise), each scored against what came before it: " +
        "improbable transition, first-seen API / service / region / source IP / user agent / principal, off-hours, " +
        "bursts of denials, enumeration, sensitive calls weighted by MITRE ATT&CK. A page of summaries with each " +
        "event's top reason; details: true for every reason; nextToken for more. The first page also has the most " +
        "anomalous sessions. Raw events: lookup_events with the eventID.",
      inputSchema,
      outputSchema,
      annotations: readOnlyTool(),
    },
    async ({ since, limit, principal, minScore, details, nextToken, maxBytes }) =>
      toolResult(async () => {
        const query = { since, principal, minScore };
        const { offset, pin } = readPageToken(LIST_ANOMALIES_TOOL, query, nextToken);
        // A relative `since` ("2 days ago") is resolved by the first page and pinned in its token.
        const now = (deps.now ?? (() => new Date()))();
        const sinceIso = pin ?? (since ? parseToolTime(since, "since", now).toISOString() : undefined);
        const size = limit ?? DEFAULT_ANOMALIES_PAGE;
        const report = await deps.behaviour.anomalies({
          limit: offset + size + 1,
          ...(sinceIso ? { since: sinceIso } : {}),
          ...(principal ? { principal } : {}),
          ...(minScore !== undefined ? { minScore } : {}),
        });
        const full = details === true;
        const budget = maxBytes ?? DEFAULT_ANSWER_BYTES;
        const page = report.anomalies.slice(offset, offset + size).map((e) => eventRow(e, full));
        const top = offset === 0 ? report.sessions.slice(0, ANOMALY_SESSIONS_SHOWN) : [];
        // Sessions take at most half the budget (summaries when their details do not fit), events the rest.
        let sessions = fitToBudget(
          top.map((x) => sessionRow(x, full)),
          (xs) => xs,
          budget * SESSIONS_SHARE,
        ).items;
        if (sessions.length === 0 && full)
          sessions = fitToBudget(
            top.map((x) => sessionRow(x, false)),
            (xs) => xs,
            budget * SESSIONS_SHARE,
          ).items;
        const envelope = (rows: typeof page, token: string | undefined) => ({
          since: report.since,
          scanned: report.scanned,
          anomalies: rows,
          sessions,
          attackMapping: report.attackMapping,
          ...(token ? { nextToken: token } : {}),
        });
        const token = (at: number) => pageToken(LIST_ANOMALIES_TOOL, query, at, sinceIso);
        const total = report.anomalies.length;
        let items = fitPage(page, { offset, total, budget, token, wrap: envelope });
        // One event's summary always fits; its reasons may not.
        const [only] = items;
        if (items.length === 1 && only && bytes(envelope(items, token(offset + 1))) > budget) {
          const { reasons: _, ...summary } = only;
          items = [summary];
        }
        const end = offset + items.length;
        return envelope(items, end < total ? token(end) : undefined);
      }),
  );
}
