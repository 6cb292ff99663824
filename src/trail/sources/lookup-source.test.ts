/**
 * Pins the LookupEvents source against request shapes (aws-sdk-client-mock; the service cannot run
 * here): the exact requests (window, MaxResults 50, NextToken chain) and their spacing at 2 a
 * second on a fake clock; a start older than 90 days is moved with a notice; throttling is retried
 * after a backoff while other errors fail; every event's CloudTrailEvent becomes a row (real flaws2
 * records), a broken or too deeply nested one keeps the API's fields with the reason; re-running adds nothing and an
 * overlapping run adds only the new events; the region comes from the environment, or fails
 * saying how to set it.
 */
import { readdirSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { CloudTrailClient, type Event, LookupEventsCommand } from "@aws-sdk/client-cloudtrail";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DuckDb } from "../../duckdb/duckdb.js";
import { tempTrailLake } from "../../testing/trail.js";
import { trailPartsSql } from "../lake/parts-fingerprint.js";
import type { TrailLake } from "../lake/trail-lake.js";
import { resolveRegion } from "./aws-region.js";
import { loadTrailLookup } from "./lookup-source.js";
import type { Clock } from "./token-bucket.js";
import { RegionLimits } from "./token-bucket.js";

const flaws2 = path.resolve(process.env.CATDATA_SAMPLES_DIR ?? "../shared/data", "cloudtrail", "flaws2");
const records: Record<string, unknown>[] = (() => {
  try {
    return (readdirSync(flaws2, { recursive: true, encoding: "utf8" }) as string[])
      .filter((f) => f.endsWith(".json.gz"))
      .sort()
      .flatMap((f) => JSON.parse(gunzipSync(readFileSync(path.join(flaws2, f))).toString()).Records);
  } catch {
    return [];
  }
})();
const asEvent = (r: Record<string, unknown>): Event => ({
  EventId: String(r.eventID),
  EventName: String(r.eventName),
  EventTime: new Date(String(r.eventTime)),
  CloudTrailEvent: JSON.stringify(r),
});
const NOW = Date.parse("2018-12-01T00:00:00Z");
const DAY = 86_400_000;

function fakeClock(): Clock & { slept: number[] } {
  let now = NOW;
  const slept: number[] = [];
  const sleep = async (ms: number) => {
    slept.push(ms);
    now += ms;
  };
  return { slept, now: () => now, sleep };
}
const setup = () => {
  const clock = fakeClock();
  return { clock, limits: new RegionLimits(2, clock), lake: tempTrailLake("catdata-lookup-") };
};
async function rows(lake: TrailLake) {
  const db = await DuckDb.open(":memory:");
  try {
    return await db.all<{ event_id: string; parse_problems: string[]; source_file: string }>(
      `SELECT event_id, parse_problems, source_file FROM ${trailPartsSql(await lake.parts())} ORDER BY event_id`,
    );
  } finally {
    db.close();
  }
}

