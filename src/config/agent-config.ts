import { z } from "zod";

/**
 * The AI agent's configuration (`catdata ask`, the chat page): which model answers, where its MCP
 * tools are, and the bounds of its conversations. A part that `config.ts` composes into its schema
 * (a wrong value fails naming the variable) and exposes as `config.agent`. Secrets (the OpenAI API
 * key, the MCP bearer token) come from the environment only, never from the repository.
 * Documented in `.env.example` and docs/agent.md.
 */
export const AGENT_MODELS = ["offline", "bedrock", "openai"] as const;
export type AgentModelKind = (typeof AGENT_MODELS)[number];

/** The design's model (doc 000): Claude 3.5 Sonnet on Amazon Bedrock. */
export const DEFAULT_BEDROCK_MODEL_ID = "anthropic.claude-3-5-sonnet-20240620-v1:0";
/** The OpenAI-compatible endpoint's model when CATDATA_AGENT_OPENAI_MODEL is unset. */
export const DEFAULT_OPENAI_MODEL = "gpt-4o-mini";
/** At most this many conversations keep a live agent in one process; the least recently used goes first. */
export const DEFAULT_MAX_CONVERSATIONS = 100;
/** A conversation's agent is dropped after this long without a question (its history stays in the store). */
export const DEFAULT_CONVERSATION_IDLE_SECONDS = 30 * 60;
/** The most tokens a remote model may write in one answer. */
export const DEFAULT_AGENT_MAX_TOKENS = 4096;

export interface AgentConfig {
  /** Which model answers: `offline` (no network, the default), `bedrock` or `openai` (any compatible endpoint). */
  model: AgentModelKind;
  bedrock: { modelId: string; endpoint: string | undefined };
  openai: { baseUrl: string | undefined; model: string; apiKey: string | undefined };
  /** The MCP server the agent's tools come from: in process when unset, else over Streamable HTTP. */
  mcp: { url: string | undefined; token: string | undefined };
  maxConversations: number;
  conversationIdleMs: number;
  maxTokens: number;
}

export const agentConfigSchema = z.object({
  CATDATA_AGENT_MODEL: z.enum(AGENT_MODELS).default("offline"),
  CATDATA_AGENT_BEDROCK_MODEL_ID: z.string().min(1).default(DEFAULT_BEDROCK_MODEL_ID),
  /** A Bedrock runtime endpoint other than the region's (a VPC endpoint; tests use a local fake). */
  CATDATA_AGENT_BEDROCK_ENDPOINT: z.url().optional(),
  CATDATA_AGENT_OPENAI_BASE_URL: z.url().optional(),
  CATDATA_AGENT_OPENAI_MODEL: z.string().min(1).default(DEFAULT_OPENAI_MODEL),
  CATDATA_AGENT_OPENAI_API_KEY: z.string().min(1).optional(),
  OPENAI_API_KEY: z.string().min(1).optional(),
  CATDATA_AGENT_MCP_URL: z.url().optional(),
  CATDATA_AGENT_MCP_TOKEN: z.string().min(1).optional(),
  CATDATA_AGENT_MAX_CONVERSATIONS: z.coerce.number().int().min(1).max(10_000).default(DEFAULT_MAX_CONVERSATIONS),
  CATDATA_AGENT_IDLE_SECONDS: z.coerce
    .number()
    .int()
    .min(10)
    .max(24 * 3600)
    .default(DEFAULT_CONVERSATION_IDLE_SECONDS),
  CATDATA_AGENT_MAX_TOKENS: z.coerce.number().int().min(64).max(64_000).default(DEFAULT_AGENT_MAX_TOKENS),
});

export function toAgentConfig(e: z.infer<typeof agentConfigSchema>): AgentConfig {
  return {
    model: e.CATDATA_AGENT_MODEL,
    bedrock: { modelId: e.CATDATA_AGENT_BEDROCK_MODEL_ID, endpoint: e.CATDATA_AGENT_BEDROCK_ENDPOINT },
    openai: {
      baseUrl: e.CATDATA_AGENT_OPENAI_BASE_URL,
      model: e.CATDATA_AGENT_OPENAI_MODEL,
      apiKey: e.CATDATA_AGENT_OPENAI_API_KEY ?? e.OPENAI_API_KEY,
    },
    mcp: { url: e.CATDATA_AGENT_MCP_URL, token: e.CATDATA_AGENT_MCP_TOKEN },
    maxConversations: e.CATDATA_AGENT_MAX_CONVERSATIONS,
    conversationIdleMs: e.CATDATA_AGENT_IDLE_SECONDS * 1000,
    maxTokens: e.CATDATA_AGENT_MAX_TOKENS,
  };
}
