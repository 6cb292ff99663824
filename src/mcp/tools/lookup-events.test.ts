/**
 * Pins the `lookup_events` tool through the SDK's own client over an in-memory transport: it is
 * listed read-only with every input described; on a lake loaded from flaws2 it filters, pages
 * with nextToken and can leave out the raw records; bad input comes back as a tool error, and an
 * empty lake answers with no events.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { emptyBehaviourLake, type TestBehaviourLake } from "../../testing/behaviour.js";
import { loadTrailFolder } from "../../trail/lake/load-trail.js";
import { createMcpServer } from "../server.js";

const flaws2 = path.join(process.env.CATDATA_SAMPLES_DIR ?? path.resolve("../shared/data"), "cloudtrail", "flaws2");
const clients: Client[] = [];

async function connect(lake: TestBehaviourLake): Promise<Client> {
  const server = createMcpServer({ behaviour: lake.service(), trail: lake.trail, version: "0.0.0-test" });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: "test", version: "1.0.0" });
  await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
  clients.push(client);
  return client;
}

interface ToolEvent {
  EventName: string;
  EventTime: string;
  principal: string;
  CloudTrailEvent?: string;
}
interface ToolPage {
  events: ToolEvent[];
  nextToken?: string;
}

async function call(client: Client, args: Record<string, unknown>) {
  const result = await client.callTool({ name: "lookup_events", arguments: args });
  const content = result.content as { type: string; text: string }[];
  return { result, text: content[0]?.text ?? "", page: result.structuredContent as ToolPage | undefined };
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});

describe("lookup_events tool", () => {
  it("is listed read-only, with every input field described", async () => {
    const client = await connect(await emptyBehaviourLake());
    const { tools } = await client.listTools();
    const tool = tools.find((t) => t.name === "lookup_events");
    expect(tool?.annotations?.readOnlyHint).toBe(true);
    const properties = tool?.inputSchema.properties as Record<string, { description?: string }>;
    expect(Object.keys(properties).sort()).toEqual(
      [
        "endTime",
        "eventCategory",
        "includeCloudTrailEvent",
        "lookupAttributes",
        "maxResults",
        "nextToken",
        "startTime",
      ].sort(),
    );
    for (const [name, schema] of Object.entries(properties))
      expect([name, schema.description]).toEqual([name, expect.any(String)]);
  });

  it("answers an empty lake with no events", async () => {
    const client = await connect(await emptyBehaviourLake());
    const { page, text } = await call(client, {});
    expect(page).toEqual({ events: [] });
    expect(JSON.parse(text)).toEqual({ events: [] });
  });

  it("reports bad input as a tool error", async () => {
    const client = await connect(await emptyBehaviourLake());
    const badTime = await call(client, { startTime: "last tuesday" });
    expect(badTime.result.isError).toBe(true);
    expect(badTime.text).toMatch(/not a time/);
    const tooMany = await call(client, { maxResults: 500 });
    expect(tooMany.result.isError).toBe(true);
  });
});

describe.skipIf(!existsSync(flaws2))("lookup_events on flaws2", () => {
  let lake: TestBehaviourLake;
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
    });
    expect(listing.page?.events.map((e) => e.EventName)).toEqual(["ListObjects"]);
    expect(JSON.parse(listing.page?.events[0]?.CloudTrailEvent ?? "{}").eventSource).toBe("s3.amazonaws.com");
  });

  it("pages all 37 events with nextToken and can leave the raw records out", async () => {
    const client = await connect(lake);
    const seen: ToolEvent[] = [];
    let nextToken: string | undefined;
    do {
      const { page } = await call(client, { maxResults: 10, nextToken, includeCloudTrailEvent: false });
      seen.push(...(page?.events ?? []));
      nextToken = page?.nextToken;
    } while (nextToken);
    expect(seen).toHaveLength(37);
    expect(seen.every((e) => e.CloudTrailEvent === undefined)).toBe(true);
    const times = seen.map((e) => e.EventTime);
    expect(times).toEqual([...times].sort().reverse());
  });
});
