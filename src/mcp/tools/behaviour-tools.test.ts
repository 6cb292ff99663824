/**
 * Pins the behaviour tools through the SDK's own client over an in-memory transport:
 * - list_principals, get_principal_profile, get_user_activity, predict_next_actions, list_anomalies
 *   and get_data_status are listed read-only with every input described; unknown arguments are
 *   tool errors naming the allowed ones; an unknown principal's hint names list_principals (a tool)
 * - on a synthetic week: the declared shapes, predictions after given calls, anomaly reasons on
 *   request summing to the score
 * - on the invictus dataset (2,900 events): every default answer — and list_anomalies at limit 500,
 *   with details too — stays under DEFAULT_ANSWER_BYTES; a bare event name in `after` is resolved
 *   or refused as ambiguous; service sources are viaServices, not source IPs
 * - on flaws2: list_anomalies and list_principals pages cut to the budget continue exactly where
 *   they were cut (the whole ranking once, in order); a token of another query is refused; the
 *   profile's forecast of a 2018 trail is for the week after the data ends
 * - get_data_status and the resource cloudtrail://status say what is loaded, and an empty lake says
 *   how events get loaded
 */
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emptyBehaviourLake, syntheticLake, type TestBehaviourLake } from "../../testing/behaviour.js";
import { hasSamples, sample } from "../../testing/fixtures.js";
import { McpTestClients } from "../../testing/mcp-client.js";
import { loadTrailFolder } from "../../trail/lake/load-trail.js";
import { DEFAULT_ANSWER_BYTES } from "./answer-budget.js";

const TODAY = new Date("2026-12-04T09:00:00Z");
const mcp = new McpTestClients();
afterAll(async () => {
  await mcp.closeAll();
});

async function connect(lake: TestBehaviourLake, now: () => Date = () => TODAY): Promise<Client> {
  return mcp.connect({
    behaviour: lake.service({ now }),
    trail: lake.trail,
    version: "0.0.0-test",
    now,
  });
}

async function call(client: Client, name: string, args: Record<string, unknown>) {
  const result = await client.callTool({ name, arguments: args });
  const text = (result.content as { type: string; text: string }[])[0]?.text ?? "";
  return {
    result,
    text,
    bytes: Buffer.byteLength(text, "utf8"),
    data: (result.structuredContent ?? {}) as Record<string, unknown>,
  };
}

async function loaded(folder: string): Promise<TestBehaviourLake> {
  const lake = await emptyBehaviourLake();
  await loadTrailFolder(lake.trail, sample("cloudtrail", folder));
  return lake;
}

const TOOLS = [
  "list_principals",
  "get_principal_profile",
  "get_user_activity",
  "predict_next_actions",
  "list_anomalies",
  "get_data_status",
];

