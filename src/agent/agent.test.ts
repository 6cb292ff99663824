/**
 * Pins the agent end to end: the real Strands agent loop with the offline model, its tools through
 * the SDK's MCP client linked in process to catdata's MCP server, on a runtime loaded with the
 * invictus and flaws2 CloudTrail samples:
 * - "what did X do" / "when is X active" / "what will X do next" / "anomalies since T" are answered
 *   from tool calls, in English and Japanese (times in JST), citing event IDs that exist in the lake
 * - the predictions in the answer are the behaviour engine's own, in its order and probabilities
 * - the answer streams in pieces, is labelled offline, and is stored per user and conversation;
 *   a follow-up without a principal takes the previous question's; a new service replays the history
 * - a second question on a busy conversation is refused; live agents are bounded and expire when idle
 */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateDemoData } from "../demo/generate.js";
import { writeDemoFiles } from "../demo/write-demo-files.js";
import { CatdataError } from "../errors.js";
import { ingestFile } from "../etl/ingest.js";
import { silentLogger } from "../log/logger.js";
import { openRuntime, type Runtime } from "../runtime.js";
import { tempConfig, tempDir } from "../testing/fixtures.js";
import { queryTrailLake } from "../testing/trail.js";
import { loadTrailFolder } from "../trail/lake/load-trail.js";
import { VERSION } from "../version.js";
import { AgentService } from "./agent-service.js";
import { LocalConversationStore } from "./local-conversation-store.js";
import { OFFLINE_MODEL_ID } from "./offline/offline-model.js";

const samples = path.join(process.env.CATDATA_SAMPLES_DIR ?? path.resolve("../shared/data"), "cloudtrail");

let runtime: Runtime;
let lakeIds: Set<string>;
beforeAll(async () => {
  runtime = await openRuntime(tempConfig(), silentLogger);
  await loadTrailFolder(runtime.trail, path.join(samples, "invictus-aws-dataset"));
  await loadTrailFolder(runtime.trail, path.join(samples, "flaws2"));
  const rows = await queryTrailLake<{ id: string }>(runtime.trail, "SELECT event_id AS id FROM events");
  lakeIds = new Set(rows.map((r) => r.id));
  // One fiscal year of Yokohama's intakes through the upload pipeline, so the marts have KPIs.
  const data = generateDemoData({ seed: 5, fromFiscalYear: 2024, toFiscalYear: 2024, municipalities: ["141003"] });
  const file = (await writeDemoFiles(tempDir(), data)).find((f) => path.basename(f).endsWith("-intakes.csv"));
  if (!file) throw new Error("the demo data has no intakes file");
  expect((await ingestFile(runtime, file, { municipality: "141003" })).status).toBe("succeeded");
  await runtime.marts.idle();
}, 120_000);
afterAll(async () => runtime?.close());

/** The event IDs an answer cites: those in square brackets and on its "Events cited" line. */
function citedIds(text: string): string[] {
  const bracketed = [...text.matchAll(/\[([0-9a-f-]{36})\]/g)].map((m) => m[1] as string);
  const line = /(?:Events cited|根拠のイベント): (.+)/.exec(text)?.[1] ?? "";
  return [...new Set([...bracketed, ...line.split(", ").filter(Boolean)])];
}

const pct = (p: number) => `${(p * 100).toFixed(1)}%`;

