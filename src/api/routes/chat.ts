import { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import { z } from "zod";
import { RULES } from "../../auth/policy.js";
import { CatdataError } from "../../errors.js";
import type { ChatService } from "../chat-port.js";
import type { ApiDeps, ApiEnv } from "../context.js";
import { authorize } from "../middleware/authorize.js";
import { readJson } from "../middleware/json-body.js";
import { defineRoute } from "../openapi/registry.js";

/** A question longer than this is refused (a question is a few sentences; documents go through uploads). */
export const MAX_QUESTION_CHARS = 4000;
const CONVERSATION_ID = /^[A-Za-z0-9_-]{1,64}$/;

const askBody = z.strictObject({
  question: z.string().trim().min(1).max(MAX_QUESTION_CHARS).describe("the question, in Japanese or English"),
  conversationId: z.string().regex(CONVERSATION_ID).optional().describe("continue this conversation; none: a new one"),
  lang: z.enum(["ja", "en"]).default("en").describe("the answer language"),
});
const conversationParams = z.strictObject({ id: z.string().regex(CONVERSATION_ID) });

export const chatSpecs = [
  defineRoute({
    method: "post",
    path: "/chat",
    operationId: "askAgent",
    summary: "Ask the CloudTrail agent a question; the answer streams as server-sent events",
    description:
      "Events: `meta` (conversationId, model, offline), `text` (a piece of the answer), `tool_call` and `tool_result` (each tool the agent used), then `done` (the whole answer) or `error`.",
    tag: "agent",
    body: [{ contentType: "application/json", schema: askBody }],
    responses: { 200: { description: "text/event-stream of the events above", contentType: "text/event-stream" } },
  }),
  defineRoute({
    method: "get",
    path: "/chat/conversations",
    operationId: "listConversations",
    summary: "The caller's own conversations with the agent, newest first",
    tag: "agent",
    responses: {
      200: { description: "conversations", schema: z.object({ items: z.array(z.looseObject({ id: z.string() })) }) },
    },
  }),
  defineRoute({
    method: "get",
    path: "/chat/conversations/:id",
    operationId: "getConversation",
    summary: "One of the caller's conversations with every question, answer and tool call",
    tag: "agent",
    params: conversationParams,
    responses: { 200: { description: "the conversation", schema: z.looseObject({ id: z.string() }) } },
  }),
];

const noAgent = () =>
  new CatdataError("UNAVAILABLE", "this deployment runs no agent", {
    hint: "the agent runs with the platform (npm start); its MCP tools are at /mcp",
  });

/**
 * The chat with the agent (the Streamlit role of design document 000), for admins and analysts:
 * `POST /chat` streams one answer as server-sent events (the client's disconnect aborts it), the
 * conversations are the caller's own (another user's id answers 404 like an unknown one).
 */
export function chatRoutes(deps: ApiDeps) {
  const rule = authorize(deps, RULES.analystSql);
  const service = (): ChatService => {
    const chat = deps.runtime.chat;
    if (!chat) throw noAgent();
    return chat;
  };
  return new Hono<ApiEnv>()
    .post("/chat", rule, async (c) => {
      const chat = service();
      const body = await readJson(c, askBody);
      const user = c.get("user");
      const abort = new AbortController();
      return streamSSE(c, async (stream) => {
        stream.onAbort(() => abort.abort());
        try {
          for await (const event of chat.ask({ user, ...body, signal: abort.signal })) {
            await stream.writeSSE({ event: event.type, data: JSON.stringify(event) });
          }
        } catch (error) {
          const message = error instanceof CatdataError ? error.message : "the agent failed; try again";
          deps.runtime.logger.error({ err: error }, "the agent failed");
          await stream.writeSSE({ event: "error", data: JSON.stringify({ type: "error", message }) });
        }
      });
    })
    .get("/chat/conversations", rule, async (c) => c.json({ items: await service().list(c.get("user")) }))
    .get("/chat/conversations/:id", rule, async (c) => {
      const { id } = conversationParams.parse(c.req.param());
      const conversation = await service().get(c.get("user"), id);
      if (!conversation) {
        throw new CatdataError("NOT_FOUND", `no conversation ${id}`, {
          hint: "GET /chat/conversations lists yours",
        });
      }
      return c.json(conversation);
    });
}
