import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import { badInput } from "../../errors.js";
import { type LookupEvent, type LookupFilter, lookupEvents } from "../../trail/lookup/lookup-events.js";
import { LOOKUP_ATTRIBUTE_KEYS, type LookupAttribute, MAX_RESULTS } from "../../trail/lookup/lookup-filter.js";
import type { McpDeps } from "../mcp-deps.js";
import { DEFAULT_ANSWER_BYTES, fitToBudget, MAX_ANSWER_BYTES } from "./answer-budget.js";
import { checkRegion, eitherSpelling, regionInput } from "./tool-args.js";
import { readOnlyTool, strictInput } from "./tool-input.js";
import { pagingInput, toolResult } from "./tool-result.js";
import { parseToolTime, TIME_HELP } from "./tool-time.js";
import { decodeToolToken, encodeToolToken } from "./tool-token.js";

/**
 * `lookup_events`: CloudTrail's LookupEvents over the events loaded into the lake, bounded for a
 * model's context: by default summaries only (no raw record) and at most DEFAULT_ANSWER_BYTES; a page
 * cut to that budget carries a nextToken that continues right after the last event shown. Raw records
 * on request (`includeCloudTrailEvent: true`, then up to MAX_ANSWER_BYTES). Takes the AWS Labs
 * CloudTrail MCP server's parameters too (start_time, attribute_key, max_results, next_token, region).
 */
export const LOOKUP_EVENTS_TOOL = "lookup_events";

const attributeKey = z.enum(LOOKUP_ATTRIBUTE_KEYS);
const inputSchema = strictInput(LOOKUP_EVENTS_TOOL, {
  lookupAttributes: z
    .array(
      z.strictObject({
        attributeKey: attributeKey.describe("Which event attribute to match, as in CloudTrail's API"),
        attributeValue: z
          .string()
          .min(1)
          .describe("Exact value to match. Username also matches a principal id such as iam-user:<account>/<name>"),
      }),
    )
    .max(LOOKUP_ATTRIBUTE_KEYS.length)
    .optional()
    .describe("Attributes to match, each key at most once; several different keys are ANDed (CloudTrail takes one)"),
  attribute_key: attributeKey.optional().describe("AWS Labs form of one lookup attribute: its key"),
  attribute_value: z.string().min(1).optional().describe("AWS Labs form of one lookup attribute: its value"),
  startTime: z.string().optional().describe(`Only events at or after this time: ${TIME_HELP}`),
  start_time: z.string().optional().describe("AWS Labs spelling of startTime"),
  endTime: z.string().optional().describe(`Only events at or before this time: ${TIME_HELP}`),
  end_time: z.string().optional().describe("AWS Labs spelling of endTime"),
  eventCategory: z.enum(["insight"]).optional().describe("Set to 'insight' for CloudTrail Insights events only"),
  maxResults: z
    .number()
    .int()
    .min(1)
    .max(MAX_RESULTS)
    .optional()
    .describe(`Events per page, 1–${MAX_RESULTS} (default ${MAX_RESULTS}; a page is also cut to the answer budget)`),
  max_results: z.number().int().min(1).max(MAX_RESULTS).optional().describe("AWS Labs spelling of maxResults"),
  nextToken: z.string().optional().describe("The nextToken of the previous answer, to continue with the same filter"),
  next_token: z.string().optional().describe("AWS Labs spelling of nextToken"),
  includeCloudTrailEvent: z
    .boolean()
    .optional()
    .describe(
      `Include each event's full record as JSON text in CloudTrailEvent (default false: summaries within ${
        DEFAULT_ANSWER_BYTES / 1024
      } KB; true allows up to ${MAX_ANSWER_BYTES / 1024} KB)`,
    ),
  maxBytes: pagingInput.maxBytes.describe(
    `Size budget of the answer in bytes of JSON (default ${DEFAULT_ANSWER_BYTES}, or ${MAX_ANSWER_BYTES} with raw records; at most ${MAX_ANSWER_BYTES})`,
  ),
  region: regionInput,
});

const eventSchema = z.object({
  EventId: z.string(),
  EventName: z.string().nullable(),
  ReadOnly: z.enum(["true", "false"]).nullable(),
  AccessKeyId: z.string().nullable(),
  EventTime: z.string().nullable(),
  EventSource: z.string().nullable(),
  Username: z.string().nullable(),
  Resources: z.array(z.object({ ResourceType: z.string().nullable(), ResourceName: z.string().nullable() })),
  CloudTrailEvent: z.string().optional(),
  principal: z.string(),
  errorCode: z.string().optional(),
});

