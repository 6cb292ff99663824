/**
 * Pins the agent as the chat routes see it (the ChatService shape of src/api/chat-port.ts): an
 * answer is a stream of events — meta first (conversation, model, offline label), each tool call
 * before its result, the text in pieces, then done — and the caller's conversations come back with
 * their history and tool calls; another user's are not theirs. A busy conversation ends in an error
 * event that says so.
 */
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Claims } from "../auth/verifier.js";
import { loadConfig } from "../config/config.js";
import { emptyBehaviourLake, type TestBehaviourLake } from "../testing/behaviour.js";
import { loadTrailFolder } from "../trail/lake/load-trail.js";
import { AgentChat, type AgentChatEvent } from "./agent-chat.js";
import { AgentService } from "./agent-service.js";
import { LocalConversationStore } from "./local-conversation-store.js";

const flaws2 = path.join(process.env.CATDATA_SAMPLES_DIR ?? path.resolve("../shared/data"), "cloudtrail", "flaws2");
const claims = (username: string): Claims => ({
  sub: username,
  username,
  groups: ["admin"],
  municipality: null,
  tokenUse: "id",
});

let lake: TestBehaviourLake;
let chat: AgentChat;
beforeAll(async () => {
  lake = await emptyBehaviourLake();
  await loadTrailFolder(lake.trail, flaws2);
  const service = new AgentService({
    config: loadConfig({}, "/tmp").agent,
    region: "ap-northeast-1",
    store: new LocalConversationStore(path.join(lake.dataDir.root, "conversations")),
    mcp: { behaviour: lake.service(), trail: lake.trail, version: "0.0.0-test" },
  });
  let n = 0;
  chat = new AgentChat(service, { newId: () => `conv-${++n}` });
});

async function collect(events: AsyncIterable<AgentChatEvent>): Promise<AgentChatEvent[]> {
  const out: AgentChatEvent[] = [];
  for await (const e of events) out.push(e);
  return out;
}

describe("AgentChat", () => {
  it("streams meta, tool calls before their results, text pieces, then done", async () => {
    const events = await collect(chat.ask({ user: claims("ann"), question: "level1 は次に何をしますか", lang: "ja" }));
    expect(events[0]).toEqual({
      type: "meta",
      conversationId: "conv-1",
      model: "offline:catdata-offline-1",
      offline: true,
    });
    const done = events.at(-1);
    expect(done?.type).toBe("done");
    const text = events.flatMap((e) => (e.type === "text" ? [e.delta] : [])).join("");
    expect(done).toEqual({ type: "done", answer: text });
    expect(text).toContain("次に呼びそうな API");
    const calls = events.filter((e) => e.type === "tool_call");
    const results = events.filter((e) => e.type === "tool_result");
    expect(calls.map((c) => c.name)).toEqual(expect.arrayContaining(["get_principal_profile", "predict_next_actions"]));
    for (const call of calls) {
      const result = results.find((r) => r.id === call.id);
      expect(result, call.name).toMatchObject({ name: call.name, isError: false });
      expect(events.indexOf(call)).toBeLessThan(events.indexOf(result as AgentChatEvent));
    }
  });

  it("lists and returns the caller's conversations with their history, and only theirs", async () => {
    await collect(
      chat.ask({ user: claims("ben"), question: "what did level1 do", lang: "en", conversationId: "ben-1" }),
    );
    const list = await chat.list(claims("ben"));
    expect(list.map((c) => [c.id, c.title, c.turns])).toEqual([["ben-1", "what did level1 do", 1]]);
    const conversation = await chat.get(claims("ben"), "ben-1");
    expect(conversation?.history[0]?.question).toBe("what did level1 do");
    expect(conversation?.history[0]?.toolCalls.map((c) => c.name)).toContain("lookup_events");
    expect(conversation?.history[0]?.answer).toContain("role:653711331788/level1");
    expect(await chat.get(claims("eve"), "ben-1")).toBeUndefined();
    expect(await chat.get(claims("ben"), "../etc")).toBeUndefined();
  });

  it("ends a second concurrent question on one conversation with a busy error event", async () => {
    const first = collect(
      chat.ask({ user: claims("cy"), question: "what did level1 do", lang: "en", conversationId: "c" }),
    );
    const second = await collect(
      chat.ask({ user: claims("cy"), question: "and next?", lang: "en", conversationId: "c" }),
    );
    expect(second.at(-1)).toEqual({
      type: "error",
      message:
        "this conversation is still answering the previous question (wait for that answer, or start a new conversation)",
    });
    expect((await first).at(-1)?.type).toBe("done");
  });
});
