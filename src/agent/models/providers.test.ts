/**
 * Pins the remote model providers on the exact requests they send, against local fakes on
 * 127.0.0.1 (the services cannot be reached here), through the real agent loop and the in-process
 * MCP tools on the flaws2 sample:
 * - Bedrock: ConverseStream to /model/<model id>/converse-stream, SigV4-signed for the configured
 *   region; the system prompt, every MCP tool's spec, the question; a tool call answered in the
 *   event stream runs the MCP tool and its result goes back in the next request; an access error
 *   fails the question with the service's message
 * - OpenAI-compatible: Chat Completions at the configured base URL with the key from the
 *   environment, streaming; the system prompt, the tools as functions; the tool round trip; a 401
 *   fails with the endpoint's message; no key at all is a configuration error naming the variable
 */
import path from "node:path";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import {
  type AgentConfig,
  agentConfigSchema,
  DEFAULT_BEDROCK_MODEL_ID,
  toAgentConfig,
} from "../../config/agent-config.js";
import { emptyBehaviourLake, type TestBehaviourLake } from "../../testing/behaviour.js";
import {
  chatStream,
  converseStream,
  type FakeServer,
  fakeBedrock,
  fakeOpenAi,
  type RecordedRequest,
} from "../../testing/fake-model-servers.js";
import { loadTrailFolder } from "../../trail/lake/load-trail.js";
import { AgentService } from "../agent-service.js";
import { LocalConversationStore } from "../local-conversation-store.js";
import { systemPrompt } from "../system-prompt.js";

const flaws2 = path.join(process.env.CATDATA_SAMPLES_DIR ?? path.resolve("../shared/data"), "cloudtrail", "flaws2");
const REGION = "eu-central-1";

let lake: TestBehaviourLake;
beforeAll(async () => {
  lake = await emptyBehaviourLake();
  await loadTrailFolder(lake.trail, flaws2);
});

