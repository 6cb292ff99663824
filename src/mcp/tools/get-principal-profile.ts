import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import type { McpDeps } from "../mcp-deps.js";
import { principalSummarySchema } from "./list-principals.js";
import { toolResult } from "./tool-result.js";

/** `get_principal_profile`: one principal's habits and activity time. Read-only. */
export const GET_PRINCIPAL_PROFILE_TOOL = "get_principal_profile";

const inputSchema = {
  principal: z
    .string()
    .min(1)
    .max(512)
    .describe("Principal id from list_principals (e.g. iam-user:123456789012/alice), or its last part (alice)"),
  timeZone: z.string().min(1).max(64).optional().describe("IANA time zone of the activity profile (default UTC)"),
  top: z.number().int().min(1).max(50).optional().describe("How many items per list (default 10)"),
};

const share = z.object({ value: z.string(), count: z.number(), share: z.number() });
const outputSchema = {
  ...principalSummarySchema.shape,
  topEvents: z.array(share),
  topServices: z.array(share),
  regions: z.array(share),
  sourceIps: z.array(share),
  userAgents: z.array(share),
  topTransitions: z.array(z.object({ from: z.string(), to: z.string(), count: z.number(), probability: z.number() })),
  activity: z.looseObject({
    timeZone: z.string(),
    eventsByHourOfWeek: z.array(z.number()).describe("168 values, Monday 00:00 first, in timeZone"),
    nextActiveHours: z.array(z.object({ start: z.string(), local: z.string(), probability: z.number() })),
  }),
};

export function registerGetPrincipalProfileTool(server: McpServer, deps: McpDeps): void {
  server.registerTool(
    GET_PRINCIPAL_PROFILE_TOOL,
    {
      title: "Get a principal's behaviour profile",
      description:
        "What a principal usually does in CloudTrail: top API calls and services, regions, source IPs, user agents, " +
        "most frequent transitions between calls, events by hour of the week (in a time zone) and the hours it is most " +
        "likely to be active next, with probabilities.",
      inputSchema,
      outputSchema,
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    async ({ principal, timeZone, top }) =>
      toolResult(async () => ({
        ...(await deps.behaviour.profile(principal, {
          ...(timeZone ? { timeZone } : {}),
          ...(top ? { top } : {}),
        })),
      })),
  );
}
