/**
 * Pins the agent's configuration: offline by default with the design's Bedrock model id and the
 * documented bounds; the model, endpoints, MCP URL and secrets read from the environment; values
 * outside the bounds fail naming the variable.
 */
import { describe, expect, it } from "vitest";
import {
  DEFAULT_AGENT_MAX_TOKENS,
  DEFAULT_BEDROCK_MODEL_ID,
  DEFAULT_CONVERSATION_IDLE_SECONDS,
  DEFAULT_MAX_CONVERSATIONS,
  DEFAULT_OPENAI_MODEL,
} from "./agent-config.js";
import { loadConfig } from "./config.js";

const load = (env: Record<string, string> = {}) => loadConfig(env, "/tmp").agent;

describe("agent configuration", () => {
  it("defaults to the offline model and the documented bounds", () => {
    expect(load()).toEqual({
      model: "offline",
      bedrock: { modelId: "anthropic.claude-3-5-sonnet-20240620-v1:0", endpoint: undefined },
      openai: { baseUrl: undefined, model: DEFAULT_OPENAI_MODEL, apiKey: undefined },
      mcp: { url: undefined, token: undefined },
      maxConversations: 100,
      conversationIdleMs: 30 * 60 * 1000,
      maxTokens: 4096,
    });
    expect([
      DEFAULT_BEDROCK_MODEL_ID,
      DEFAULT_MAX_CONVERSATIONS,
      DEFAULT_CONVERSATION_IDLE_SECONDS,
      DEFAULT_AGENT_MAX_TOKENS,
    ]).toEqual(["anthropic.claude-3-5-sonnet-20240620-v1:0", 100, 1800, 4096]);
  });

  it("reads the model, its endpoints, the MCP server and the secrets from the environment", () => {
    const agent = load({
      CATDATA_AGENT_MODEL: "openai",
      CATDATA_AGENT_OPENAI_BASE_URL: "http://127.0.0.1:11434/v1",
      CATDATA_AGENT_OPENAI_MODEL: "llama3",
      OPENAI_API_KEY: "sk-from-env",
      CATDATA_AGENT_BEDROCK_MODEL_ID: "anthropic.claude-3-haiku-20240307-v1:0",
      CATDATA_AGENT_MCP_URL: "https://catdata.example.org/mcp",
      CATDATA_AGENT_MCP_TOKEN: "token-from-env",
      CATDATA_AGENT_MAX_CONVERSATIONS: "5",
      CATDATA_AGENT_IDLE_SECONDS: "60",
    });
    expect(agent.model).toBe("openai");
    expect(agent.openai).toEqual({ baseUrl: "http://127.0.0.1:11434/v1", model: "llama3", apiKey: "sk-from-env" });
    expect(agent.bedrock.modelId).toBe("anthropic.claude-3-haiku-20240307-v1:0");
    expect(agent.mcp).toEqual({ url: "https://catdata.example.org/mcp", token: "token-from-env" });
    expect([agent.maxConversations, agent.conversationIdleMs]).toEqual([5, 60_000]);
    expect(load({ OPENAI_API_KEY: "a", CATDATA_AGENT_OPENAI_API_KEY: "b" }).openai.apiKey).toBe("b");
  });

  it("refuses unknown models and values outside the bounds, naming the variable", () => {
    const bad: Record<string, string>[] = [
      { CATDATA_AGENT_MODEL: "llama" },
      { CATDATA_AGENT_MAX_CONVERSATIONS: "0" },
      { CATDATA_AGENT_MAX_CONVERSATIONS: "10001" },
      { CATDATA_AGENT_IDLE_SECONDS: "9" },
      { CATDATA_AGENT_IDLE_SECONDS: String(24 * 3600 + 1) },
      { CATDATA_AGENT_MAX_TOKENS: "63" },
      { CATDATA_AGENT_MCP_URL: "not a url" },
    ];
    for (const env of bad) {
      const name = Object.keys(env)[0] ?? "";
      expect(() => load(env), name).toThrow(new RegExp(`${name}=`));
    }
  });
});
