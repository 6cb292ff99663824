import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import type { McpDeps } from "../mcp-deps.js";
import { readOnlyTool, strictInput } from "./tool-input.js";
import { toolResult } from "./tool-result.js";

/** `predict_next_actions`: a principal's most likely next API calls, with probabilities. Read-only. */
export const PREDICT_NEXT_ACTIONS_TOOL = "predict_next_actions";

const inputSchema = strictInput(PREDICT_NEXT_ACTIONS_TOOL, {
  principal: z.string().min(1).max(512).describe("Principal id from list_principals, or its last part"),
  top: z.number().int().min(1).max(50).optional().describe("How many predictions (default 5)"),
  after: z
    .array(z.string().min(1).max(256))
    .max(20)
    .optional()
    .describe(
      "Predict after these calls, oldest first, instead of the principal's last session: eventSource:eventName " +
        "(s3.amazonaws.com:ListObjects), s3:ListObjects, or the bare name (ListObjects) when one service has it",
    ),
  newSession: z.boolean().optional().describe("true: predict the first call of a new session"),
});

const outputSchema = {
  principal: z.string(),
  after: z.array(z.string()).describe("The session calls the prediction follows, oldest first, as event keys"),
  lastEventTime: z.string(),
  predictions: z.array(z.object({ eventKey: z.string(), probability: z.number() })),
};

export function registerPredictNextActionsTool(server: McpServer, deps: McpDeps): void {
  server.registerTool(
    PREDICT_NEXT_ACTIONS_TOOL,
    {
      title: "Predict a principal's next API calls",
      description:
        "Ranked next CloudTrail calls (eventSource:eventName) of a principal with probabilities, by default continuing " +
        "its last session. The model is a smoothed n-gram (Witten-Bell, orders 1–3 plus the session's recent calls) " +
        "backed off to the principal's identity type and the whole account; probabilities sum to at most 1. A call " +
        "name in `after` the trail never saw, or one several services share, is an error listing the choices.",
      inputSchema,
      outputSchema,
      annotations: readOnlyTool(),
    },
    async ({ principal, top, after, newSession }) =>
      toolResult(async () => ({
        ...(await deps.behaviour.predict(principal, {
          ...(top ? { top } : {}),
          ...(after ? { after } : {}),
          ...(newSession !== undefined ? { newSession } : {}),
        })),
      })),
  );
}
