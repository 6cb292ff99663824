import { Agent, ConcurrentInvocationError, Message, type Model, TextBlock } from "@strands-agents/sdk";
import { CatdataError } from "../errors.js";
import type { AgentTools } from "./mcp-tools.js";
import type { ModelLabel } from "./models/create-model.js";
import type { AgentLang } from "./offline/question.js";
import { eventIdsIn, parseToolText } from "./offline/tool-outcome.js";
import { systemPrompt } from "./system-prompt.js";

/**
 * One conversation's Strands agent: its model, its MCP tools, its history. `ask` runs the SDK's own
 * agent loop (model → tool calls through the MCP client → model …) and streams the answer text as it
 * comes; the SDK refuses a second invocation while one runs, reported here as a clear "busy" error.
 */
export interface ToolCallTrace {
  /** The model's tool-use id: pairs a call with its result. */
  id: string;
  name: string;
  input: unknown;
  status: "success" | "error";
  /** The tool's answer text, cut at TRACE_RESULT_MAX_CHARS. */
  result: string;
}

export interface AgentAnswer {
  text: string;
  lang: AgentLang;
  toolCalls: ToolCallTrace[];
  /** The event IDs in the tool results the answer was written from. */
  eventIds: string[];
  model: ModelLabel;
}

export interface AskOptions {
  lang: AgentLang;
  /** Each piece of answer text as the model writes it. */
  onText?: ((text: string) => void) | undefined;
  /** Each tool call as the model makes it, before it runs. */
  onToolUse?: ((use: { id: string; name: string; input: unknown }) => void) | undefined;
  /** Each tool call once its result is in. */
  onToolCall?: ((call: ToolCallTrace) => void) | undefined;
  /** Aborting it cancels the agent loop (the SDK's `cancel`). */
  signal?: AbortSignal | undefined;
}

/** A tool result kept in the trace (and shown in the chat panel) is cut here; the model saw it whole. */
export const TRACE_RESULT_MAX_CHARS = 4000;
/** Model calls one question may take (each tool round is one): a loop that goes on longer is stopped. */
export const MAX_MODEL_CALLS_PER_QUESTION = 12;
/** Earlier turns replayed into a new agent for a conversation it takes up again (from the store). */
export const MAX_REPLAYED_TURNS = 20;

export interface PastTurn {
  question: string;
  answer: string;
}

export interface ConversationAgentOptions {
  model: Model;
  label: ModelLabel;
  tools: AgentTools;
  lang: AgentLang;
  history?: readonly PastTurn[];
}

export class ConversationAgent {
  private readonly agent: Agent;
  private readonly label: ModelLabel;
  private readonly tools: AgentTools;

  constructor(options: ConversationAgentOptions) {
    this.label = options.label;
    this.tools = options.tools;
    const messages = (options.history ?? [])
      .slice(-MAX_REPLAYED_TURNS)
      .flatMap((turn) => [
        new Message({ role: "user", content: [new TextBlock(turn.question)] }),
        new Message({ role: "assistant", content: [new TextBlock(turn.answer)] }),
      ]);
    this.agent = new Agent({
      model: options.model,
      tools: [options.tools.client],
      systemPrompt: systemPrompt(options.lang),
      messages,
      printer: false,
      name: "catdata",
    });
  }

  async ask(question: string, options: AskOptions): Promise<AgentAnswer> {
    this.agent.systemPrompt = systemPrompt(options.lang);
    const pending = new Map<string, { name: string; input: unknown }>();
    const toolCalls: ToolCallTrace[] = [];
    const eventIds: string[] = [];
    let text = "";
    let modelCalls = 0;
    const cancel = () => this.agent.cancel();
    options.signal?.addEventListener("abort", cancel, { once: true });
    try {
      for await (const event of this.agent.stream(question)) {
        if (event.type === "beforeModelCallEvent" && ++modelCalls > MAX_MODEL_CALLS_PER_QUESTION) {
          this.agent.cancel();
        }
        if (event.type === "modelStreamUpdateEvent") {
          const e = event.event;
          if (e.type === "modelContentBlockDeltaEvent" && e.delta.type === "textDelta") options.onText?.(e.delta.text);
        } else if (event.type === "contentBlockEvent" && event.contentBlock.type === "toolUseBlock") {
          const block = event.contentBlock;
          pending.set(block.toolUseId, { name: block.name, input: block.input });
          options.onToolUse?.({ id: block.toolUseId, name: block.name, input: block.input });
        } else if (event.type === "toolResultEvent") {
          const use = pending.get(event.result.toolUseId);
          const body = event.result.content
            .map((c) => (c.type === "textBlock" ? c.text : c.type === "jsonBlock" ? JSON.stringify(c.json) : ""))
            .join("\n");
          if (event.result.status === "success") eventIdsIn(parseToolText(body), eventIds);
          const call: ToolCallTrace = {
            id: event.result.toolUseId,
            name: use?.name ?? "?",
            input: use?.input ?? null,
            status: event.result.status,
            result: body.length > TRACE_RESULT_MAX_CHARS ? `${body.slice(0, TRACE_RESULT_MAX_CHARS)}…` : body,
          };
          toolCalls.push(call);
          options.onToolCall?.(call);
        } else if (event.type === "agentResultEvent") {
          text = event.result.lastMessage.content
            .map((b) => (b.type === "textBlock" ? b.text : ""))
            .join("")
            .trim();
        }
      }
    } catch (error) {
      if (error instanceof ConcurrentInvocationError) throw busy();
      throw error;
    } finally {
      options.signal?.removeEventListener("abort", cancel);
    }
    if (modelCalls > MAX_MODEL_CALLS_PER_QUESTION) {
      throw new CatdataError(
        "UNAVAILABLE",
        `the model made more than ${MAX_MODEL_CALLS_PER_QUESTION} calls for one question`,
        {
          hint: "ask a narrower question (one principal, one time range)",
        },
      );
    }
    return { text, lang: options.lang, toolCalls, eventIds, model: this.label };
  }

  close(): Promise<void> {
    return this.tools.close();
  }
}

export const busy = () =>
  new CatdataError("CONFLICT", "this conversation is still answering the previous question", {
    hint: "wait for that answer, or start a new conversation",
  });