describe("behaviour tools on a synthetic week", () => {
  let client: Client;
  beforeAll(async () => {
    client = await connect(await syntheticLake(1));
  });

  it("are listed read-only, with every input described", async () => {
    const { tools } = await client.listTools();
    for (const name of TOOLS) {
      const tool = tools.find((t) => t.name === name);
      expect([name, tool?.annotations?.readOnlyHint, tool?.annotations?.destructiveHint]).toEqual([name, true, false]);
      for (const [field, schema] of Object.entries(tool?.inputSchema.properties ?? {})) {
        expect([name, field, (schema as { description?: string }).description]).toEqual([
          name,
          field,
          expect.any(String),
        ]);
      }
    }
  });

  it("refuse unknown arguments, naming the ones they take", async () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ["list_principals", { max_results: 5 }, "limit, nextToken, maxBytes"],
      ["get_principal_profile", { principal: "carol", time_zone: "UTC" }, "principal, timeZone, top, maxBytes"],
      ["get_user_activity", { principal: "carol", start_time: "2 days ago" }, "principal, startTime, endTime"],
      ["predict_next_actions", { principal: "bob", history: [] }, "principal, top, after, newSession"],
      ["list_anomalies", { max_results: 5 }, "since, limit, principal, minScore, details, nextToken, maxBytes"],
      ["get_data_status", { verbose: true }, "none"],
    ];
    for (const [name, args, allowed] of cases) {
      const { result, text } = await call(client, name, args);
      expect([name, result.isError]).toEqual([name, true]);
      expect(text).toContain(`${name} does not take "${Object.keys(args).at(-1)}"`);
      expect(text).toContain(allowed);
    }
  });

  it("list principals and profile one", async () => {
    const { data } = await call(client, "list_principals", { limit: 2 });
    expect(data.total).toBe(5);
    expect(data.principals as unknown[]).toHaveLength(2);
    expect(data.nextToken).toEqual(expect.any(String));
    const profile = await call(client, "get_principal_profile", { principal: "carol", timeZone: "Asia/Tokyo", top: 2 });
    expect(profile.data).toMatchObject({ principal: "iam-user:111122223333/carol", principalType: "IAMUser" });
    const activity = profile.data.activity as { eventsByHourOfWeek: number[] } | undefined;
    expect(activity?.eventsByHourOfWeek).toHaveLength(168);
    expect(JSON.parse(profile.text).principal).toBe("iam-user:111122223333/carol");
    expect((profile.data.topEvents as unknown[]).length).toBeLessThanOrEqual(2);
  });

  it("predict next actions after given calls, or for a new session", async () => {
    const after = await call(client, "predict_next_actions", {
      principal: "bob",
      after: ["glue.amazonaws.com:GetDatabases"],
      top: 2,
    });
    const predictions = after.data.predictions as { eventKey: string; probability: number }[];
    expect(predictions[0]?.eventKey).toBe("glue.amazonaws.com:GetTables");
    expect(predictions.every((p) => p.probability > 0 && p.probability <= 1)).toBe(true);
    const bare = await call(client, "predict_next_actions", { principal: "bob", after: ["GetDatabases"], top: 2 });
    expect(bare.data.after).toEqual(["glue.amazonaws.com:GetDatabases"]);
    expect(bare.data.predictions).toEqual(after.data.predictions);
    const fresh = await call(client, "predict_next_actions", { principal: "backup-job", newSession: true, top: 1 });
    const first = (fresh.data.predictions as { eventKey: string }[] | undefined)?.[0];
    expect(first?.eventKey).toBe("rds.amazonaws.com:DescribeDBInstances");
  });

  it("list anomalies as summaries, every reason on request", async () => {
    const summary = await call(client, "list_anomalies", { limit: 4, principal: "alice" });
    const rows = summary.data.anomalies as { principal: string; reasons?: unknown; topReason: unknown }[];
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((a) => a.reasons === undefined && a.topReason !== null)).toBe(true);
    const { data } = await call(client, "list_anomalies", { limit: 4, principal: "alice", details: true });
    const anomalies = data.anomalies as {
      principal: string;
      score: number;
      topReason: { contribution: number };
      reasons: { kind: string; contribution: number }[];
    }[];
    expect(anomalies.every((a) => a.principal === "iam-user:111122223333/alice")).toBe(true);
    for (const a of anomalies) {
      expect(a.score).toBeCloseTo(
        a.reasons.reduce((s, r) => s + r.contribution, 0),
        1,
      );
      expect(a.topReason).toEqual(a.reasons[0]);
    }
  });

  it("report an unknown principal, a bad time or a foreign token as a tool error that names tools", async () => {
    const unknown = await call(client, "get_principal_profile", { principal: "mallory" });
    expect(unknown.result.isError).toBe(true);
    expect(unknown.text).toMatch(/no principal "mallory".*list_principals tool/);
    expect(unknown.text).not.toContain("catdata");
    const badTime = await call(client, "list_anomalies", { since: "last tuesday" });
    expect(badTime.result.isError).toBe(true);
    expect(badTime.text).toMatch(/not a time/);
    const page = await call(client, "list_principals", { limit: 1 });
    const foreign = await call(client, "list_anomalies", { nextToken: page.data.nextToken });
    expect(foreign.result.isError).toBe(true);
    expect(foreign.text).toMatch(/nextToken belongs to another list_anomalies query/);
    const garbage = await call(client, "list_anomalies", { nextToken: "not-a-token" });
    expect(garbage.text).toMatch(/not a list_anomalies page token/);
  });
});

