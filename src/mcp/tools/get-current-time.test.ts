/**
 * Pins `get_current_time` with an injected clock, through the SDK's own client: Asia/Tokyo by
 * default (+09:00), any IANA zone with its offset (daylight saving included), UTC beside it; an
 * unknown zone or argument is a tool error. Also pins the relative times the tools take
 * ("now", "<n> <unit> ago", "today", "yesterday") against the same clock.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { afterEach, describe, expect, it } from "vitest";
import { emptyBehaviourLake } from "../../testing/behaviour.js";
import { createMcpServer } from "../server.js";
import { parseToolTime } from "./tool-time.js";

const NOW = new Date("2026-07-04T18:15:47.250Z");
const clients: Client[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});

async function now(args: Record<string, unknown>) {
  const lake = await emptyBehaviourLake();
  const server = createMcpServer({ behaviour: lake.service(), trail: lake.trail, version: "t", now: () => NOW });
  const [a, b] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: "test", version: "1.0.0" });
  await Promise.all([server.connect(a), client.connect(b)]);
  clients.push(client);
  const result = await client.callTool({ name: "get_current_time", arguments: args });
  const text = (result.content as { text: string }[])[0]?.text ?? "";
  return { isError: result.isError === true, text, answer: result.structuredContent as Record<string, unknown> };
}

describe("get_current_time", () => {
  it("answers Tokyo time by default, with the offset and UTC", async () => {
    const { answer } = await now({});
    expect(answer).toEqual({
      timeZone: "Asia/Tokyo",
      local: "2026-07-05T03:15:47+09:00",
      utc: "2026-07-04T18:15:47Z",
      offset: "+09:00",
      weekday: "Sunday",
      epochMs: NOW.getTime(),
    });
  });

  it("answers any IANA zone with its offset that day", async () => {
    expect((await now({ timeZone: "America/New_York" })).answer).toMatchObject({
      local: "2026-07-04T14:15:47-04:00",
      offset: "-04:00",
      weekday: "Saturday",
    });
    expect((await now({ timezone: "Europe/London" })).answer).toMatchObject({ local: "2026-07-04T19:15:47+01:00" });
    expect((await now({ timeZone: "UTC", timezone: "UTC" })).text).toContain("give timeZone or timezone, not both");
    expect((await now({ timeZone: "Asia/Kolkata" })).answer).toMatchObject({ local: "2026-07-04T23:45:47+05:30" });
    expect((await now({ timeZone: "UTC" })).answer).toMatchObject({
      local: "2026-07-04T18:15:47+00:00",
      offset: "+00:00",
    });
  });

  it("refuses an unknown zone and unknown arguments", async () => {
    const zone = await now({ timeZone: "Mars/Olympus" });
    expect([zone.isError, zone.text]).toEqual([true, expect.stringContaining('"Mars/Olympus" is not a time zone')]);
    const extra = await now({ tz: "UTC" });
    expect([extra.isError, extra.text]).toEqual([
      true,
      expect.stringContaining('does not take "tz"; its arguments are timeZone, timezone'),
    ]);
  });
});

describe("parseToolTime", () => {
  it("reads ISO and relative times against the clock", () => {
    const at = (value: string) => parseToolTime(value, "startTime", NOW).toISOString();
    expect(at("now")).toBe(NOW.toISOString());
    expect(at("3 hours ago")).toBe("2026-07-04T15:15:47.250Z");
    expect(at("2 days ago")).toBe("2026-07-02T18:15:47.250Z");
    expect(at("1 week ago")).toBe("2026-06-27T18:15:47.250Z");
    expect(at("today")).toBe("2026-07-04T00:00:00.000Z");
    expect(at("yesterday")).toBe("2026-07-03T00:00:00.000Z");
    expect(at("2023-07-10T11:00:00+09:00")).toBe("2023-07-10T02:00:00.000Z");
    expect(at("2023-07-10")).toBe("2023-07-10T00:00:00.000Z");
    expect(() => at("last tuesday")).toThrow(/startTime "last tuesday" is not a time/);
    expect(() => at("3 fortnights ago")).toThrow(/not a time/);
  });
});
