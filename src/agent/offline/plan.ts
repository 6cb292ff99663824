import { resolveMunicipality } from "./municipality.js";
import type { Question } from "./question.js";
import { principalFrom, type ToolOutcome } from "./tool-outcome.js";

/**
 * Which tool calls the offline model makes for a question, turn by turn, from the tools the MCP
 * server really lists (their names and input schemas, read at run time): other tools may come and
 * go, so every call is adapted to the schema it finds, and a missing tool means a smaller plan, never
 * an error. Pure.
 */
export interface ToolInfo {
  name: string;
  /** The JSON schema's top-level property names. */
  properties: readonly string[];
}

export interface PlannedCall {
  name: string;
  input: Record<string, unknown>;
}

/** Events cited per answer: enough to check a claim, few enough to read. */
export const CITED_EVENTS = 5;
/** Predictions and anomalies an answer lists. */
export const LISTED_ITEMS = 5;

export const TOOLS = {
  lookupEvents: "lookup_events",
  userActivity: "get_user_activity",
  predict: "predict_next_actions",
  profile: "get_principal_profile",
  anomalies: "list_anomalies",
  catStats: "query_cat_stats",
  dataStatus: "get_data_status",
  principals: "list_principals",
} as const;

/** The next calls to make, or an empty list when the answer can be written. */
export function nextCalls(question: Question, tools: readonly ToolInfo[], done: readonly ToolOutcome[]): PlannedCall[] {
  const has = (name: string) => tools.find((t) => t.name === name);
  const called = (name: string) => done.some((d) => d.name === name);
  const call = (name: string, input: Record<string, unknown>): PlannedCall[] => {
    const tool = has(name);
    return tool && !called(name) ? [{ name, input: fitTo(tool, input) }] : [];
  };
  const timeZone = question.lang === "ja" ? "Asia/Tokyo" : "UTC";

  switch (question.kind) {
    case "activity":
    case "active-hours":
    case "next-actions": {
      if (!question.principal) return done.length === 0 ? call(TOOLS.principals, { limit: 10 }) : [];
      if (!has(TOOLS.profile)) return [];
      if (!called(TOOLS.profile)) {
        return call(TOOLS.profile, { principal: question.principal, timeZone, top: LISTED_ITEMS });
      }
      const profile = done.find((d) => d.name === TOOLS.profile);
      const principal = profile?.ok ? (principalFrom(profile.json) ?? question.principal) : undefined;
      if (!principal) return [];
      const calls: PlannedCall[] = [];
      if (question.kind === "next-actions") calls.push(...call(TOOLS.predict, { principal, top: LISTED_ITEMS }));
      if (question.kind === "activity") {
        calls.push(
          ...call(TOOLS.userActivity, {
            principal,
            timeZone,
            ...(question.since ? { start_time: question.since } : {}),
          }),
        );
      }
      const lookup = has(TOOLS.lookupEvents);
      if (lookup && !called(TOOLS.lookupEvents)) {
        calls.push({ name: TOOLS.lookupEvents, input: lookupByUser(lookup, principal, question.since) });
      }
      return calls;
    }
    case "anomalies":
      return call(TOOLS.anomalies, {
        limit: LISTED_ITEMS,
        ...(question.since ? { since: question.since } : {}),
        ...(question.principal ? { principal: question.principal } : {}),
      });
    case "cat-stats": {
      const tool = has(TOOLS.catStats);
      if (!tool || called(TOOLS.catStats)) return [];
      const key = tool.properties.find((p) => /municipal/i.test(p));
      const code = resolveMunicipality(question.municipality)?.code;
      return [{ name: TOOLS.catStats, input: key && code ? { [key]: code } : {} }];
    }
    case "data-status":
    case "help":
      return has(TOOLS.dataStatus) ? call(TOOLS.dataStatus, {}) : call(TOOLS.principals, { limit: 10 });
  }
}

/** Keeps only the keys the tool's schema has (strict schemas refuse the others). */
export function fitTo(tool: ToolInfo, input: Record<string, unknown>): Record<string, unknown> {
  if (tool.properties.length === 0) return input;
  return Object.fromEntries(Object.entries(input).filter(([key]) => tool.properties.includes(key)));
}

/** lookup_events for one principal's latest events, in whichever parameter form the tool has. */
export function lookupByUser(tool: ToolInfo, principal: string, since?: string): Record<string, unknown> {
  const has = (p: string) => tool.properties.includes(p);
  const input: Record<string, unknown> = {};
  if (has("lookupAttributes")) {
    input.lookupAttributes = [{ attributeKey: "Username", attributeValue: principal }];
    if (since) input.startTime = since;
  } else {
    input.attribute_key = "Username";
    input.attribute_value = principal;
    if (since) input.start_time = since;
  }
  if (has("maxResults")) input.maxResults = CITED_EVENTS;
  else if (has("max_results")) input.max_results = CITED_EVENTS;
  if (has("includeCloudTrailEvent")) input.includeCloudTrailEvent = false;
  return fitTo(tool, input);
}