describe.skipIf(!hasSamples)("behaviour tools on the invictus dataset", () => {
  let client: Client;
  beforeAll(async () => {
    client = await connect(await loaded("invictus-aws-dataset"));
  });

  it("keep every default answer under the budget, and list_anomalies at limit 500 too", async () => {
    const calls: [string, Record<string, unknown>][] = [
      ["list_anomalies", {}],
      ["list_anomalies", { limit: 500 }],
      ["list_anomalies", { limit: 500, details: true }],
      ["list_principals", { limit: 1000 }],
      ["get_principal_profile", { principal: "bert-jan", top: 50 }],
      ["get_user_activity", { principal: "bert-jan", top: 50 }],
      ["get_data_status", {}],
    ];
    for (const [name, args] of calls) {
      const { result, bytes, data } = await call(client, name, args);
      expect([name, args, result.isError ?? false]).toEqual([name, args, false]);
      expect([name, args, bytes <= DEFAULT_ANSWER_BYTES]).toEqual([name, args, true]);
      if (name === "list_anomalies") {
        expect((data.anomalies as unknown[]).length).toBeGreaterThan(0);
        expect(data.nextToken).toEqual(expect.any(String));
      }
    }
    const cut = await call(client, "get_principal_profile", { principal: "bert-jan", top: 50, maxBytes: 4096 });
    expect(cut.bytes).toBeLessThanOrEqual(4096);
    expect(cut.data.listsCutTo).toEqual(expect.any(Number));
  });

  it("resolve a bare call name, or refuse it as ambiguous naming the choices", async () => {
    const ambiguous = await call(client, "predict_next_actions", {
      principal: "bert-jan",
      after: ["ListTagsForResource"],
    });
    expect(ambiguous.result.isError).toBe(true);
    expect(ambiguous.text).toContain("rds.amazonaws.com:ListTagsForResource, ssm.amazonaws.com:ListTagsForResource");
    const unknown = await call(client, "predict_next_actions", { principal: "bert-jan", after: ["ListObjects"] });
    expect(unknown.text).toMatch(/no call "ListObjects" in the trail/);
    const named = await call(client, "predict_next_actions", { principal: "bert-jan", after: ["GetSecretValue"] });
    expect(named.data.after).toEqual(["secretsmanager.amazonaws.com:GetSecretValue"]);
  });

  it("show calls AWS services made as viaServices, never as source IPs", async () => {
    const profile = await call(client, "get_principal_profile", { principal: "bert-jan", top: 10 });
    const ips = (profile.data.sourceIps as { value: string }[]).map((s) => s.value);
    const via = (profile.data.viaServices as { value: string }[]).map((s) => s.value);
    expect(ips.every((ip) => /^[\d.]+$|:/.test(ip))).toBe(true);
    expect(via).toEqual(expect.arrayContaining(["secretsmanager.amazonaws.com", "AWS Internal"]));
    const activity = await call(client, "get_user_activity", {
      principal: "bert-jan",
      startTime: "2023-07-10T11:00:00Z",
      endTime: "2023-07-10T13:00:00Z",
      timeZone: "Asia/Tokyo",
    });
    expect(activity.data).toMatchObject({ window: { basis: "requested" }, timeZone: "Asia/Tokyo" });
    const byHour = activity.data.eventsByHourOfDay as number[];
    expect(byHour.reduce((s, n) => s + n, 0)).toBe(activity.data.events);
    expect((byHour[20] ?? 0) + (byHour[21] ?? 0)).toBe(activity.data.events); // 11:00–13:00 UTC is 20:00–22:00 JST
    expect((activity.data.sourceIps as { value: string }[]).some((s) => s.value.endsWith("amazonaws.com"))).toBe(false);
  });
});

