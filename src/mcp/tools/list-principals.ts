import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import type { McpDeps } from "../mcp-deps.js";
import { toolResult } from "./tool-result.js";

/** `list_principals`: who acts in the trail, busiest first, with a one-line summary each. Read-only. */
export const LIST_PRINCIPALS_TOOL = "list_principals";

const inputSchema = {
  limit: z
    .number()
    .int()
    .min(1)
    .max(1000)
    .optional()
    .describe("At most this many principals, busiest first (default 100)"),
};

export const principalSummarySchema = z.object({
  principal: z.string().describe("Stable id: iam-user:<account>/<name>, role:<account>/<role>, service:<host>, …"),
  principalType: z.string(),
  events: z.number(),
  firstSeen: z.string(),
  lastSeen: z.string(),
  distinctEventKeys: z.number(),
  services: z.number(),
  errorRate: z.number(),
  denials: z.number(),
  topEventKeys: z.array(z.string()),
});

const outputSchema = { principals: z.array(principalSummarySchema), total: z.number() };

export function registerListPrincipalsTool(server: McpServer, deps: McpDeps): void {
  server.registerTool(
    LIST_PRINCIPALS_TOOL,
    {
      title: "List CloudTrail principals",
      description:
        "The principals (IAM users, roles, services, …) that act in the CloudTrail events loaded into catdata, busiest " +
        "first: events, first/last seen, distinct API calls, error rate, denials and top calls. Use a principal id from " +
        "here with get_principal_profile, predict_next_actions or list_anomalies.",
      inputSchema,
      outputSchema,
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    async ({ limit }) =>
      toolResult(async () => {
        const all = await deps.behaviour.principals();
        return { principals: all.slice(0, limit ?? 100), total: all.length };
      }),
  );
}
