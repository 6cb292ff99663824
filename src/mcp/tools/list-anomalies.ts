import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import { REASON_KINDS } from "../../behaviour/anomaly/anomaly-reason.js";
import type { McpDeps } from "../mcp-deps.js";
import { toolResult } from "./tool-result.js";

/** `list_anomalies`: events (and sessions) ranked by anomaly score, each with its reasons. Read-only. */
export const LIST_ANOMALIES_TOOL = "list_anomalies";

const inputSchema = {
  since: z.string().optional().describe("Score events from this time on, ISO 8601 (earlier events are history)"),
  limit: z.number().int().min(1).max(500).optional().describe("How many events and sessions (default 20)"),
  principal: z.string().min(1).max(512).optional().describe("Only this principal's events (id or its last part)"),
  minScore: z.number().min(0).optional().describe("Only events scoring at least this much"),
};

const reason = z.object({
  kind: z.enum(REASON_KINDS as [string, ...string[]]),
  contribution: z.number().describe("Bits added to the score"),
  detail: z.string(),
});
const outputSchema = {
  since: z.string().nullable(),
  scanned: z.number(),
  anomalies: z.array(
    z.object({
      eventID: z.string(),
      eventTime: z.string(),
      principal: z.string(),
      eventKey: z.string(),
      score: z.number(),
      reasons: z.array(reason),
      session: z.number(),
    }),
  ),
  sessions: z.array(
    z.looseObject({
      principal: z.string(),
      start: z.string(),
      end: z.string(),
      score: z.number(),
      reasons: z.array(reason),
    }),
  ),
  attackMapping: z.string(),
};

export function registerListAnomaliesTool(server: McpServer, deps: McpDeps): void {
  server.registerTool(
    LIST_ANOMALIES_TOOL,
    {
      title: "List anomalous CloudTrail events",
      description:
        "CloudTrail events ranked by anomaly score, each scored against what came before it, with the reasons spelled " +
        "out and what each contributed (in bits): improbable transition, first-seen API / service / region / source IP " +
        "/ user agent / principal, off-hours, bursts of denials, enumeration, sensitive calls weighted by MITRE ATT&CK. " +
        "Also the most anomalous sessions.",
      inputSchema,
      outputSchema,
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    async ({ since, limit, principal, minScore }) =>
      toolResult(async () => ({
        ...(await deps.behaviour.anomalies({
          limit: limit ?? 20,
          ...(since ? { since } : {}),
          ...(principal ? { principal } : {}),
          ...(minScore !== undefined ? { minScore } : {}),
        })),
      })),
  );
}
