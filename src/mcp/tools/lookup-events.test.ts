/**
 * Pins the `lookup_events` tool through the SDK's own client over an in-memory transport:
 * - listed read-only, every input described, the AWS Labs parameter names among them
 * - an empty lake answers no events with a note naming get_data_status (a tool, not a CLI command)
 * - unknown and malformed arguments are tool errors (unknown ones name the allowed keys); both
 *   spellings of one parameter, a repeated attribute key, a region other than the configured one too
 * - on flaws2: filters by principal, the AWS Labs form (attribute_key, max_results, start_time
 *   relative to the injected clock) finds the real events; default answers carry no raw record and
 *   stay under DEFAULT_ANSWER_BYTES, and pages cut to that budget continue exactly where they were cut
 *   (all 37 events once, newest first); raw records on request; a relative window does not drift
 *   between pages
 * - on the invictus dataset (2,900 events) the default answer stays under DEFAULT_ANSWER_BYTES
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { emptyBehaviourLake, type TestBehaviourLake } from "../../testing/behaviour.js";
import { hasSamples, sample } from "../../testing/fixtures.js";
import { McpTestClients } from "../../testing/mcp-client.js";
import { loadTrailFolder } from "../../trail/lake/load-trail.js";
import { lookupEvents } from "../../trail/lookup/lookup-events.js";
import { DEFAULT_ANSWER_BYTES } from "./answer-budget.js";

const mcp = new McpTestClients();

async function connect(lake: TestBehaviourLake, now?: () => Date): Promise<Client> {
  return mcp.connect({
    behaviour: lake.service(),
    trail: lake.trail,
    version: "0.0.0-test",
    region: "us-east-1",
    ...(now ? { now } : {}),
  });
}

interface ToolEvent {
  EventId: string;
  EventName: string;
  EventTime: string;
  principal: string;
  errorCode?: string;
  CloudTrailEvent?: string;
}
interface ToolPage {
  events: ToolEvent[];
  nextToken?: string;
  note?: string;
}

async function call(client: Client, args: Record<string, unknown>) {
  const result = await client.callTool({ name: "lookup_events", arguments: args });
  const content = result.content as { type: string; text: string }[];
  const text = content[0]?.text ?? "";
  return { result, text, bytes: Buffer.byteLength(text), page: result.structuredContent as ToolPage | undefined };
}

async function allPages(
  client: Client,
  args: Record<string, unknown>,
  onPage?: (bytes: number) => void,
  tokenKey = "nextToken",
) {
  const seen: ToolEvent[] = [];
  let nextToken = args[tokenKey] as string | undefined;
  do {
    const { page, bytes, result } = await call(client, { ...args, ...(nextToken ? { [tokenKey]: nextToken } : {}) });
    expect(result.isError).toBeFalsy();
    onPage?.(bytes);
    seen.push(...(page?.events ?? []));
    nextToken = page?.nextToken;
  } while (nextToken);
  return seen;
}

/** The records of a CloudTrail folder, read straight from its files (not through catdata). */
function recordsOf(folder: string): { eventID: string; eventName: string; eventTime: string; errorCode?: string }[] {
  const out: ReturnType<typeof recordsOf> = [];
  for (const name of readdirSync(folder)) {
    const file = path.join(folder, name);
    if (statSync(file).isDirectory()) out.push(...recordsOf(file));
    else if (name.endsWith(".json.gz")) out.push(...JSON.parse(gunzipSync(readFileSync(file)).toString()).Records);
  }
  return out;
}

afterEach(async () => {
  await mcp.closeAll();
});

