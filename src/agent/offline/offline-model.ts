import {
  type BaseModelConfig,
  type Message,
  Model,
  type ModelStreamEvent,
  type StreamOptions,
  type SystemPrompt,
} from "@strands-agents/sdk";
import { languageOf } from "../system-prompt.js";
import { writeAnswer } from "./answer.js";
import { nextCalls, type ToolInfo } from "./plan.js";
import { type AgentLang, parseQuestion, type Question } from "./question.js";
import { parseToolText, type ToolOutcome } from "./tool-outcome.js";

/**
 * The offline model: a Strands `Model` that needs no network and no weights. It reads the question
 * and the tool results in the conversation the agent loop hands it, asks for the next tool calls
 * (question.ts → plan.ts, from the tools the MCP server lists) and, once it has them, writes the
 * answer from the results (answer.ts), streamed in pieces like a real model's. The default model
 * when none is configured; it makes the whole agent testable.
 */
export const OFFLINE_MODEL_ID = "catdata-offline-1";
/** Characters per streamed text delta: small enough that streaming shows, large enough to stay cheap. */
export const OFFLINE_DELTA_CHARS = 64;

export interface OfflineModelConfig extends BaseModelConfig {
  /** The clock relative times ("3 days ago") count from. */
  now?: () => Date;
}

export class OfflineModel extends Model<OfflineModelConfig> {
  private config: OfflineModelConfig;

  constructor(config: OfflineModelConfig = {}) {
    super();
    this.config = { modelId: OFFLINE_MODEL_ID, ...config };
  }

  updateConfig(config: OfflineModelConfig): void {
    this.config = { ...this.config, ...config };
  }

  getConfig(): OfflineModelConfig {
    return this.config;
  }

  async *stream(messages: Message[], options: StreamOptions = {}): AsyncIterable<ModelStreamEvent> {
    const turn = readTurn(messages, promptText(options.systemPrompt), this.config.now?.() ?? new Date());
    const tools: ToolInfo[] = (options.toolSpecs ?? []).map((spec) => ({
      name: spec.name,
      properties: Object.keys((spec.inputSchema as { properties?: object } | undefined)?.properties ?? {}),
    }));
    yield { type: "modelMessageStartEvent", role: "assistant" };
    const calls = turn.question ? nextCalls(turn.question, tools, turn.outcomes) : [];
    if (calls.length > 0) {
      for (const [i, call] of calls.entries()) {
        const toolUseId = `offline-${messages.length}-${i}`;
        yield { type: "modelContentBlockStartEvent", start: { type: "toolUseStart", name: call.name, toolUseId } };
        yield {
          type: "modelContentBlockDeltaEvent",
          delta: { type: "toolUseInputDelta", input: JSON.stringify(call.input) },
        };
        yield { type: "modelContentBlockStopEvent" };
      }
      yield { type: "modelMessageStopEvent", stopReason: "toolUse" };
    } else {
      const text = turn.question
        ? writeAnswer(
            turn.question,
            turn.outcomes,
            tools.map((t) => t.name),
          )
        : "";
      yield { type: "modelContentBlockStartEvent" };
      for (let i = 0; i < text.length; i += OFFLINE_DELTA_CHARS) {
        yield {
          type: "modelContentBlockDeltaEvent",
          delta: { type: "textDelta", text: text.slice(i, i + OFFLINE_DELTA_CHARS) },
        };
      }
      yield { type: "modelContentBlockStopEvent" };
      yield { type: "modelMessageStopEvent", stopReason: "endTurn" };
    }
    yield {
      type: "modelMetadataEvent",
      usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0 },
      metrics: { latencyMs: 0 },
      trace: { provider: "offline", modelId: this.config.modelId },
    };
  }
}

interface Turn {
  question: Question | undefined;
  outcomes: ToolOutcome[];
}

/**
 * The question of this turn (the last user message with text) and the tool calls made since, with
 * their results. A question that names no principal takes the one the previous question named.
 */
export function readTurn(messages: readonly Message[], prompt: string, now: Date): Turn {
  const isQuestion = (m: Message) => m.role === "user" && m.content.some((b) => b.type === "textBlock");
  const at = messages.findLastIndex(isQuestion);
  if (at < 0) return { question: undefined, outcomes: [] };
  const text = textOf(messages[at] as Message);
  const lang: AgentLang | undefined = languageOf(prompt);
  const question = parseQuestion(text, { now, lang });
  if (!question.principal && ["activity", "active-hours", "next-actions"].includes(question.kind)) {
    for (let i = at - 1; i >= 0 && !question.principal; i--) {
      const earlier = messages[i] as Message;
      if (isQuestion(earlier)) question.principal = parseQuestion(textOf(earlier), { now, lang }).principal;
    }
  }
  const uses = new Map<string, { name: string; input: unknown }>();
  const outcomes: ToolOutcome[] = [];
  for (const message of messages.slice(at + 1)) {
    for (const block of message.content) {
      if (block.type === "toolUseBlock") uses.set(block.toolUseId, { name: block.name, input: block.input });
      if (block.type === "toolResultBlock") {
        const use = uses.get(block.toolUseId);
        const text = block.content
          .map((c) => (c.type === "textBlock" ? c.text : c.type === "jsonBlock" ? JSON.stringify(c.json) : ""))
          .join("\n");
        outcomes.push({
          name: use?.name ?? "?",
          input: use?.input,
          ok: block.status === "success",
          text,
          json: parseToolText(text),
        });
      }
    }
  }
  return { question, outcomes };
}

const textOf = (message: Message) =>
  message.content
    .map((b) => (b.type === "textBlock" ? b.text : ""))
    .join("\n")
    .trim();

function promptText(prompt: SystemPrompt | undefined): string {
  if (prompt === undefined) return "";
  if (typeof prompt === "string") return prompt;
  return prompt.map((b) => (b.type === "textBlock" ? b.text : "")).join("\n");
}