describe("the agent with the offline model", () => {
  it("answers what a principal did, citing events that exist in the lake, streamed", async () => {
    const pieces: string[] = [];
    const answer = await runtime.agent.ask("what did bert-jan do", {
      user: "tester",
      lang: "en",
      onText: (t) => pieces.push(t),
    });
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.join("")).toBe(answer.text);
    expect(answer.model).toEqual({ provider: "offline", modelId: OFFLINE_MODEL_ID, offline: true });
    expect(answer.text).toContain("iam-user:123837392027/bert-jan");
    expect(answer.text).toContain("(Answered by the offline model.)");
    const ids = citedIds(answer.text);
    expect(ids.length).toBeGreaterThanOrEqual(3);
    for (const id of ids) expect(lakeIds.has(id), id).toBe(true);
    expect(answer.eventIds).toEqual(expect.arrayContaining(ids));
    const names = answer.toolCalls.map((c) => c.name);
    expect(names).toEqual(expect.arrayContaining(["get_principal_profile", "lookup_events"]));
    expect(answer.toolCalls.every((c) => c.status === "success")).toBe(true);
    // The latest events the answer lists are the principal's latest in the lake.
    const latest = await queryTrailLake<{ id: string }>(
      runtime.trail,
      "SELECT event_id AS id FROM events WHERE principal = 'iam-user:123837392027/bert-jan' ORDER BY event_time DESC, event_id LIMIT 1",
    );
    expect(ids).toContain(latest[0]?.id);
  });

  it("gives the behaviour engine's predictions, in English and Japanese (JST)", async () => {
    const expected = await runtime.behaviour.predict("bert-jan", { top: 5 });
    expect(expected.predictions.length).toBeGreaterThan(0);
    const en = await runtime.agent.ask("what will bert-jan do next", { user: "tester", lang: "en" });
    const ja = await runtime.agent.ask("bert-jan は次に何をしますか", { user: "tester", lang: "ja" });
    for (const answer of [en, ja]) {
      expect(answer.toolCalls.map((c) => c.name)).toContain("predict_next_actions");
      for (const p of expected.predictions) expect(answer.text).toContain(`${p.eventKey} (${pct(p.probability)})`);
      const listed = expected.predictions.map((p) => answer.text.indexOf(p.eventKey));
      expect(listed).toEqual([...listed].sort((a, b) => a - b));
      for (const id of citedIds(answer.text)) expect(lakeIds.has(id), id).toBe(true);
      expect(citedIds(answer.text).length).toBeGreaterThan(0);
    }
    expect(ja.text).toContain("次に呼びそうな API");
    expect(ja.text).toContain("オフラインモデル");
    expect(ja.text).toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+09:00/);
    expect(ja.text).not.toMatch(/\d{2}:\d{2}:\d{2}Z/);
    expect(en.text).toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z/);
  });

  it("answers when a principal is active, from its profile", async () => {
    const profile = await runtime.behaviour.profile("level1", { timeZone: "Asia/Tokyo" });
    const answer = await runtime.agent.ask("level1 はいつアクティブですか", { user: "tester", lang: "ja" });
    expect(answer.text).toContain("活動の多い時間帯(Asia/Tokyo)");
    const first = profile.activity.nextActiveHours[0];
    expect(first).toBeDefined();
    const jst = `${new Date(Date.parse(first?.start ?? "") + 9 * 3_600_000).toISOString().slice(0, 19)}+09:00`;
    expect(answer.text).toContain(jst);
    for (const id of citedIds(answer.text)) expect(lakeIds.has(id), id).toBe(true);
  });

  it("lists the anomalies since a time as the engine ranks them, citing their events", async () => {
    const since = "2018-11-28T23:00:00Z";
    const expected = await runtime.behaviour.anomalies({ since, limit: 5 });
    const answer = await runtime.agent.ask(`any anomalies since ${since}?`, { user: "tester", lang: "en" });
    expect(answer.toolCalls.map((c) => [c.name, (c.input as { since?: string }).since])).toEqual([
      ["list_anomalies", since],
    ]);
    const ids = expected.anomalies.map((a) => a.eventID);
    expect(ids.length).toBeGreaterThan(0);
    expect(citedIds(answer.text)).toEqual(ids);
    for (const id of ids) expect(lakeIds.has(id)).toBe(true);
  });

  it("gives a municipality's cat KPIs from the marts, by code or by name", async () => {
    const [kpi] = await runtime.warehouse.kpis({ period: "fiscal_year", municipality: "141003" });
    expect(kpi?.intakes).toBeGreaterThan(0);
    const en = await runtime.agent.ask("cat KPIs for municipality 141003", { user: "tester", lang: "en" });
    expect(en.toolCalls.map((c) => [c.name, c.input, c.status])).toEqual([
      ["query_cat_stats", { municipality: "141003" }, "success"],
    ]);
    expect(en.text).toContain(`FY${kpi?.fiscalYear}: intakes ${kpi?.intakes}, outcomes ${kpi?.outcomes}`);
    const ja = await runtime.agent.ask("横浜市の猫の KPI を教えて", { user: "tester", lang: "ja" });
    expect(ja.toolCalls.map((c) => c.input)).toEqual([{ municipality: "141003" }]);
    expect(ja.text).toContain(`横浜市 (Yokohama) ${kpi?.fiscalYear}年度: 収容 ${kpi?.intakes}`);
    const unknown = await runtime.agent.ask("cat KPIs for municipality Atlantis", { user: "tester", lang: "en" });
    expect(unknown.text).toContain("I do not know the municipality “Atlantis”");
  });

  it("says what data is loaded, over which time span", async () => {
    const answer = await runtime.agent.ask("what data is loaded?", { user: "tester", lang: "en" });
    expect(answer.toolCalls.map((c) => c.name)).toEqual(["get_data_status"]);
    expect(answer.text).toMatch(/^\d+ CloudTrail events of \d+ principals/m);
    expect(answer.text).toContain("from 2018-11-28T");
    expect(answer.text).toContain("to 2023-07-10T");
  });

  it("says so when the principal is not in the data", async () => {
    const answer = await runtime.agent.ask("what did nobody-such do", { user: "tester", lang: "en" });
    expect(answer.text).toMatch(/No data from get_principal_profile: .*nobody-such/);
    expect(citedIds(answer.text)).toEqual([]);
    expect(answer.toolCalls.map((c) => [c.name, c.status])).toEqual([["get_principal_profile", "error"]]);
  });
});

