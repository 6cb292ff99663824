import { z } from "zod";
import { badInput } from "../errors.js";

/**
 * The port for conversation history, per user: each conversation is one small JSON document of
 * its turns (question, answer, the tool calls behind it). One interface, one file per backend
 * (`local-conversation-store.ts` under the data directory, `s3-conversation-store.ts` in the
 * bucket), chosen in src/runtime.ts.
 */
export const conversationTurnSchema = z.object({
  question: z.string(),
  answer: z.string(),
  lang: z.enum(["ja", "en"]),
  at: z.string(),
  model: z.string(),
  toolCalls: z.array(
    z.object({
      name: z.string(),
      input: z.unknown(),
      status: z.enum(["success", "error"]),
      /** The tool's answer, cut at STORED_RESULT_MAX_CHARS. */
      result: z.string(),
    }),
  ),
  eventIds: z.array(z.string()),
});
export type ConversationTurn = z.infer<typeof conversationTurnSchema>;

export const conversationSchema = z.object({
  id: z.string(),
  user: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  turns: z.array(conversationTurnSchema),
});
export type Conversation = z.infer<typeof conversationSchema>;

export interface ConversationSummary {
  id: string;
  /** The first question, cut at TITLE_CHARS. */
  title: string;
  createdAt: string;
  updatedAt: string;
  turns: number;
}

export interface ConversationStore {
  /** The user's conversations, most recently updated first. */
  list(user: string): Promise<ConversationSummary[]>;
  get(user: string, id: string): Promise<Conversation | undefined>;
  /** Adds a turn (creating the conversation); keeps the latest MAX_STORED_TURNS turns. */
  append(user: string, id: string, turn: ConversationTurn): Promise<Conversation>;
  delete(user: string, id: string): Promise<void>;
}

/** Turns kept per conversation: older ones are dropped from the stored document. */
export const MAX_STORED_TURNS = 200;
/** A tool result kept in the stored history is cut here (the live trace keeps more). */
export const STORED_RESULT_MAX_CHARS = 1000;
/** A conversation's title in lists: its first question, cut here. */
export const TITLE_CHARS = 80;
/** Conversation ids: letters, digits, `-` and `_`, up to 64 (they become file and object names). */
export const CONVERSATION_ID = /^[A-Za-z0-9_-]{1,64}$/;

export function assertConversationId(id: string): void {
  if (!CONVERSATION_ID.test(id)) {
    throw badInput(
      `conversation id ${JSON.stringify(id.slice(0, 80))} is not valid`,
      "use 1–64 letters, digits, '-' or '_' (or leave it out to start a new conversation)",
    );
  }
}

/** A user name as one path segment: base64url, so any name (with `/`, `..`, unicode) is safe. */
export const userSegment = (user: string) => Buffer.from(user, "utf8").toString("base64url") || "_";

export function appendTurn(existing: Conversation | undefined, user: string, id: string, turn: ConversationTurn) {
  const turns = [...(existing?.turns ?? []), turn].slice(-MAX_STORED_TURNS);
  return { id, user, createdAt: existing?.createdAt ?? turn.at, updatedAt: turn.at, turns } satisfies Conversation;
}

export const summarise = (c: Conversation): ConversationSummary => ({
  id: c.id,
  title: (c.turns[0]?.question ?? "").slice(0, TITLE_CHARS),
  createdAt: c.createdAt,
  updatedAt: c.updatedAt,
  turns: c.turns.length,
});

export const newestFirst = (a: ConversationSummary, b: ConversationSummary) => b.updatedAt.localeCompare(a.updatedAt);
