import type { Claims } from "../auth/verifier.js";

/**
 * What the chat routes need from the agent (src/agent/): one question in, a stream of events out,
 * and the caller's own conversations. Declared on the API side so the routes depend on this and not
 * on the agent's implementation; the composition root passes the agent's service.
 */
export type ChatEvent =
  /** First event of every answer: the conversation it belongs to and the model that answers. */
  | { type: "meta"; conversationId: string; model: string; offline: boolean }
  /** A piece of the answer text, in order. */
  | { type: "text"; delta: string }
  /** The model called a tool (`id` pairs it with its result). */
  | { type: "tool_call"; id: string; name: string; input: unknown }
  /** A tool's result as text (bounded), and whether the tool reported an error. */
  | { type: "tool_result"; id: string; name: string; isError: boolean; result: string }
  /** The whole answer, once it is complete and stored in the conversation. */
  | { type: "done"; answer: string }
  /** The answer failed: what went wrong, for the user. */
  | { type: "error"; message: string };

export type ChatLang = "ja" | "en";

export interface ChatToolCall {
  name: string;
  input: unknown;
  result: string;
  isError: boolean;
}

export interface ChatTurn {
  question: string;
  answer: string;
  lang: ChatLang;
  /** ISO time the question was asked. */
  at: string;
  model: string;
  toolCalls: ChatToolCall[];
}

export interface ConversationSummary {
  id: string;
  title: string;
  createdAt: string;
  updatedAt: string;
  turns: number;
}

export interface Conversation extends ConversationSummary {
  history: ChatTurn[];
}

export interface ChatService {
  /** Asks one question in a conversation (a new one when `conversationId` is omitted). */
  ask(request: {
    user: Claims;
    question: string;
    lang: ChatLang;
    conversationId?: string | undefined;
    signal?: AbortSignal | undefined;
  }): AsyncIterable<ChatEvent>;
  /** The caller's conversations, newest first. */
  list(user: Claims): Promise<ConversationSummary[]>;
  /** One of the caller's conversations; undefined when it is not theirs or does not exist. */
  get(user: Claims, id: string): Promise<Conversation | undefined>;
}