describe("lookup_events tool", () => {
  it("is listed read-only, with every input field described, AWS Labs names included", async () => {
    const client = await connect(await emptyBehaviourLake());
    const { tools } = await client.listTools();
    const tool = tools.find((t) => t.name === "lookup_events");
    expect(tool?.annotations?.readOnlyHint).toBe(true);
    const properties = tool?.inputSchema.properties as Record<string, { description?: string }>;
    expect(Object.keys(properties).sort()).toEqual(
      [
        "attribute_key",
        "attribute_value",
        "endTime",
        "end_time",
        "eventCategory",
        "includeCloudTrailEvent",
        "lookupAttributes",
        "maxBytes",
        "maxResults",
        "max_results",
        "nextToken",
        "next_token",
        "region",
        "startTime",
        "start_time",
      ].sort(),
    );
    for (const [name, schema] of Object.entries(properties))
      expect([name, schema.description]).toEqual([name, expect.any(String)]);
  });

  it("answers an empty lake with no events and a note naming get_data_status", async () => {
    const client = await connect(await emptyBehaviourLake());
    const { page, text } = await call(client, {});
    expect(page?.events).toEqual([]);
    expect(page?.note).toMatch(/no events loaded.*get_data_status/);
    expect(page?.note).not.toMatch(/catdata trail/);
    expect(JSON.parse(text)).toEqual(page);
  });

  it("reports unknown and malformed arguments as tool errors", async () => {
    const client = await connect(await emptyBehaviourLake());
    const unknown = await call(client, { start_tme: "2 days ago" });
    expect(unknown.result.isError).toBe(true);
    expect(unknown.text).toContain(
      'lookup_events does not take "start_tme"; its arguments are lookupAttributes, attribute_key',
    );
    const badTime = await call(client, { startTime: "last tuesday" });
    expect(badTime.result.isError).toBe(true);
    expect(badTime.text).toMatch(/startTime "last tuesday" is not a time.*2 days ago/);
    const tooMany = await call(client, { maxResults: 500 });
    expect(tooMany.result.isError).toBe(true);
    const wrongType = await call(client, { max_results: "5" });
    expect(wrongType.result.isError).toBe(true);
    const both = await call(client, { startTime: "now", start_time: "now" });
    expect([both.result.isError, both.text]).toEqual([
      true,
      expect.stringContaining("give startTime or start_time, not both"),
    ]);
    const repeated = await call(client, {
      lookupAttributes: [
        { attributeKey: "Username", attributeValue: "a" },
        { attributeKey: "Username", attributeValue: "b" },
      ],
    });
    expect(repeated.result.isError).toBe(true);
    expect(repeated.text).toMatch(/Username is given twice: CloudTrail takes one value per key/);
    const half = await call(client, { attribute_key: "Username" });
    expect([half.result.isError, half.text]).toEqual([true, expect.stringContaining("go together")]);
    const region = await call(client, { region: "eu-west-1" });
    expect(region.result.isError).toBe(true);
    expect(region.text).toMatch(/"eu-west-1" is not served here.*configured for us-east-1/);
    const badToken = await call(client, { next_token: "garbage" });
    expect([badToken.result.isError, badToken.text]).toEqual([true, expect.stringContaining("nextToken is not valid")]);
  });
});

