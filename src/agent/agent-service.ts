import { randomUUID } from "node:crypto";
import type { Claims } from "../auth/verifier.js";
import type { AgentConfig } from "../config/agent-config.js";
import { CatdataError } from "../errors.js";
import type { McpDeps } from "../mcp/mcp-deps.js";
import { type AgentAnswer, type AskOptions, busy, ConversationAgent, type PastTurn } from "./conversation-agent.js";
import { assertConversationId, type ConversationStore, STORED_RESULT_MAX_CHARS } from "./conversation-store.js";
import { type AgentTools, httpTools, inProcessTools } from "./mcp-tools.js";
import { createModel, type ModelChoice, type ModelLabel } from "./models/create-model.js";

/**
 * The agent as the chat page and `catdata ask` use it: one Strands agent per conversation (the SDK
 * refuses concurrent invocations of one agent), kept in a bounded table keyed by user and
 * conversation id with an idle TTL, its history saved through the ConversationStore port and
 * replayed when a conversation comes back after its agent was dropped. A second question while one
 * is being answered in the same conversation gets a clear "busy" error. Idle agents are swept on
 * each question (no timers), and all are closed with the service.
 */
export interface AgentServiceOptions {
  config: AgentConfig;
  /** What the in-process MCP server's tools need (the caller is set per conversation). */
  mcp: Omit<McpDeps, "caller">;
  store: ConversationStore;
  region: string;
  now?: () => Date;
  /** New conversation ids (default: random UUIDs). */
  newId?: () => string;
  /** The model (default: chosen from `config`, see models/create-model.ts). */
  model?: ModelChoice;
}

export interface AskRequest extends AskOptions {
  /** Whose conversation: the signed-in user name (the CLI: the local operator). */
  user: string;
  /** Continue this conversation; a new one when absent. */
  conversationId?: string | undefined;
  /** The caller's claims for the tools (authorisation, suppression); null: the local operator. */
  caller?: Claims | null | undefined;
}

export interface ConversationAnswer extends AgentAnswer {
  conversationId: string;
}

interface Live {
  agent: Promise<ConversationAgent>;
  busy: boolean;
  lastUsedMs: number;
}

export class AgentService {
  readonly label: ModelLabel;
  readonly store: ConversationStore;
  private readonly live = new Map<string, Live>();
  private readonly choice: ModelChoice;
  private readonly now: () => Date;
  private readonly newId: () => string;

  constructor(private readonly options: AgentServiceOptions) {
    this.now = options.now ?? (() => new Date());
    this.newId = options.newId ?? randomUUID;
    this.store = options.store;
    this.choice = options.model ?? createModel(options.config, { region: options.region, now: this.now });
    this.label = this.choice.label;
  }

  /** Conversations with a live agent right now (at most config.maxConversations). */
  get liveConversations(): number {
    return this.live.size;
  }

  async ask(question: string, request: AskRequest): Promise<ConversationAnswer> {
    const conversationId = request.conversationId ?? this.newId();
    assertConversationId(conversationId);
    if (question.trim() === "") throw new CatdataError("BAD_INPUT", "the question is empty", { hint: "ask something" });
    const key = `${request.user}\u0000${conversationId}`;
    // Everything up to `busy = true` runs without awaiting, so two questions racing on one
    // conversation cannot both get through.
    const closing = this.sweep();
    let entry = this.live.get(key);
    if (entry?.busy) throw busy();
    if (!entry) {
      closing.push(...this.makeRoom());
      const agent = this.open(request, conversationId);
      agent.catch(() => undefined); // awaited below; a failure is reported there
      entry = { agent, busy: true, lastUsedMs: this.now().getTime() };
      this.live.set(key, entry);
    }
    entry.busy = true;
    try {
      await Promise.all(closing);
      const agent = await entry.agent;
      const answer = await agent.ask(question, request);
      await this.store.append(request.user, conversationId, {
        question,
        answer: answer.text,
        lang: answer.lang,
        at: this.now().toISOString(),
        model: `${answer.model.provider}:${answer.model.modelId}`,
        toolCalls: answer.toolCalls.map(({ name, input, status, result }) => ({
          name,
          input,
          status,
          result: result.length > STORED_RESULT_MAX_CHARS ? `${result.slice(0, STORED_RESULT_MAX_CHARS)}…` : result,
        })),
        eventIds: answer.eventIds,
      });
      return { ...answer, conversationId };
    } catch (error) {
      // An agent that failed to open is not kept: the next question tries again.
      if ((await entry.agent.then(() => false).catch(() => true)) && this.live.get(key) === entry) {
        this.live.delete(key);
      }
      throw error;
    } finally {
      entry.busy = false;
      entry.lastUsedMs = this.now().getTime();
    }
  }

  async close(): Promise<void> {
    const entries = [...this.live.values()];
    this.live.clear();
    await Promise.all(entries.map((e) => closeEntry(e)));
  }

  private async open(request: AskRequest, conversationId: string): Promise<ConversationAgent> {
    const { config, mcp } = this.options;
    const stored = await this.store.get(request.user, conversationId);
    const history: PastTurn[] = (stored?.turns ?? []).map((t) => ({ question: t.question, answer: t.answer }));
    const tools: AgentTools = config.mcp.url
      ? await httpTools(config.mcp.url, config.mcp.token, mcp.version)
      : await inProcessTools({ ...mcp, caller: request.caller ?? null });
    return new ConversationAgent({
      model: this.choice.model,
      label: this.choice.label,
      tools,
      lang: request.lang,
      history,
    });
  }

  /** Drops the agents idle for longer than the TTL (their history stays in the store); returns their closing. */
  private sweep(): Promise<void>[] {
    const cutoff = this.now().getTime() - this.options.config.conversationIdleMs;
    const idle = [...this.live.entries()].filter(([, e]) => !e.busy && e.lastUsedMs <= cutoff);
    for (const [key] of idle) this.live.delete(key);
    return idle.map(([, e]) => closeEntry(e));
  }

  /** At the bound, drops the least recently used idle agent; refuses when every one is busy. */
  private makeRoom(): Promise<void>[] {
    if (this.live.size < this.options.config.maxConversations) return [];
    const idle = [...this.live.entries()].filter(([, e]) => !e.busy).sort((a, b) => a[1].lastUsedMs - b[1].lastUsedMs);
    const oldest = idle[0];
    if (!oldest) {
      throw new CatdataError("RATE_LIMITED", `all ${this.options.config.maxConversations} conversations are busy`, {
        hint: "try again when an answer is finished (CATDATA_AGENT_MAX_CONVERSATIONS raises the bound)",
      });
    }
    this.live.delete(oldest[0]);
    return [closeEntry(oldest[1])];
  }
}

async function closeEntry(entry: Live): Promise<void> {
  try {
    await (await entry.agent).close();
  } catch {
    // An agent that never opened has nothing to close.
  }
}