describe.skipIf(records.length !== 37)("loading LookupEvents", () => {
  const cloudtrail = mockClient(CloudTrailClient);
  const client = new CloudTrailClient({ region: "us-east-1" });
  beforeEach(() => cloudtrail.reset());

  it("follows NextToken at 2 requests a second and loads every event's CloudTrailEvent", async () => {
    const { clock, limits, lake } = setup();
    const sentAt: number[] = [];
    const pages = [records.slice(0, 20), records.slice(20, 30), records.slice(30)];
    cloudtrail.on(LookupEventsCommand).callsFake((input: { NextToken?: string }) => {
      sentAt.push(clock.now() - NOW);
      const i = input.NextToken ? Number(input.NextToken.slice(1)) : 0;
      return { Events: pages[i]?.map(asEvent), ...(i < 2 ? { NextToken: `t${i + 1}` } : {}) };
    });
    const summary = await loadTrailLookup(lake, { client, region: "us-east-1", clock, limits });
    const window = { StartTime: new Date(NOW - 90 * DAY), EndTime: new Date(NOW), MaxResults: 50 };
    expect(cloudtrail.commandCalls(LookupEventsCommand).map((c) => c.args[0].input)).toEqual([
      window,
      { ...window, NextToken: "t1" },
      { ...window, NextToken: "t2" },
    ]);
    expect(sentAt).toEqual([0, 500, 1000]);
    expect(summary).toMatchObject({
      requests: 3,
      retries: 0,
      eventsSeen: 37,
      eventsLoaded: 37,
      duplicates: 0,
      parts: 1,
    });
    const loaded = await rows(lake);
    expect(loaded.map((r) => r.event_id)).toEqual(records.map((r) => String(r.eventID)).sort());
    expect(new Set(loaded.map((r) => r.source_file))).toEqual(new Set(["lookup/us-east-1"]));
  });

  it("adds nothing when re-run, and only new events when runs overlap", async () => {
    const { clock, limits, lake } = setup();
    cloudtrail.on(LookupEventsCommand).resolves({ Events: records.slice(0, 10).map(asEvent) });
    await loadTrailLookup(lake, { client, region: "us-east-1", clock, limits });
    const parts = await lake.parts();
    const again = await loadTrailLookup(lake, { client, region: "us-east-1", clock, limits });
    expect(again).toMatchObject({ eventsLoaded: 0, duplicates: 10, parts: 0 });
    expect(await lake.parts()).toEqual(parts);
    cloudtrail.on(LookupEventsCommand).resolves({ Events: records.slice(5, 15).map(asEvent) });
    const overlap = await loadTrailLookup(lake, { client, region: "us-east-1", clock, limits });
    expect(overlap).toMatchObject({ eventsLoaded: 5, duplicates: 5, parts: 1 });
    expect(await rows(lake)).toHaveLength(15);
  });

  it("moves a start older than 90 days, with a notice", async () => {
    const { clock, limits, lake } = setup();
    cloudtrail.on(LookupEventsCommand).resolves({ Events: [] });
    const notices: string[] = [];
    const summary = await loadTrailLookup(lake, {
      client,
      region: "eu-west-1",
      clock,
      limits,
      start: "2018-01-01T00:00:00Z",
      end: "2018-11-30T00:00:00Z",
      onNotice: (n) => notices.push(n),
    });
    expect(cloudtrail.commandCalls(LookupEventsCommand)[0]?.args[0].input).toMatchObject({
      StartTime: new Date(NOW - 90 * DAY),
      EndTime: new Date("2018-11-30T00:00:00Z"),
    });
    expect(notices).toEqual([expect.stringMatching(/^LookupEvents keeps 90 days: start moved from 2018-01-01T/)]);
    expect(summary.notices).toEqual(notices);
  });

  it("retries throttling after a backoff, and fails on other errors", async () => {
    const { clock, limits, lake } = setup();
    const throttled = Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException" });
    cloudtrail
      .on(LookupEventsCommand)
      .rejectsOnce(throttled)
      .rejectsOnce(throttled)
      .resolves({ Events: records.slice(0, 3).map(asEvent) });
    const summary = await loadTrailLookup(lake, { client, region: "us-east-1", clock, limits });
    expect(summary).toMatchObject({ requests: 3, retries: 2, eventsLoaded: 3 });
    expect(clock.slept).toEqual([1_000, 2_000]);
    cloudtrail.reset();
    cloudtrail.on(LookupEventsCommand).rejects(Object.assign(new Error("denied"), { name: "AccessDeniedException" }));
    await expect(loadTrailLookup(lake, { client, region: "us-east-1", clock, limits })).rejects.toThrow("denied");
    expect(cloudtrail.commandCalls(LookupEventsCommand)).toHaveLength(1);
  });

  it("keeps an event whose CloudTrailEvent is broken, saying why", async () => {
    const { clock, limits, lake } = setup();
    const broken = { ...asEvent(records[0] ?? {}), EventId: "broken-1", CloudTrailEvent: "{not json" };
    cloudtrail.on(LookupEventsCommand).resolves({ Events: [broken] });
    await loadTrailLookup(lake, { client, region: "us-east-1", clock, limits });
    const [row] = await rows(lake);
    expect(row?.event_id).toBe("broken-1");
    expect(row?.parse_problems[0]).toMatch(/^CloudTrailEvent is not JSON/);
  });

  it("keeps an event whose CloudTrailEvent nests too deep, instead of overflowing the stack", async () => {
    const { clock, limits, lake } = setup();
    const deep = `{"eventID":"deep-1","x":${"[".repeat(100_000)}${"]".repeat(100_000)}}`;
    const event = { ...asEvent(records[0] ?? {}), EventId: "deep-1", CloudTrailEvent: deep };
    cloudtrail.on(LookupEventsCommand).resolves({ Events: [event] });
    const summary = await loadTrailLookup(lake, { client, region: "us-east-1", clock, limits });
    expect(summary.eventsLoaded).toBe(1);
    const [row] = await rows(lake);
    expect(row?.event_id).toBe("deep-1");
    expect(row?.parse_problems[0]).toMatch(/^CloudTrailEvent nests deeper than 100 levels \(MAX_TRAIL_JSON_DEPTH\)/);
  });
});

describe("the LookupEvents region", () => {
  afterEach(() => vi.unstubAllEnvs());

  it("comes from the environment, or fails saying how to set it", async () => {
    vi.stubEnv("AWS_CONFIG_FILE", path.join(os.tmpdir(), "no-such-aws-config"));
    vi.stubEnv("AWS_PROFILE", "");
    vi.stubEnv("AWS_REGION", "ap-northeast-1");
    expect(await resolveRegion(new CloudTrailClient({}), "LookupEvents")).toBe("ap-northeast-1");
    vi.stubEnv("AWS_REGION", "");
    await expect(resolveRegion(new CloudTrailClient({}), "LookupEvents")).rejects.toMatchObject({
      message: "no AWS region for LookupEvents",
      hint: expect.stringContaining("--region"),
    });
  });
});