describe("conversations", () => {
  it("stores each turn and takes the principal of a follow-up from the previous question", async () => {
    const first = await runtime.agent.ask("what did level1 do", { user: "carol", lang: "en" });
    const follow = await runtime.agent.ask("and what will it do next?", {
      user: "carol",
      conversationId: first.conversationId,
      lang: "en",
    });
    expect(follow.conversationId).toBe(first.conversationId);
    expect(follow.text).toContain("role:653711331788/level1");
    expect(follow.toolCalls.map((c) => c.name)).toContain("predict_next_actions");
    const stored = await runtime.agent.store.get("carol", first.conversationId);
    expect(stored?.turns.map((t) => t.question)).toEqual(["what did level1 do", "and what will it do next?"]);
    expect(stored?.turns[1]?.eventIds).toEqual(follow.eventIds);
    expect(await runtime.agent.store.get("someone-else", first.conversationId)).toBeUndefined();
    expect((await runtime.agent.store.list("carol")).map((c) => c.id)).toContain(first.conversationId);

    // A new service (a restarted process) replays the stored history into the conversation's new agent.
    const again = newService(runtime.agent.store as LocalConversationStore);
    const third = await again.ask("when is it active?", {
      user: "carol",
      conversationId: first.conversationId,
      lang: "en",
    });
    expect(third.text).toContain("role:653711331788/level1");
    await again.close();
  });

  it("refuses a second question while the conversation is answering one", async () => {
    const service = newService(new LocalConversationStore(path.join(runtime.config.dataDirectory, "c2")));
    const first = service.ask("what did bert-jan do", { user: "dave", conversationId: "c-1", lang: "en" });
    const second = service.ask("what will bert-jan do next", { user: "dave", conversationId: "c-1", lang: "en" });
    await expect(second).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringMatching(/still answering/) });
    await expect(second).rejects.toBeInstanceOf(CatdataError);
    expect((await first).text).toContain("bert-jan");
    // Once the answer is in, the conversation takes questions again; other conversations never wait.
    await expect(
      service.ask("when is bert-jan active", { user: "dave", conversationId: "c-1", lang: "en" }),
    ).resolves.toBeDefined();
    await service.close();
  });

  it("keeps at most maxConversations live agents and drops idle ones after the TTL", async () => {
    let nowMs = Date.parse("2026-01-01T00:00:00Z");
    const service = newService(new LocalConversationStore(path.join(runtime.config.dataDirectory, "c3")), {
      maxConversations: 2,
      conversationIdleMs: 60_000,
      now: () => new Date(nowMs),
    });
    for (const id of ["a", "b", "c"]) {
      await service.ask("what did level1 do", { user: "erin", conversationId: id, lang: "en" });
      nowMs += 1000;
    }
    expect(service.liveConversations).toBe(2);
    nowMs += 60_000;
    await service.ask("what did level1 do", { user: "erin", conversationId: "d", lang: "en" });
    expect(service.liveConversations).toBe(1);
    // Dropped agents lose nothing: the history is in the store.
    expect((await service.store.list("erin")).map((c) => c.id).sort()).toEqual(["a", "b", "c", "d"]);
    await service.close();
  });

  it("refuses an invalid conversation id and an empty question", async () => {
    await expect(runtime.agent.ask("hi", { user: "x", conversationId: "../etc", lang: "en" })).rejects.toMatchObject({
      code: "BAD_INPUT",
    });
    await expect(runtime.agent.ask("  ", { user: "x", lang: "en" })).rejects.toMatchObject({ code: "BAD_INPUT" });
  });
});

function newService(
  store: LocalConversationStore,
  overrides: { maxConversations?: number; conversationIdleMs?: number; now?: () => Date } = {},
) {
  const { now, ...limits } = overrides;
  return new AgentService({
    config: { ...runtime.config.agent, ...limits },
    region: runtime.config.region,
    store,
    ...(now ? { now } : {}),
    mcp: { behaviour: runtime.behaviour, trail: runtime.trail, version: VERSION, region: runtime.config.region },
  });
}
