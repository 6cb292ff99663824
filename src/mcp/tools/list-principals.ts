import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import type { McpDeps } from "../mcp-deps.js";
import { DEFAULT_ANSWER_BYTES } from "./answer-budget.js";
import { readOnlyTool, strictInput } from "./tool-input.js";
import { fitPage, pageOffset, pageToken, pagingInput, toolResult } from "./tool-result.js";

/**
 * `list_principals`: who acts in the trail, busiest first, with a one-line summary each. Read-only.
 * A page of at most `limit` principals that fits the answer budget; `nextToken` for the next.
 */
export const LIST_PRINCIPALS_TOOL = "list_principals";
export const DEFAULT_PRINCIPALS_PAGE = 20;
export const MAX_PRINCIPALS_PAGE = 1000;

const inputSchema = strictInput(LIST_PRINCIPALS_TOOL, {
  limit: z
    .number()
    .int()
    .min(1)
    .max(MAX_PRINCIPALS_PAGE)
    .optional()
    .describe(`At most this many principals per page, busiest first (default ${DEFAULT_PRINCIPALS_PAGE})`),
  ...pagingInput,
});

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

const outputSchema = {
  principals: z.array(principalSummarySchema),
  total: z.number().describe("Principals in the trail"),
  nextToken: z.string().optional().describe("More principals: call again with this token"),
};

export function registerListPrincipalsTool(server: McpServer, deps: McpDeps): void {
  server.registerTool(
    LIST_PRINCIPALS_TOOL,
    {
      title: "List CloudTrail principals",
      description:
        "The principals (IAM users, roles, services, …) that act in the CloudTrail events loaded into catdata, busiest " +
        "first: events, first/last seen, distinct API calls, error rate, denials and top calls. Use a principal id from " +
        "here with get_principal_profile, get_user_activity, predict_next_actions or list_anomalies. Paged: " +
        "nextToken for more.",
      inputSchema,
      outputSchema,
      annotations: readOnlyTool(),
    },
    async ({ limit, nextToken, maxBytes }) =>
      toolResult(async () => {
        const offset = pageOffset(LIST_PRINCIPALS_TOOL, {}, nextToken);
        const all = await deps.behaviour.principals();
        const page = all.slice(offset, offset + (limit ?? DEFAULT_PRINCIPALS_PAGE));
        const envelope = (principals: typeof page, token?: string) => ({
          principals,
          total: all.length,
          ...(token ? { nextToken: token } : {}),
        });
        const token = (at: number) => pageToken(LIST_PRINCIPALS_TOOL, {}, at);
        const items = fitPage(page, {
          offset,
          total: all.length,
          budget: maxBytes ?? DEFAULT_ANSWER_BYTES,
          token,
          wrap: envelope,
        });
        const end = offset + items.length;
        return envelope(items, end < all.length ? token(end) : undefined);
      }),
  );
}
