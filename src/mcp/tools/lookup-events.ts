import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { CatdataError } from "../../errors.js";
import { lookupEvents } from "../../trail/lookup/lookup-events.js";
import { LOOKUP_ATTRIBUTE_KEYS, MAX_RESULTS } from "../../trail/lookup/lookup-filter.js";
import type { McpDeps } from "../mcp-deps.js";

/**
 * `lookup_events`: CloudTrail's LookupEvents over the events loaded into the lake. Read-only.
 * Returns `{ events, nextToken? }` as JSON text and as structured content.
 */
export const LOOKUP_EVENTS_TOOL = "lookup_events";

const inputSchema = {
  lookupAttributes: z
    .array(
      z.object({
        attributeKey: z.enum(LOOKUP_ATTRIBUTE_KEYS).describe("Which event attribute to match, as in CloudTrail's API"),
        attributeValue: z
          .string()
          .min(1)
          .describe("Exact value to match. Username also matches a principal id such as iam-user:<account>/<name>"),
      }),
    )
    .max(LOOKUP_ATTRIBUTE_KEYS.length)
    .optional()
    .describe("Attributes the events must all match (CloudTrail allows one; several are ANDed here)"),
  startTime: z.string().optional().describe("Only events at or after this time, ISO 8601 (e.g. 2023-07-10T11:00:00Z)"),
  endTime: z.string().optional().describe("Only events at or before this time, ISO 8601"),
  eventCategory: z.enum(["insight"]).optional().describe("Set to 'insight' for CloudTrail Insights events only"),
  maxResults: z
    .number()
    .int()
    .min(1)
    .max(MAX_RESULTS)
    .optional()
    .describe(`Events per page, 1–${MAX_RESULTS} (default ${MAX_RESULTS})`),
  nextToken: z
    .string()
    .optional()
    .describe("The nextToken of the previous page, to get the next one with the same filter"),
  includeCloudTrailEvent: z
    .boolean()
    .optional()
    .describe(
      "Include each event's full record as JSON text in CloudTrailEvent (default true; false keeps answers short)",
    ),
};

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
});

const outputSchema = { events: z.array(eventSchema), nextToken: z.string().optional() };

export function registerLookupEventsTool(server: McpServer, deps: McpDeps): void {
  server.registerTool(
    LOOKUP_EVENTS_TOOL,
    {
      title: "Look up CloudTrail events",
      description:
        "Search the CloudTrail events loaded into catdata, newest first, like CloudTrail's LookupEvents API: " +
        "filter by EventId, EventName, ReadOnly, Username, ResourceType, ResourceName, EventSource or AccessKeyId " +
        "and a time range; page with nextToken. Each event has `principal`, a stable id of the actor.",
      inputSchema,
      outputSchema,
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    async ({ includeCloudTrailEvent, ...filter }): Promise<CallToolResult> => {
      try {
        const result = await lookupEvents(deps.trail, filter);
        const events =
          includeCloudTrailEvent === false
            ? result.events.map(({ CloudTrailEvent: _, ...rest }) => rest)
            : result.events;
        const structured = result.nextToken === undefined ? { events } : { events, nextToken: result.nextToken };
        return { content: [{ type: "text", text: JSON.stringify(structured) }], structuredContent: structured };
      } catch (error) {
        if (!(error instanceof CatdataError)) throw error;
        const text = error.hint ? `${error.message} (${error.hint})` : error.message;
        return { isError: true, content: [{ type: "text", text }] };
      }
    },
  );
}
