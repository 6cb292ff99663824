/**
 * Pins how the offline model plans its tool calls from the tools the server lists: the profile
 * first (it resolves the principal), then the question's tool and lookup_events for the events to
 * cite; every input cut to the keys the tool's schema has; lookup_events in whichever parameter form
 * it takes (ours or the AWS Labs server's); a missing tool shrinks the plan instead of failing.
 */
import { describe, expect, it } from "vitest";
import { CITED_EVENTS, LISTED_ITEMS, lookupByUser, nextCalls, type ToolInfo } from "./plan.js";
import { parseQuestion } from "./question.js";
import type { ToolOutcome } from "./tool-outcome.js";

const now = new Date("2026-12-04T12:00:00Z");
const OURS: ToolInfo[] = [
  { name: "get_principal_profile", properties: ["principal", "timeZone", "top"] },
  { name: "predict_next_actions", properties: ["principal", "top", "after", "newSession"] },
  { name: "lookup_events", properties: ["lookupAttributes", "startTime", "maxResults", "includeCloudTrailEvent"] },
  { name: "list_anomalies", properties: ["since", "limit", "principal"] },
];
const profiled: ToolOutcome = {
  name: "get_principal_profile",
  input: {},
  ok: true,
  text: "",
  json: { principal: "iam-user:1/alice" },
};

describe("nextCalls", () => {
  it("profiles the principal first, then predicts and looks up its events with the resolved id", () => {
    const q = parseQuestion("what will alice do next", { now });
    expect(nextCalls(q, OURS, [])).toEqual([
      { name: "get_principal_profile", input: { principal: "alice", timeZone: "UTC", top: LISTED_ITEMS } },
    ]);
    expect(nextCalls(q, OURS, [profiled])).toEqual([
      { name: "predict_next_actions", input: { principal: "iam-user:1/alice", top: LISTED_ITEMS } },
      {
        name: "lookup_events",
        input: {
          lookupAttributes: [{ attributeKey: "Username", attributeValue: "iam-user:1/alice" }],
          maxResults: CITED_EVENTS,
          includeCloudTrailEvent: false,
        },
      },
    ]);
    const done = [profiled, ...nextCalls(q, OURS, [profiled]).map((c) => ({ ...profiled, name: c.name }))];
    expect(nextCalls(q, OURS, done)).toEqual([]);
  });

  it("profiles in Asia/Tokyo for Japanese questions and stops when the principal is unknown", () => {
    const q = parseQuestion("alice はいつアクティブですか", { now });
    expect(nextCalls(q, OURS, [])[0]?.input).toMatchObject({ timeZone: "Asia/Tokyo" });
    expect(nextCalls(q, OURS, [{ ...profiled, ok: false, json: undefined }])).toEqual([]);
  });

  it("drops keys the tool's schema does not have, and skips tools the server does not list", () => {
    const q = parseQuestion("anomalies for alice since 2024-04-01", { now });
    const narrow = [{ name: "list_anomalies", properties: ["since", "limit"] }];
    expect(nextCalls(q, narrow, [])).toEqual([
      { name: "list_anomalies", input: { limit: LISTED_ITEMS, since: "2024-04-01T00:00:00Z" } },
    ]);
    expect(nextCalls(parseQuestion("cat KPIs for 131041", { now }), OURS, [])).toEqual([]);
    const withStats = [...OURS, { name: "query_cat_stats", properties: ["municipality", "period"] }];
    expect(nextCalls(parseQuestion("cat KPIs for 131041", { now }), withStats, [])).toEqual([
      { name: "query_cat_stats", input: { municipality: "131041" } },
    ]);
  });

  it("asks list_principals when the question names nobody", () => {
    const tools = [...OURS, { name: "list_principals", properties: ["limit"] }];
    expect(nextCalls(parseQuestion("what did they do", { now }), tools, [])).toEqual([
      { name: "list_principals", input: { limit: 10 } },
    ]);
  });
});

describe("lookupByUser", () => {
  it("speaks the AWS Labs parameter form when that is what the tool has", () => {
    const awsLabs = {
      name: "lookup_events",
      properties: ["attribute_key", "attribute_value", "start_time", "max_results"],
    };
    expect(lookupByUser(awsLabs, "alice", "2024-04-01T00:00:00Z")).toEqual({
      attribute_key: "Username",
      attribute_value: "alice",
      start_time: "2024-04-01T00:00:00Z",
      max_results: CITED_EVENTS,
    });
  });
});