const outputSchema = {
  events: z.array(eventSchema),
  nextToken: z.string().optional(),
  note: z.string().optional(),
};

/** The tool's nextToken: the lookup's own token and the time window it was resolved to (relative times drift). */
interface PageToken {
  n: string;
  s: number | null;
  e: number | null;
}

type Args = z.infer<typeof inputSchema>;
type ToolEvent = Omit<LookupEvent, "CloudTrailEvent"> & { CloudTrailEvent?: string; errorCode?: string };

export const NO_EVENTS_LOADED =
  "no events loaded: ask the operator to load CloudTrail files into catdata; get_data_status shows what is loaded";

const NO_EVENTS_MATCH =
  "no events match this filter: get_data_status shows the time span loaded; list_principals names the actors";

export function registerLookupEventsTool(server: McpServer, deps: McpDeps): void {
  server.registerTool(
    LOOKUP_EVENTS_TOOL,
    {
      title: "Look up CloudTrail events",
      description:
        "Search the CloudTrail events loaded into catdata, newest first, like CloudTrail's LookupEvents API: " +
        "filter by EventId, EventName, ReadOnly, Username, ResourceType, ResourceName, EventSource or AccessKeyId " +
        "and a time range (ISO or relative, e.g. '2 days ago'); page with nextToken. Answers are summaries within " +
        `${DEFAULT_ANSWER_BYTES / 1024} KB; ask includeCloudTrailEvent for raw records. For counts over all events use ` +
        "get_event_name_counts or lake_query. Each event has `principal`, a stable id of the actor.",
      inputSchema,
      outputSchema,
      annotations: readOnlyTool(),
    },
    async (args) => toolResult(() => lookupPage(deps, args)),
  );
}

async function lookupPage(deps: McpDeps, args: Args): Promise<Record<string, unknown>> {
  checkRegion(args.region, deps.region);
  const now = (deps.now ?? (() => new Date()))();
  const token = eitherSpelling(["nextToken", args.nextToken], ["next_token", args.next_token]);
  const paging = token === undefined ? undefined : decodeToolToken<PageToken>(token, isPageToken);
  const startMs = windowEdge(
    eitherSpelling(["startTime", args.startTime], ["start_time", args.start_time]),
    "startTime",
    now,
    paging?.s,
  );
  const endMs = windowEdge(
    eitherSpelling(["endTime", args.endTime], ["end_time", args.end_time]),
    "endTime",
    now,
    paging?.e,
  );
  const filter: LookupFilter = {
    lookupAttributes: lookupAttributesOf(args),
    ...(startMs === undefined ? {} : { startTime: new Date(startMs) }),
    ...(endMs === undefined ? {} : { endTime: new Date(endMs) }),
    ...(args.eventCategory ? { eventCategory: args.eventCategory } : {}),
    maxResults: eitherSpelling(["maxResults", args.maxResults], ["max_results", args.max_results]) ?? MAX_RESULTS,
    ...(paging ? { nextToken: paging.n } : {}),
  };
  const result = await lookupEvents(deps.trail, filter);
  if (result.events.length === 0 && paging === undefined) {
    const loaded = (await deps.trail.parts()).length > 0;
    return { events: [], note: loaded ? NO_EVENTS_MATCH : NO_EVENTS_LOADED };
  }
  const raw = args.includeCloudTrailEvent === true;
  const budget = args.maxBytes ?? (raw ? MAX_ANSWER_BYTES : DEFAULT_ANSWER_BYTES);
  const events = result.events.map((e) => toToolEvent(e, raw));
  const pageToken = (inner: string | undefined) =>
    inner === undefined ? undefined : encodeToolToken<PageToken>({ n: inner, s: startMs ?? null, e: endMs ?? null });
  const wrap = (shown: ToolEvent[], nextToken: string | undefined, note?: string) => ({
    events: shown,
    ...(nextToken ? { nextToken } : {}),
    ...(note ? { note } : {}),
  });
  const whole = wrap(events, pageToken(result.nextToken));
  if (bytesOf(whole) <= budget) return whole;
  const cutNote = (shown: number) =>
    `page cut to ${shown} of ${events.length} events to stay under ${Math.floor(budget / 1024)} KB; pass nextToken for the rest`;
  // A token as long as any real one stands in while fitting; the real one is checked after.
  const placeholder = "x".repeat(TOKEN_ALLOWANCE);
  let shown = fitToBudget(events, (items) => wrap(items, placeholder, cutNote(items.length)), budget).items;
  const note = shown.length > 0 ? undefined : tooLargeNote(events[0], budget);
  if (shown.length === 0 && events[0]) {
    // One raw record larger than the whole budget: its summary, and where to read the record.
    const { CloudTrailEvent: _, ...summary } = events[0];
    shown = [summary];
  }
  for (;;) {
    // The token of a page that ends at the last event shown: the same lookup with that page size.
    const upTo = await lookupEvents(deps.trail, { ...filter, maxResults: shown.length });
    const answer = wrap(shown, pageToken(upTo.nextToken), note ?? cutNote(shown.length));
    if (bytesOf(answer) <= budget || shown.length <= 1) return answer;
    shown = shown.slice(0, -1);
  }
}

