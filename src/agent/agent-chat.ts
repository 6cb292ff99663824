import { randomUUID } from "node:crypto";
import type { Claims } from "../auth/verifier.js";
import { CatdataError } from "../errors.js";
import type { Logger } from "../log/logger.js";
import type { AgentService } from "./agent-service.js";
import { summarise } from "./conversation-store.js";
import type { AgentLang } from "./offline/question.js";

/**
 * The agent as the chat page's routes see it (the `ChatService` port of src/api/chat-port.ts, which
 * this matches by shape, so the agent does not import the API): one question in, a stream of events
 * out — meta, text pieces, each tool call and its result, done or error — and the caller's own
 * conversations from the store. The composition root passes `new AgentChat(runtime.agent)`.
 */
export type AgentChatEvent =
  | { type: "meta"; conversationId: string; model: string; offline: boolean }
  | { type: "text"; delta: string }
  | { type: "tool_call"; id: string; name: string; input: unknown }
  | { type: "tool_result"; id: string; name: string; isError: boolean; result: string }
  | { type: "done"; answer: string }
  | { type: "error"; message: string };

export interface AgentChatRequest {
  user: Claims;
  question: string;
  lang: AgentLang;
  conversationId?: string | undefined;
  signal?: AbortSignal | undefined;
}

export class AgentChat {
  constructor(
    private readonly agent: AgentService,
    private readonly options: { logger?: Pick<Logger, "error">; newId?: () => string } = {},
  ) {}

  async *ask(request: AgentChatRequest): AsyncIterable<AgentChatEvent> {
    const conversationId = request.conversationId ?? (this.options.newId ?? randomUUID)();
    const { label } = this.agent;
    const queue: AgentChatEvent[] = [];
    let wake: (() => void) | undefined;
    const push = (event: AgentChatEvent) => {
      queue.push(event);
      wake?.();
    };
    push({ type: "meta", conversationId, model: `${label.provider}:${label.modelId}`, offline: label.offline });
    let finished = false;
    void this.agent
      .ask(request.question, {
        user: request.user.username,
        conversationId,
        caller: request.user,
        lang: request.lang,
        signal: request.signal,
        onText: (delta) => push({ type: "text", delta }),
        onToolUse: ({ id, name, input }) => push({ type: "tool_call", id, name, input }),
        onToolCall: (call) =>
          push({
            type: "tool_result",
            id: call.id,
            name: call.name,
            isError: call.status === "error",
            result: call.result,
          }),
      })
      .then(
        (answer) => push({ type: "done", answer: answer.text }),
        (error: unknown) => {
          if (!(error instanceof CatdataError)) this.options.logger?.error({ err: error }, "agent answer failed");
          push({ type: "error", message: messageOf(error) });
        },
      )
      .finally(() => {
        finished = true;
        wake?.();
      });
    while (true) {
      const next = queue.shift();
      if (next) {
        yield next;
        continue;
      }
      if (finished) return;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
      wake = undefined;
    }
  }

  list(user: Claims) {
    return this.agent.store.list(user.username);
  }

  async get(user: Claims, id: string) {
    const conversation = await this.agent.store.get(user.username, id).catch((error: unknown) => {
      if (error instanceof CatdataError && error.code === "BAD_INPUT") return undefined;
      throw error;
    });
    if (!conversation) return undefined;
    return {
      ...summarise(conversation),
      history: conversation.turns.map((t) => ({
        question: t.question,
        answer: t.answer,
        lang: t.lang,
        at: t.at,
        model: t.model,
        toolCalls: t.toolCalls.map((c) => ({
          name: c.name,
          input: c.input,
          result: c.result,
          isError: c.status === "error",
        })),
      })),
    };
  }
}

const messageOf = (error: unknown) =>
  error instanceof CatdataError
    ? error.hint
      ? `${error.message} (${error.hint})`
      : error.message
    : "the agent failed to answer; see the server log";
