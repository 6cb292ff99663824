import type { Model } from "@strands-agents/sdk";
import type { AgentConfig, AgentModelKind } from "../../config/agent-config.js";
import { OFFLINE_MODEL_ID, OfflineModel } from "../offline/offline-model.js";
import { createBedrockModel } from "./bedrock-model.js";
import { createOpenAiModel } from "./openai-model.js";

/**
 * The one place that chooses the agent's model from the configuration: offline (the default, no
 * network), Bedrock, or an OpenAI-compatible endpoint. One file per provider beside this one.
 */
export interface ModelChoice {
  model: Model;
  /** What answers, for the answers' metadata and the UI's label. */
  label: ModelLabel;
}

export interface ModelLabel {
  provider: AgentModelKind;
  modelId: string;
  /** True for the offline model: the UI says so next to every answer. */
  offline: boolean;
}

export function createModel(agent: AgentConfig, options: { region: string; now: () => Date }): ModelChoice {
  switch (agent.model) {
    case "bedrock":
      return {
        model: createBedrockModel(agent, options.region),
        label: { provider: "bedrock", modelId: agent.bedrock.modelId, offline: false },
      };
    case "openai":
      return {
        model: createOpenAiModel(agent),
        label: { provider: "openai", modelId: agent.openai.model, offline: false },
      };
    case "offline":
      return {
        model: new OfflineModel({ now: options.now }),
        label: { provider: "offline", modelId: OFFLINE_MODEL_ID, offline: true },
      };
  }
}
