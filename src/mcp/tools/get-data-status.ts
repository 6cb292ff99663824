import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import { MAX_STATUS_SOURCES } from "../../behaviour/data-status.js";
import type { McpDeps } from "../mcp-deps.js";
import { readOnlyTool, strictInput } from "./tool-input.js";
import { toolResult } from "./tool-result.js";

/**
 * `get_data_status`: what CloudTrail data the server has — the sources loaded, how many events and
 * principals, the time span and how old the data is, and whether the behaviour model has seen all
 * of it. Read-only, no arguments. The same JSON is the resource `cloudtrail://status`, for clients
 * that read resources rather than call tools.
 */
export const GET_DATA_STATUS_TOOL = "get_data_status";
export const DATA_STATUS_URI = "cloudtrail://status";

const inputSchema = strictInput(GET_DATA_STATUS_TOOL, {});

const outputSchema = {
  lake: z.string().describe("Where the trail lake is"),
  sources: z
    .array(
      z.object({
        source: z.string().describe("A folder, s3://bucket/prefix or cloudtrail-lookup://… that was loaded"),
        files: z.number(),
        records: z.number(),
        filesWithProblems: z.number(),
        lastLoadedAt: z.string(),
      }),
    )
    .describe(`At most ${MAX_STATUS_SOURCES}, the latest loaded first`),
  sourcesTotal: z.number(),
  events: z.number().describe("Distinct events with a time (Insights events not counted)"),
  principals: z.number(),
  eventSources: z.number().describe("Distinct AWS services (eventSource)"),
  firstEventTime: z.string().nullable(),
  lastEventTime: z.string().nullable(),
  dataAgeDays: z.number().nullable().describe("Days from the last event to now"),
  model: z.object({
    location: z.string(),
    trainedAt: z.string().nullable(),
    partsTrained: z.number(),
    partsInLake: z.number(),
    upToDate: z.boolean().describe("false: the next behaviour call first trains over what it has not seen"),
  }),
  now: z.string().describe("The server's clock"),
  note: z.string().optional(),
};

async function status(deps: McpDeps): Promise<Record<string, unknown>> {
  const now = (deps.now ?? (() => new Date()))();
  const s = await deps.behaviour.status();
  const note =
    s.events === 0
      ? "No CloudTrail events are loaded: an operator loads them with `catdata trail load <folder | s3://… | --lookup>`."
      : s.dataAgeDays !== null && s.dataAgeDays > 7
        ? `The data ends ${s.dataAgeDays} days before now: forecasts are for the week after the data ends.`
        : undefined;
  return { ...s, now: now.toISOString(), ...(note ? { note } : {}) };
}

export function registerGetDataStatusTool(server: McpServer, deps: McpDeps): void {
  server.registerTool(
    GET_DATA_STATUS_TOOL,
    {
      title: "Get what CloudTrail data is loaded",
      description:
        "What this server's CloudTrail data is: the sources loaded (folders, S3, LookupEvents), events, principals " +
        "and services, the time span (first and last event) and its age, and whether the behaviour model is up to " +
        "date. Call it first to know which times to ask about. Also the resource cloudtrail://status.",
      inputSchema,
      outputSchema,
      annotations: readOnlyTool(),
    },
    async () => toolResult(() => status(deps)),
  );
  server.registerResource(
    "cloudtrail-status",
    DATA_STATUS_URI,
    {
      title: "CloudTrail data status",
      description: "The get_data_status answer: sources, event counts, time span, model freshness",
      mimeType: "application/json",
    },
    async (uri) => ({
      contents: [{ uri: uri.href, mimeType: "application/json", text: JSON.stringify(await status(deps)) }],
    }),
  );
}