/** Room for a nextToken while a page is fitted to its budget (real ones are about 250 characters). */
const TOKEN_ALLOWANCE = 400;

const bytesOf = (value: unknown) => Buffer.byteLength(JSON.stringify(value), "utf8");

const tooLargeNote = (event: ToolEvent | undefined, budget: number) =>
  `the raw record of ${event?.EventId} alone is over ${Math.floor(budget / 1024)} KB: read it with lake_query ` +
  "(SELECT raw FROM events WHERE event_id = '…')";

function windowEdge(
  value: string | undefined,
  name: string,
  now: Date,
  fromToken: number | null | undefined,
): number | undefined {
  if (fromToken !== undefined) {
    // Paging: the window the first page resolved (so "2 days ago" does not drift between pages).
    if (value !== undefined && !isRelative(value) && parseToolTime(value, name, now).getTime() !== fromToken) {
      throw badInput(
        "nextToken belongs to another query",
        "repeat the same filter as the previous page, or drop nextToken",
      );
    }
    return fromToken ?? undefined;
  }
  return value === undefined ? undefined : parseToolTime(value, name, now).getTime();
}

const isRelative = (value: string) => /ago$|^(now|today|yesterday)$/i.test(value.trim());

function lookupAttributesOf(args: Args): LookupAttribute[] {
  const attributes = [...(args.lookupAttributes ?? [])];
  if (args.attribute_key !== undefined || args.attribute_value !== undefined) {
    if (args.lookupAttributes !== undefined) {
      throw badInput("give lookupAttributes or attribute_key/attribute_value, not both", "they are the same filter");
    }
    if (args.attribute_key === undefined || args.attribute_value === undefined) {
      throw badInput(
        "attribute_key and attribute_value go together",
        `e.g. attribute_key "Username", attribute_value "alice"`,
      );
    }
    attributes.push({ attributeKey: args.attribute_key, attributeValue: args.attribute_value });
  }
  const seen = new Set<string>();
  for (const { attributeKey } of attributes) {
    if (seen.has(attributeKey)) {
      throw badInput(
        `lookup attribute ${attributeKey} is given twice: CloudTrail takes one value per key`,
        "give each key once (different keys are ANDed); for several values of one key call lookup_events once per value, or use lake_query with IN (…)",
      );
    }
    seen.add(attributeKey);
  }
  return attributes;
}

function toToolEvent(event: LookupEvent, raw: boolean): ToolEvent {
  const { CloudTrailEvent, ...summary } = event;
  const errorCode = errorCodeOf(CloudTrailEvent);
  return { ...summary, ...(errorCode ? { errorCode } : {}), ...(raw ? { CloudTrailEvent } : {}) };
}

function errorCodeOf(record: string): string | undefined {
  try {
    const code = (JSON.parse(record) as { errorCode?: unknown }).errorCode;
    return typeof code === "string" && code !== "" ? code : undefined;
  } catch {
    return undefined;
  }
}

const isPageToken = (v: unknown): v is PageToken => {
  const t = v as Partial<PageToken> | null;
  const edge = (x: unknown) => x === null || typeof x === "number";
  return t !== null && typeof t === "object" && typeof t.n === "string" && edge(t.s) && edge(t.e);
};
