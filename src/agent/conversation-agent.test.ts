/**
 * Pins the bounds of one conversation's agent, with scripted models (Strands `Model` subclasses)
 * in the real agent loop and the in-process MCP tools on the flaws2 sample:
 * - a model that never stops calling tools is stopped after MAX_MODEL_CALLS_PER_QUESTION calls
 * - a tool result in the trace is cut at TRACE_RESULT_MAX_CHARS (the model saw it whole)
 * - at most MAX_REPLAYED_TURNS earlier turns are replayed into a new agent, oldest dropped
 * - the SDK's refusal of a second concurrent invocation comes back as a CONFLICT "busy" error
 * - the offline model streams its answer in OFFLINE_DELTA_CHARS pieces
 */
import path from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { type Message, Model, type ModelStreamEvent, type StreamOptions } from "@strands-agents/sdk";
import { beforeAll, describe, expect, it } from "vitest";
import { createMcpServer } from "../mcp/server.js";
import { emptyBehaviourLake, type TestBehaviourLake } from "../testing/behaviour.js";
import { loadTrailFolder } from "../trail/lake/load-trail.js";
import {
  ConversationAgent,
  MAX_MODEL_CALLS_PER_QUESTION,
  MAX_REPLAYED_TURNS,
  TRACE_RESULT_MAX_CHARS,
} from "./conversation-agent.js";
import { inProcessTools } from "./mcp-tools.js";
import { OFFLINE_DELTA_CHARS, OfflineModel } from "./offline/offline-model.js";

const flaws2 = path.join(process.env.CATDATA_SAMPLES_DIR ?? path.resolve("../shared/data"), "cloudtrail", "flaws2");
const label = { provider: "offline", modelId: "scripted", offline: true } as const;

let lake: TestBehaviourLake;
beforeAll(async () => {
  lake = await emptyBehaviourLake();
  await loadTrailFolder(lake.trail, flaws2);
});
const deps = () => ({ behaviour: lake.service(), trail: lake.trail, version: "0.0.0-test" });

/** Calls `tool` with `input` on every turn while `calls` allows; then answers "done". Records what it saw. */
class ScriptedModel extends Model {
  readonly seen: number[] = [];
  constructor(
    private readonly tool: string,
    private readonly input: Record<string, unknown>,
    private calls = Number.POSITIVE_INFINITY,
  ) {
    super();
  }
  updateConfig(): void {}
  getConfig() {
    return { modelId: "scripted" };
  }
  async *stream(messages: Message[], _options?: StreamOptions): AsyncIterable<ModelStreamEvent> {
    this.seen.push(messages.length);
    yield { type: "modelMessageStartEvent", role: "assistant" };
    if (this.calls-- > 0) {
      yield {
        type: "modelContentBlockStartEvent",
        start: { type: "toolUseStart", name: this.tool, toolUseId: `t-${messages.length}` },
      };
      yield {
        type: "modelContentBlockDeltaEvent",
        delta: { type: "toolUseInputDelta", input: JSON.stringify(this.input) },
      };
      yield { type: "modelContentBlockStopEvent" };
      yield { type: "modelMessageStopEvent", stopReason: "toolUse" };
    } else {
      yield { type: "modelContentBlockStartEvent" };
      yield { type: "modelContentBlockDeltaEvent", delta: { type: "textDelta", text: "done" } };
      yield { type: "modelContentBlockStopEvent" };
      yield { type: "modelMessageStopEvent", stopReason: "endTurn" };
    }
  }
}

describe("ConversationAgent bounds", () => {
  it(`stops a model after ${MAX_MODEL_CALLS_PER_QUESTION} calls for one question`, async () => {
    const model = new ScriptedModel("list_principals", { limit: 1 });
    const agent = new ConversationAgent({ model, label, tools: await inProcessTools(deps()), lang: "en" });
    await expect(agent.ask("loop forever", { lang: "en" })).rejects.toMatchObject({
      code: "UNAVAILABLE",
      message: expect.stringContaining(`more than ${MAX_MODEL_CALLS_PER_QUESTION} calls`),
    });
    expect(model.seen.length).toBe(MAX_MODEL_CALLS_PER_QUESTION + 1);
    await agent.close();
  });

  it(`cuts a tool result in the trace at ${TRACE_RESULT_MAX_CHARS} characters`, async () => {
    const input = { maxResults: 50 };
    const server = createMcpServer(deps());
    const [a, b] = InMemoryTransport.createLinkedPair();
    const client = new Client({ name: "t", version: "1" });
    await Promise.all([server.connect(b), client.connect(a)]);
    const raw = (await client.callTool({ name: "lookup_events", arguments: input })).content as { text: string }[];
    await client.close();
    const whole = raw.map((c) => c.text).join("\n");
    expect(whole.length).toBeGreaterThan(TRACE_RESULT_MAX_CHARS);

    const agent = new ConversationAgent({
      model: new ScriptedModel("lookup_events", input, 1),
      label,
      tools: await inProcessTools(deps()),
      lang: "en",
    });
    const answer = await agent.ask("show me events", { lang: "en" });
    expect(answer.text).toBe("done");
    const result = answer.toolCalls[0]?.result ?? "";
    expect(result).toBe(`${whole.slice(0, TRACE_RESULT_MAX_CHARS)}…`);
    await agent.close();
  });

  it(`replays at most ${MAX_REPLAYED_TURNS} earlier turns into a new agent`, async () => {
    const model = new ScriptedModel("list_principals", {}, 0);
    const history = Array.from({ length: MAX_REPLAYED_TURNS + 5 }, (_, i) => ({ question: `q${i}`, answer: `a${i}` }));
    const agent = new ConversationAgent({ model, label, tools: await inProcessTools(deps()), lang: "en", history });
    await agent.ask("and now?", { lang: "en" });
    expect(model.seen).toEqual([MAX_REPLAYED_TURNS * 2 + 1]);
    await agent.close();
  });

  it("reports the SDK's refusal of a concurrent invocation as a busy conversation", async () => {
    const agent = new ConversationAgent({
      model: new OfflineModel(),
      label,
      tools: await inProcessTools(deps()),
      lang: "en",
    });
    const first = agent.ask("what did level1 do", { lang: "en" });
    await expect(agent.ask("what will level1 do next", { lang: "en" })).rejects.toMatchObject({
      code: "CONFLICT",
      message: "this conversation is still answering the previous question",
    });
    expect((await first).text).toContain("role:653711331788/level1");
    await agent.close();
  });

  it(`streams the offline model's answer in pieces of ${OFFLINE_DELTA_CHARS} characters`, async () => {
    const agent = new ConversationAgent({
      model: new OfflineModel(),
      label,
      tools: await inProcessTools(deps()),
      lang: "en",
    });
    const pieces: string[] = [];
    const answer = await agent.ask("what will level1 do next", { lang: "en", onText: (t) => pieces.push(t) });
    expect(pieces.join("")).toBe(answer.text);
    expect(pieces.length).toBe(Math.ceil(answer.text.length / OFFLINE_DELTA_CHARS));
    expect(pieces.slice(0, -1).every((p) => p.length === OFFLINE_DELTA_CHARS)).toBe(true);
    await agent.close();
  });
});