const servers: FakeServer[] = [];
const services: AgentService[] = [];
afterEach(async () => {
  vi.unstubAllEnvs();
  await Promise.all(services.splice(0).map((s) => s.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

function service(env: Record<string, string>): AgentService {
  const config: AgentConfig = toAgentConfig(agentConfigSchema.parse(env));
  const s = new AgentService({
    config,
    region: REGION,
    store: new LocalConversationStore(path.join(lake.dataDir.root, "conversations")),
    mcp: { behaviour: lake.service(), trail: lake.trail, version: "0.0.0-test" },
  });
  services.push(s);
  return s;
}

/** The parts of a ConverseStream request body the tests read. */
interface ConverseBody {
  system: { text?: string }[];
  messages: { role: string; content: Record<string, Record<string, unknown>>[] }[];
  inferenceConfig: Record<string, unknown>;
  toolConfig: {
    tools: { toolSpec?: { name: string; inputSchema: { json: { properties: Record<string, { type?: string }> } } } }[];
  };
}
/** The parts of a Chat Completions request body the tests read. */
interface ChatBody {
  model: string;
  stream: boolean;
  messages: { role: string; content?: unknown; tool_call_id?: string }[];
  tools: { type: string; function: { name: string } }[];
}
const converseBody = (r: RecordedRequest | undefined) => (r?.body ?? {}) as unknown as ConverseBody;
const chatBody = (r: RecordedRequest | undefined) => (r?.body ?? {}) as unknown as ChatBody;

const toolNames = (tools: unknown) =>
  (tools as { toolSpec?: { name: string }; function?: { name: string } }[]).map(
    (t) => t.toolSpec?.name ?? t.function?.name,
  );

describe("the Bedrock provider", () => {
  it("sends ConverseStream requests with the model id, region, system prompt and MCP tools, and runs the tool loop", async () => {
    vi.stubEnv("AWS_ACCESS_KEY_ID", "AKIDFAKEFORTESTS");
    vi.stubEnv("AWS_SECRET_ACCESS_KEY", "fake-secret-for-tests");
    vi.stubEnv("AWS_SESSION_TOKEN", "");
    const bedrock = await fakeBedrock([
      converseStream([
        ["messageStart", { role: "assistant" }],
        [
          "contentBlockStart",
          { contentBlockIndex: 0, start: { toolUse: { toolUseId: "tu-1", name: "get_principal_profile" } } },
        ],
        ["contentBlockDelta", { contentBlockIndex: 0, delta: { toolUse: { input: '{"principal":"level1"}' } } }],
        ["contentBlockStop", { contentBlockIndex: 0 }],
        ["messageStop", { stopReason: "tool_use" }],
        ["metadata", { usage: { inputTokens: 10, outputTokens: 5, totalTokens: 15 }, metrics: { latencyMs: 3 } }],
      ]),
      converseStream([
        ["messageStart", { role: "assistant" }],
        ["contentBlockDelta", { contentBlockIndex: 0, delta: { text: "level1 made 9 calls " } }],
        ["contentBlockDelta", { contentBlockIndex: 0, delta: { text: "on 2018-11-28." } }],
        ["contentBlockStop", { contentBlockIndex: 0 }],
        ["messageStop", { stopReason: "end_turn" }],
        ["metadata", { usage: { inputTokens: 20, outputTokens: 8, totalTokens: 28 }, metrics: { latencyMs: 4 } }],
      ]),
    ]);
    servers.push(bedrock);
    const agent = service({ CATDATA_AGENT_MODEL: "bedrock", CATDATA_AGENT_BEDROCK_ENDPOINT: bedrock.url });
    const pieces: string[] = [];
    const answer = await agent.ask("what did level1 do", { user: "u", lang: "en", onText: (t) => pieces.push(t) });

    expect(answer.text).toBe("level1 made 9 calls on 2018-11-28.");
    expect(pieces).toEqual(["level1 made 9 calls ", "on 2018-11-28."]);
    expect(answer.model).toEqual({ provider: "bedrock", modelId: DEFAULT_BEDROCK_MODEL_ID, offline: false });
    expect(bedrock.requests).toHaveLength(2);
    const [first, second] = bedrock.requests;
    expect(first?.method).toBe("POST");
    expect(first?.path).toBe(`/model/${encodeURIComponent(DEFAULT_BEDROCK_MODEL_ID)}/converse-stream`);
    expect(String(first?.headers.authorization)).toMatch(
      new RegExp(`^AWS4-HMAC-SHA256 Credential=AKIDFAKEFORTESTS/\\d{8}/${REGION}/bedrock/aws4_request`),
    );
    const body = converseBody(first);
    expect(body.system[0]).toEqual({ text: systemPrompt("en") });
    expect(body.messages).toEqual([{ role: "user", content: [{ text: "what did level1 do" }] }]);
    expect(body.inferenceConfig).toMatchObject({ maxTokens: 4096 });
    const names = toolNames(body.toolConfig.tools);
    expect(names).toEqual(
      expect.arrayContaining(["lookup_events", "get_principal_profile", "predict_next_actions", "list_anomalies"]),
    );
    const profileSpec = body.toolConfig.tools.find((t) => t.toolSpec?.name === "get_principal_profile")?.toolSpec;
    expect(profileSpec?.inputSchema.json.properties.principal?.type).toBe("string");
    // The tool ran through MCP, and its result went back to the model.
    expect(answer.toolCalls.map((c) => [c.name, c.input, c.status])).toEqual([
      ["get_principal_profile", { principal: "level1" }, "success"],
    ]);
    const messages = converseBody(second).messages;
    expect(messages[1]?.content[0]?.toolUse).toEqual({
      toolUseId: "tu-1",
      name: "get_principal_profile",
      input: { principal: "level1" },
    });
    const result = messages[2]?.content[0]?.toolResult;
    expect(result?.toolUseId).toBe("tu-1");
    expect(result?.status).toBe("success");
    expect(JSON.stringify(result?.content)).toContain("role:653711331788/level1");
  });

  it("fails the question with the service's message when access is denied", async () => {
    vi.stubEnv("AWS_ACCESS_KEY_ID", "AKIDFAKEFORTESTS");
    vi.stubEnv("AWS_SECRET_ACCESS_KEY", "fake-secret-for-tests");
    const bedrock = await fakeBedrock([
      {
        status: 403,
        contentType: "application/json",
        body: JSON.stringify({ message: "You don't have access to the model with the specified model ID." }),
      },
    ]);
    servers.push(bedrock);
    const agent = service({
      CATDATA_AGENT_MODEL: "bedrock",
      CATDATA_AGENT_BEDROCK_ENDPOINT: bedrock.url,
      CATDATA_AGENT_BEDROCK_MODEL_ID: "anthropic.claude-3-haiku-20240307-v1:0",
    });
    await expect(agent.ask("what did level1 do", { user: "u", lang: "ja" })).rejects.toThrow(
      /don't have access to the model/,
    );
    expect(bedrock.requests[0]?.path).toBe(
      `/model/${encodeURIComponent("anthropic.claude-3-haiku-20240307-v1:0")}/converse-stream`,
    );
    expect(converseBody(bedrock.requests[0]).system[0]).toEqual({ text: systemPrompt("ja") });
  });
});

describe("the OpenAI-compatible provider", () => {
  const chunk = (delta: unknown, finish: string | null = null) => ({
    id: "chatcmpl-1",
    object: "chat.completion.chunk",
    created: 1,
    model: "local-model",
    choices: [{ index: 0, delta, finish_reason: finish }],
  });

  it("sends Chat Completions requests with the key, model, system prompt and tools, and runs the tool loop", async () => {
    const openai = await fakeOpenAi([
      chatStream([
        chunk({
          role: "assistant",
          tool_calls: [
            { index: 0, id: "call_1", type: "function", function: { name: "predict_next_actions", arguments: "" } },
          ],
        }),
        chunk({ tool_calls: [{ index: 0, function: { arguments: '{"principal":"level1"}' } }] }),
        chunk({}, "tool_calls"),
      ]),
      chatStream([
        chunk({ role: "assistant", content: "level1 will likely " }),
        chunk({ content: "call CreateLogStream." }),
        chunk({}, "stop"),
      ]),
    ]);
    servers.push(openai);
    const agent = service({
      CATDATA_AGENT_MODEL: "openai",
      CATDATA_AGENT_OPENAI_BASE_URL: openai.url,
      CATDATA_AGENT_OPENAI_MODEL: "local-model",
      CATDATA_AGENT_OPENAI_API_KEY: "sk-fake-for-tests",
    });
    const answer = await agent.ask("what will level1 do next", { user: "u", lang: "en" });

    expect(answer.text).toBe("level1 will likely call CreateLogStream.");
    expect(answer.model).toEqual({ provider: "openai", modelId: "local-model", offline: false });
    expect(openai.requests).toHaveLength(2);
    const [first, second] = openai.requests;
    expect([first?.method, first?.path]).toEqual(["POST", "/v1/chat/completions"]);
    expect(first?.headers.authorization).toBe("Bearer sk-fake-for-tests");
    const body = chatBody(first);
    expect(body.model).toBe("local-model");
    expect(body.stream).toBe(true);
    expect(body.messages[0]).toEqual({ role: "system", content: systemPrompt("en") });
    expect(body.messages.at(-1)).toMatchObject({ role: "user" });
    expect(JSON.stringify(body.messages.at(-1)?.content)).toContain("what will level1 do next");
    expect(body.tools.every((t) => t.type === "function")).toBe(true);
    expect(toolNames(body.tools)).toEqual(expect.arrayContaining(["lookup_events", "predict_next_actions"]));
    expect(answer.toolCalls.map((c) => [c.name, c.input, c.status])).toEqual([
      ["predict_next_actions", { principal: "level1" }, "success"],
    ]);
    const toolMessage = chatBody(second).messages.find((m) => m.role === "tool");
    expect(toolMessage?.tool_call_id).toBe("call_1");
    expect(JSON.stringify(toolMessage?.content)).toContain("logs.amazonaws.com:CreateLogStream");
  });

  it("fails with the endpoint's message on 401, and needs a key from the environment", async () => {
    const openai = await fakeOpenAi([
      {
        status: 401,
        contentType: "application/json",
        body: JSON.stringify({ error: { message: "Incorrect API key provided", type: "invalid_request_error" } }),
      },
    ]);
    servers.push(openai);
    const agent = service({
      CATDATA_AGENT_MODEL: "openai",
      CATDATA_AGENT_OPENAI_BASE_URL: openai.url,
      CATDATA_AGENT_OPENAI_API_KEY: "sk-wrong",
    });
    await expect(agent.ask("what did level1 do", { user: "u", lang: "en" })).rejects.toThrow(/Incorrect API key/);
    expect(openai.requests).toHaveLength(1);
    expect(() => service({ CATDATA_AGENT_MODEL: "openai", CATDATA_AGENT_OPENAI_BASE_URL: openai.url })).toThrow(
      /CATDATA_AGENT_MODEL=openai needs an API key/,
    );
  });
});
