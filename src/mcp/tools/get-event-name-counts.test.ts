/**
 * Pins `get_event_name_counts` on the invictus dataset (2,900 events, 262 distinct API calls),
 * through the SDK's own client: the counts are over ALL matching events (not one page) and equal the
 * counts taken straight from the files; the top `limit` calls are listed and the rest summed in
 * `others`; a time window (ISO or relative to the injected clock), a principal and a service narrow
 * it; the default answer stays under DEFAULT_ANSWER_BYTES; bad arguments are tool errors; an empty
 * lake says no events are loaded, naming get_data_status.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { emptyBehaviourLake, type TestBehaviourLake } from "../../testing/behaviour.js";
import { hasSamples, sample } from "../../testing/fixtures.js";
import { McpTestClients } from "../../testing/mcp-client.js";
import { loadTrailFolder } from "../../trail/lake/load-trail.js";
import { DEFAULT_ANSWER_BYTES } from "./answer-budget.js";
import { EVENT_NAME_COUNTS_DEFAULT_LIMIT } from "./get-event-name-counts.js";

const mcp = new McpTestClients();
afterEach(async () => {
  await mcp.closeAll();
});

async function connect(lake: TestBehaviourLake, now?: () => Date): Promise<Client> {
  return mcp.connect({
    behaviour: lake.service(),
    trail: lake.trail,
    version: "0.0.0-test",
    ...(now ? { now } : {}),
  });
}

interface Counts {
  totalEvents: number;
  distinctCalls: number;
  firstEventTime: string | null;
  lastEventTime: string | null;
  counts: { eventSource: string; eventName: string; count: number }[];
  others?: { calls: number; events: number };
  note?: string;
}

async function counts(client: Client, args: Record<string, unknown>) {
  const result = await client.callTool({ name: "get_event_name_counts", arguments: args });
  const text = (result.content as { type: string; text: string }[])[0]?.text ?? "";
  return {
    isError: result.isError === true,
    text,
    bytes: Buffer.byteLength(text),
    answer: result.structuredContent as Counts,
  };
}

type Rec = { eventSource: string; eventName: string; eventTime: string; userIdentity?: { userName?: string } };
const folder = sample("cloudtrail", "invictus-aws-dataset", "CloudTrail");
const records: Rec[] = hasSamples
  ? readdirSync(folder).flatMap((f) => JSON.parse(readFileSync(path.join(folder, f), "utf8")).Records as Rec[])
  : [];

function tally(recs: Rec[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of recs)
    out.set(`${r.eventSource} ${r.eventName}`, (out.get(`${r.eventSource} ${r.eventName}`) ?? 0) + 1);
  return out;
}

/** Every listed count is exact, and the listed ones plus `others` make up all of `expected`. */
function expectCounts(answer: Counts, expected: Map<string, number>): void {
  const total = [...expected.values()].reduce((a, b) => a + b, 0);
  expect(answer.totalEvents).toBe(total);
  expect(answer.distinctCalls).toBe(expected.size);
  for (const c of answer.counts) {
    const key = `${c.eventSource} ${c.eventName}`;
    expect([key, c.count]).toEqual([key, expected.get(key)]);
  }
  const shown = answer.counts.reduce((sum, c) => sum + c.count, 0);
  const others = answer.others ?? { calls: 0, events: 0 };
  expect([answer.counts.length + others.calls, shown + others.events]).toEqual([expected.size, total]);
}

describe("get_event_name_counts on an empty lake", () => {
  it("says no events are loaded and refuses bad arguments", async () => {
    const client = await connect(await emptyBehaviourLake());
    const empty = await counts(client, {});
    expect(empty.answer).toMatchObject({ totalEvents: 0, counts: [] });
    expect(empty.answer.note).toMatch(/get_data_status/);
    const unknown = await counts(client, { user: "alice" });
    expect(unknown.text).toContain(
      'get_event_name_counts does not take "user"; its arguments are startTime, start_time',
    );
    const reversed = await counts(client, { startTime: "2024-01-02T00:00:00Z", endTime: "2024-01-01T00:00:00Z" });
    expect([reversed.isError, reversed.text]).toEqual([true, expect.stringContaining("startTime is after endTime")]);
    const tooMany = await counts(client, { limit: 10_000 });
    expect(tooMany.isError).toBe(true);
  });
});

describe.skipIf(!hasSamples)("get_event_name_counts on the invictus dataset", () => {
  let lake: TestBehaviourLake;
  beforeAll(async () => {
    lake = await emptyBehaviourLake();
    await loadTrailFolder(lake.trail, folder);
  });

  it("counts every event, top calls first, the rest summed as others, within the budget", async () => {
    const client = await connect(lake);
    const { answer, bytes } = await counts(client, {});
    const expected = tally(records);
    expect(bytes).toBeLessThanOrEqual(DEFAULT_ANSWER_BYTES);
    expectCounts(answer, expected);
    expect(answer.totalEvents).toBe(2900);
    expect(answer.counts).toHaveLength(EVENT_NAME_COUNTS_DEFAULT_LIMIT);
    expect(answer.counts[0]?.count).toBe(Math.max(...expected.values()));
    expect(answer.counts.map((c) => c.count)).toEqual(answer.counts.map((c) => c.count).sort((a, b) => b - a));
    const times = records.map((r) => r.eventTime).sort();
    expect([answer.firstEventTime, answer.lastEventTime]).toEqual(
      [times[0], times.at(-1)].map((t) => new Date(t ?? "").toISOString()),
    );
  });

  it("narrows to a window, a principal and a service", async () => {
    const last = Date.parse([...records.map((r) => r.eventTime)].sort().at(-1) ?? "");
    const client = await connect(lake, () => new Date(last + 10 * 60_000));
    const windowed = await counts(client, { start_time: "30 minutes ago", end_time: "now", limit: 200 });
    const from = last + 10 * 60_000 - 30 * 60_000;
    const inWindow = records.filter((r) => Date.parse(r.eventTime) >= from);
    expect(windowed.bytes).toBeLessThanOrEqual(DEFAULT_ANSWER_BYTES);
    expectCounts(windowed.answer, tally(inWindow));
    const benjamin = records.filter((r) => r.userIdentity?.userName === "benjamin");
    const byPrincipal = await counts(client, { principal: "benjamin", limit: 200 });
    expectCounts(byPrincipal.answer, tally(benjamin));
    const kms = await counts(client, { eventSource: "kms.amazonaws.com", limit: 1 });
    const kmsRecords = records.filter((r) => r.eventSource === "kms.amazonaws.com");
    expectCounts(kms.answer, tally(kmsRecords));
    expect(kms.answer.counts).toHaveLength(1);
  });
});
