import { OpenAIModel } from "@strands-agents/sdk/models/openai";
import type { AgentConfig } from "../../config/agent-config.js";
import { CatdataError } from "../../errors.js";

/**
 * The OpenAI-compatible provider: the SDK's `OpenAIModel` on the Chat Completions API, which most
 * compatible servers (vLLM, LiteLLM, Ollama, Azure's v1 endpoint…) speak. Base URL and model from
 * the configuration; the API key only from the environment (CATDATA_AGENT_OPENAI_API_KEY or
 * OPENAI_API_KEY), never from the repository.
 */
export function createOpenAiModel(agent: AgentConfig): OpenAIModel {
  const { baseUrl, model, apiKey } = agent.openai;
  if (!apiKey) {
    throw new CatdataError("CONFIG_INVALID", "CATDATA_AGENT_MODEL=openai needs an API key", {
      hint: "set CATDATA_AGENT_OPENAI_API_KEY (or OPENAI_API_KEY) in the environment; a local server may take any value",
    });
  }
  return new OpenAIModel({
    api: "chat",
    modelId: model,
    maxTokens: agent.maxTokens,
    apiKey,
    ...(baseUrl ? { clientConfig: { baseURL: baseUrl } } : {}),
  });
}
