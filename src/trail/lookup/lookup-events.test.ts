/**
 * Pins lookupEvents, CloudTrail's LookupEvents over the lake: an empty lake answers empty; each
 * lookup attribute filters as in the API (Username also by principal and session); start/end are
 * inclusive; pages of any size walk the whole result in one total order (time desc, untimed last)
 * with no repeats or gaps; maxResults is 1–50; tokens only fit their own query; Insights only on
 * request; identical records delivered twice come back once; events have the API's shape.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { tempTrailLake } from "../../testing/trail.js";
import { loadTrailFolder } from "../lake/load-trail.js";
import type { TrailLake } from "../lake/trail-lake.js";
import { type LookupEvent, type LookupFilter, lookupEvents } from "./lookup-events.js";

const T0 = Date.parse("2024-03-01T00:00:00Z");
const iso = (ms: number) => new Date(ms).toISOString().replace(".000Z", "Z");

function record(i: number): Record<string, unknown> {
  const alice = i % 2 === 0;
  const name = i % 4 < 2 ? "GetObject" : "PutObject";
  return {
    eventVersion: "1.08",
    ...(i % 10 === 9 ? {} : { eventID: `ev-${String(i).padStart(3, "0")}` }),
    ...(i >= 117 ? {} : { eventTime: iso(T0 + Math.floor(i / 3) * 1000) }),
    eventSource: i % 5 === 0 ? "iam.amazonaws.com" : "s3.amazonaws.com",
    eventName: name,
    readOnly: name === "GetObject",
    recipientAccountId: "111122223333",
    userIdentity: alice
      ? { type: "IAMUser", userName: "alice", accountId: "111122223333", accessKeyId: "AKIAALICE" }
      : { type: "AssumedRole", arn: "arn:aws:sts::111122223333:assumed-role/deployer/bob", accessKeyId: "ASIABOB" },
    resources: [{ type: "AWS::S3::Object", ARN: `arn:aws:s3:::bucket/key-${i}` }],
  };
}

const RECORDS = Array.from({ length: 120 }, (_, i) => record(i));
const INSIGHT = {
  eventVersion: "1.07",
  eventID: "insight-1",
  eventTime: iso(T0),
  eventType: "AwsCloudTrailInsight",
  eventCategory: "Insight",
  eventName: "PutObject",
  eventSource: "s3.amazonaws.com",
  insightDetails: {},
};

async function all(lake: TrailLake, filter: LookupFilter = {}): Promise<LookupEvent[]> {
  const out: LookupEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await lookupEvents(lake, { ...filter, nextToken });
    out.push(...page.events);
    nextToken = page.nextToken;
  } while (nextToken);
  return out;
}

describe("lookupEvents", () => {
  const lake = tempTrailLake("catdata-lookup-");
  beforeAll(async () => {
    const folder = mkdtempSync(path.join(os.tmpdir(), "catdata-lookup-src-"));
    writeFileSync(path.join(folder, "a.json"), JSON.stringify({ Records: RECORDS.slice(0, 70) }));
    writeFileSync(path.join(folder, "b.json"), JSON.stringify({ Records: [...RECORDS.slice(70), INSIGHT] }));
    // The same record delivered again in another file: one event, not two.
    writeFileSync(path.join(folder, "c.json"), JSON.stringify({ Records: [RECORDS[5]] }));
    await loadTrailFolder(lake, folder);
  });

  it("answers an empty lake with no events", async () => {
    const empty = tempTrailLake("catdata-empty-");
    expect(await lookupEvents(empty, {})).toEqual({ events: [] });
  });

  it("pages through everything once, newest first, untimed last, whatever the page size", async () => {
    const first = await lookupEvents(lake);
    expect(first.events).toHaveLength(50);
    expect(first.nextToken).toBeTypeOf("string");
    const byFifty = await all(lake);
    const bySeven = await all(lake, { maxResults: 7 });
    expect(byFifty).toHaveLength(120);
    expect(new Set(byFifty.map((e) => e.CloudTrailEvent)).size).toBe(120);
    expect(bySeven.map((e) => e.CloudTrailEvent)).toEqual(byFifty.map((e) => e.CloudTrailEvent));
    const times = byFifty.map((e) => e.EventTime);
    const timed = times.filter((t): t is string => t !== null);
    expect(timed).toEqual([...timed].sort().reverse());
    expect(times.slice(timed.length).every((t) => t === null)).toBe(true);
    expect(times.slice(-3)).toEqual([null, null, null]);
  });

  it("returns the API's Event shape plus the principal", async () => {
    const [event] = (
      await lookupEvents(lake, { lookupAttributes: [{ attributeKey: "EventId", attributeValue: "ev-002" }] })
    ).events;
    expect(event).toEqual({
      EventId: "ev-002",
      EventName: "PutObject",
      ReadOnly: "false",
      AccessKeyId: "AKIAALICE",
      EventTime: "2024-03-01T00:00:00.000Z",
      EventSource: "s3.amazonaws.com",
      Username: "alice",
      Resources: [{ ResourceType: "AWS::S3::Object", ResourceName: "arn:aws:s3:::bucket/key-2" }],
      CloudTrailEvent: JSON.stringify(RECORDS[2]),
      principal: "iam-user:111122223333/alice",
    });
  });

  it("filters by each lookup attribute", async () => {
    const count = async (
      attributeKey: NonNullable<LookupFilter["lookupAttributes"]>[number]["attributeKey"],
      attributeValue: string,
    ) => (await all(lake, { lookupAttributes: [{ attributeKey, attributeValue }] })).length;
    expect(await count("EventName", "GetObject")).toBe(60);
    expect(await count("ReadOnly", "false")).toBe(60);
    expect(await count("ReadOnly", "TRUE")).toBe(60);
    expect(await count("Username", "alice")).toBe(60);
    expect(await count("Username", "bob")).toBe(60);
    expect(await count("Username", "role:111122223333/deployer")).toBe(60);
    expect(await count("EventSource", "iam.amazonaws.com")).toBe(24);
    expect(await count("AccessKeyId", "ASIABOB")).toBe(60);
    expect(await count("ResourceType", "AWS::S3::Object")).toBe(120);
    expect(await count("ResourceName", "arn:aws:s3:::bucket/key-7")).toBe(1);
    expect(await count("ResourceName", "key-7")).toBe(1);
    expect(await count("EventName", "' OR 1=1 --")).toBe(0);
    const both = await all(lake, {
      lookupAttributes: [
        { attributeKey: "Username", attributeValue: "alice" },
        { attributeKey: "EventName", attributeValue: "GetObject" },
      ],
    });
    expect(both).toHaveLength(30);
  });

  it("treats startTime and endTime as inclusive and drops untimed events from ranges", async () => {
    const range = await all(lake, { startTime: iso(T0 + 1000), endTime: new Date(T0 + 3000) });
    expect(range).toHaveLength(9);
    expect(new Set(range.map((e) => e.EventTime))).toEqual(
      new Set([1000, 2000, 3000].map((ms) => new Date(T0 + ms).toISOString())),
    );
    expect(await all(lake, { startTime: "2030-01-01T00:00:00Z" })).toEqual([]);
  });

  it("keeps Insights events apart unless asked for", async () => {
    const insights = await all(lake, { eventCategory: "insight" });
    expect(insights.map((e) => e.EventId)).toEqual(["insight-1"]);
    expect((await all(lake)).some((e) => e.EventId === "insight-1")).toBe(false);
  });

  it("bounds maxResults to 1–50 and rejects bad times and foreign or broken tokens", async () => {
    for (const maxResults of [0, 51, 2.5])
      await expect(lookupEvents(lake, { maxResults })).rejects.toThrow(/maxResults/);
    expect((await lookupEvents(lake, { maxResults: 1 })).events).toHaveLength(1);
    await expect(lookupEvents(lake, { startTime: "yesterday" })).rejects.toThrow(/not a time/);
    await expect(lookupEvents(lake, { startTime: iso(T0 + 5000), endTime: iso(T0) })).rejects.toThrow(/after endTime/);
    const { nextToken } = await lookupEvents(lake, { maxResults: 5 });
    const other = {
      lookupAttributes: [{ attributeKey: "EventName" as const, attributeValue: "GetObject" }],
      nextToken,
    };
    await expect(lookupEvents(lake, other)).rejects.toThrow(/another query/);
    await expect(lookupEvents(lake, { nextToken: "not-a-token" })).rejects.toThrow(/nextToken is not valid/);
  });
});
