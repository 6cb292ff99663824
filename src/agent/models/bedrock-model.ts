import { BedrockModel } from "@strands-agents/sdk";
import type { AgentConfig } from "../../config/agent-config.js";

/**
 * The Bedrock provider: the SDK's `BedrockModel` (the Converse Stream API) with the design's Claude
 * 3.5 Sonnet by default, the model id from CATDATA_AGENT_BEDROCK_MODEL_ID and the region from the
 * configuration (AWS_REGION), never hard-coded. Credentials come from the AWS SDK's default chain
 * (the task role on Fargate); CATDATA_AGENT_BEDROCK_ENDPOINT points it at another endpoint.
 */
export function createBedrockModel(agent: AgentConfig, region: string): BedrockModel {
  return new BedrockModel({
    modelId: agent.bedrock.modelId,
    region,
    maxTokens: agent.maxTokens,
    ...(agent.bedrock.endpoint ? { clientConfig: { endpoint: agent.bedrock.endpoint } } : {}),
  });
}