describe.skipIf(!hasSamples)("behaviour tools on flaws2", () => {
  let lake: TestBehaviourLake;
  let client: Client;
  beforeAll(async () => {
    lake = await loaded("flaws2");
    client = await connect(lake);
  });

  it("page list_anomalies under the budget, continuing exactly where each page was cut", async () => {
    const ranking = await lake.service().anomalies({ limit: 10_000 });
    const seen: string[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const { data, bytes } = await call(client, "list_anomalies", {
        limit: 500,
        details: true,
        maxBytes: 2048,
        ...(nextToken ? { nextToken } : {}),
      });
      expect(bytes).toBeLessThanOrEqual(2048);
      seen.push(...(data.anomalies as { eventID: string }[]).map((a) => a.eventID));
      if (pages > 0) expect(data.sessions).toEqual([]);
      nextToken = data.nextToken as string | undefined;
      pages += 1;
    } while (nextToken && pages < 100);
    expect(pages).toBeGreaterThan(1);
    expect(seen).toEqual(ranking.anomalies.map((a) => a.eventID));
  });

  it("resolve a relative since once, so later pages rank the same events when the clock moves", async () => {
    let clock = TODAY.getTime();
    const moving = await connect(lake, () => new Date(clock));
    // 2,928 days before 2026-12-04T09:00Z is 2018-11-28T09:00Z, before flaws2's first event.
    const first = await call(moving, "list_anomalies", { since: "2928 days ago", limit: 3 });
    expect(first.data.since).toBe("2018-11-28T09:00:00.000Z");
    const ranking = await lake.service().anomalies({ since: "2018-11-28T09:00:00Z", limit: 6 });
    clock += 30 * 86_400_000;
    const second = await call(moving, "list_anomalies", {
      since: "2928 days ago",
      limit: 3,
      nextToken: first.data.nextToken,
    });
    expect(second.data.since).toBe("2018-11-28T09:00:00.000Z");
    const ids = [
      ...(first.data.anomalies as { eventID: string }[]),
      ...(second.data.anomalies as { eventID: string }[]),
    ];
    expect(ids.map((a) => a.eventID)).toEqual(ranking.anomalies.map((a) => a.eventID));
  });

  it("page list_principals, every principal once, busiest first", async () => {
    const all = await lake.service().principals();
    const seen: string[] = [];
    let nextToken: string | undefined;
    do {
      const { data, bytes } = await call(client, "list_principals", {
        maxBytes: 1024,
        ...(nextToken ? { nextToken } : {}),
      });
      expect(bytes).toBeLessThanOrEqual(1024);
      seen.push(...(data.principals as { principal: string }[]).map((p) => p.principal));
      nextToken = data.nextToken as string | undefined;
    } while (nextToken);
    expect(seen).toEqual(all.map((p) => p.principal));
  });

  it("forecast a 2018 principal's active hours from the end of the data, saying so", async () => {
    const { data } = await call(client, "get_principal_profile", { principal: "level1" });
    const activity = data.activity as { forecastBasis: string; nextActiveHours: { start: string }[] };
    expect(activity.forecastBasis).toBe("end-of-data");
    for (const h of activity.nextActiveHours) expect(h.start.slice(0, 7)).toMatch(/^2018-1[12]$/);
    expect(JSON.stringify(data)).not.toContain('"^"');
  });

  it("tell what is loaded, as a tool and as the resource cloudtrail://status", async () => {
    const { data } = await call(client, "get_data_status", {});
    expect(data).toMatchObject({
      events: 37,
      firstEventTime: "2018-11-28T22:31:59.000Z",
      lastEventTime: "2018-11-28T23:09:36.000Z",
      sources: [{ source: sample("cloudtrail", "flaws2") }],
      now: TODAY.toISOString(),
    });
    expect(data.note).toMatch(/data ends .* days before now/);
    const { resources } = await client.listResources();
    expect(resources.map((r) => r.uri)).toContain("cloudtrail://status");
    const read = await client.readResource({ uri: "cloudtrail://status" });
    const text = (read.contents[0] as { text: string }).text;
    expect(JSON.parse(text)).toMatchObject({ events: 37, lastEventTime: "2018-11-28T23:09:36.000Z" });
  });
});

describe("get_data_status on an empty lake", () => {
  it("says nothing is loaded and how events get loaded", async () => {
    const client = await connect(await emptyBehaviourLake());
    const { data } = await call(client, "get_data_status", {});
    expect(data).toMatchObject({ events: 0, sources: [], firstEventTime: null, lastEventTime: null });
    expect(data.note).toMatch(/No CloudTrail events are loaded/);
  });
});