const flaws2 = sample("cloudtrail", "flaws2");
describe.skipIf(!hasSamples)("lookup_events on flaws2", () => {
  let lake: TestBehaviourLake;
  const records = hasSamples ? recordsOf(flaws2) : [];
  const newestFirst = [...records].sort((a, b) => b.eventTime.localeCompare(a.eventTime));
  beforeAll(async () => {
    lake = await emptyBehaviourLake();
    await loadTrailFolder(lake.trail, flaws2);
  });

  it("finds the stolen level1 role's calls by session name and principal", async () => {
    const client = await connect(lake);
    const bySession = await call(client, {
      lookupAttributes: [{ attributeKey: "Username", attributeValue: "level1" }],
    });
    expect(bySession.page?.events).toHaveLength(9);
    expect(new Set(bySession.page?.events.map((e) => e.principal))).toEqual(new Set(["role:653711331788/level1"]));
    const listing = await call(client, {
      lookupAttributes: [
        { attributeKey: "Username", attributeValue: "role:653711331788/level1" },
        { attributeKey: "EventName", attributeValue: "ListObjects" },
      ],
      includeCloudTrailEvent: true,
    });
    expect(listing.page?.events.map((e) => e.EventName)).toEqual(["ListObjects"]);
    expect(JSON.parse(listing.page?.events[0]?.CloudTrailEvent ?? "{}").eventSource).toBe("s3.amazonaws.com");
  });

  it("takes the AWS Labs form: attribute_key/attribute_value, max_results, relative start_time, region", async () => {
    const listBuckets = records.filter((r) => r.eventName === "ListBuckets").map((r) => r.eventID);
    expect(listBuckets).toHaveLength(1);
    const latest = Date.parse(newestFirst[0]?.eventTime ?? "");
    const client = await connect(lake, () => new Date(latest + 30 * 60_000));
    const byName = await call(client, {
      attribute_key: "EventName",
      attribute_value: "ListBuckets",
      max_results: 5,
      region: "us-east-1",
    });
    expect(byName.result.isError).toBeFalsy();
    expect(byName.page?.events.map((e) => e.EventId)).toEqual(listBuckets);
    // "30 minutes ago" is the newest event's second: exactly the events of that second.
    const lastSecond = records
      .filter((r) => Date.parse(r.eventTime) >= latest)
      .map((r) => r.eventID)
      .sort();
    const recent = await call(client, { start_time: "30 minutes ago", end_time: "now" });
    expect(recent.page?.events.map((e) => e.EventId).sort()).toEqual(lastSecond);
    const none = await call(client, { start_time: "2030-01-01T00:00:00Z" });
    expect(none.page).toEqual({
      events: [],
      note: expect.stringMatching(/no events match this filter: get_data_status/),
    });
    const fewer = await call(client, { max_results: 3 });
    expect(fewer.page?.events.map((e) => e.EventId)).toHaveLength(3);
  });

  it("answers summaries within the budget by default and pages cut to it without gaps or repeats", async () => {
    const client = await connect(lake);
    const first = await call(client, {});
    expect(first.bytes).toBeLessThanOrEqual(DEFAULT_ANSWER_BYTES);
    expect(first.page?.events.every((e) => e.CloudTrailEvent === undefined)).toBe(true);
    expect(first.page?.events.length).toBeLessThan(37);
    expect(first.page?.note).toMatch(/page cut to \d+ of 37 events/);
    const sizes: number[] = [];
    const seen = await allPages(client, {}, (bytes) => sizes.push(bytes));
    expect(Math.max(...sizes)).toBeLessThanOrEqual(DEFAULT_ANSWER_BYTES);
    const expected = (await lookupEvents(lake.trail, { maxResults: 50 })).events.map((e) => e.EventId);
    expect(seen.map((e) => e.EventId)).toEqual(expected);
    expect(new Set(expected)).toEqual(new Set(records.map((r) => r.eventID)));
    const denied = records
      .filter((r) => r.errorCode === "AccessDenied")
      .map((r) => r.eventID)
      .sort();
    expect(
      seen
        .filter((e) => e.errorCode === "AccessDenied")
        .map((e) => e.EventId)
        .sort(),
    ).toEqual(denied);
  });

  it("keeps a relative window fixed across pages while the clock moves on", async () => {
    let now = Date.parse(newestFirst[0]?.eventTime ?? "") + 2 * 86_400_000;
    const client = await connect(lake, () => new Date(now));
    const first = await call(client, { start_time: "3 days ago", max_results: 10 });
    expect(first.page?.nextToken).toBeTypeOf("string");
    now += 86_400_000; // a day later "3 days ago" would leave out every event
    const rest = await allPages(
      client,
      { start_time: "3 days ago", max_results: 10, next_token: first.page?.nextToken },
      undefined,
      "next_token",
    );
    expect([...(first.page?.events ?? []), ...rest]).toHaveLength(37);
  });
});

describe.skipIf(!hasSamples)("lookup_events on the invictus dataset", () => {
  it("keeps the default answer and a raw page within their budgets", async () => {
    const lake = await emptyBehaviourLake();
    await loadTrailFolder(lake.trail, sample("cloudtrail", "invictus-aws-dataset", "CloudTrail"));
    const client = await connect(lake);
    const first = await call(client, {});
    expect(first.bytes).toBeLessThanOrEqual(DEFAULT_ANSWER_BYTES);
    expect(first.page?.events.length).toBeGreaterThan(5);
    const next = await call(client, { nextToken: first.page?.nextToken });
    expect((next.page?.events[0]?.EventTime ?? "") <= (first.page?.events.at(-1)?.EventTime ?? "")).toBe(true);
    expect(next.page?.events.map((e) => e.EventId)).not.toContain(first.page?.events.at(-1)?.EventId);
    const raw = await call(client, { includeCloudTrailEvent: true, maxResults: 50 });
    expect(raw.bytes).toBeLessThanOrEqual(64 * 1024);
    expect(raw.page?.events.every((e) => typeof e.CloudTrailEvent === "string")).toBe(true);
  });
});
