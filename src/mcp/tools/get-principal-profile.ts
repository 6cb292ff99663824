import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import type { PrincipalProfile } from "../../behaviour/model/principal-profile.js";
import type { McpDeps } from "../mcp-deps.js";
import { DEFAULT_ANSWER_BYTES, MAX_ANSWER_BYTES } from "./answer-budget.js";
import { principalSummarySchema } from "./list-principals.js";
import { readOnlyTool, strictInput } from "./tool-input.js";
import { toolResult } from "./tool-result.js";

/**
 * `get_principal_profile`: one principal's habits and activity time. Read-only. Bounded: each list
 * holds at most `top` items (default DEFAULT_PROFILE_TOP), fewer when the answer would exceed the
 * budget (then `listsCutTo` says how many).
 */
export const GET_PRINCIPAL_PROFILE_TOOL = "get_principal_profile";
export const DEFAULT_PROFILE_TOP = 5;

const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value), "utf8");

const inputSchema = strictInput(GET_PRINCIPAL_PROFILE_TOOL, {
  principal: z
    .string()
    .min(1)
    .max(512)
    .describe("Principal id from list_principals (e.g. iam-user:123456789012/alice), or its last part (alice)"),
  timeZone: z.string().min(1).max(64).optional().describe("IANA time zone of the activity profile (default UTC)"),
  top: z.number().int().min(1).max(50).optional().describe(`How many items per list (default ${DEFAULT_PROFILE_TOP})`),
  maxBytes: z
    .number()
    .int()
    .min(1024)
    .max(MAX_ANSWER_BYTES)
    .optional()
    .describe(`Size budget of the answer in bytes of JSON (default ${DEFAULT_ANSWER_BYTES})`),
});

const share = z.object({ value: z.string(), count: z.number(), share: z.number() });
const outputSchema = {
  ...principalSummarySchema.shape,
  topEvents: z.array(share),
  topServices: z.array(share),
  regions: z.array(share),
  sourceIps: z.array(share).describe("Source IP addresses (calls AWS services made for it are in viaServices)"),
  viaServices: z.array(share).describe("Calls an AWS service made on its behalf, by the service named as source"),
  userAgents: z.array(share),
  sessionStarts: z.array(share).describe("The calls its sessions begin with"),
  topTransitions: z.array(z.object({ from: z.string(), to: z.string(), count: z.number(), probability: z.number() })),
  activity: z.looseObject({
    timeZone: z.string(),
    eventsByHourOfWeek: z.array(z.number()).describe("168 values, Monday 00:00 first, in timeZone"),
    forecastFrom: z.string().describe("Where the forecast week starts"),
    forecastBasis: z
      .enum(["now", "end-of-data"])
      .describe("now, or end-of-data when the loaded events end more than a week before now"),
    nextActiveHours: z.array(z.object({ start: z.string(), local: z.string(), probability: z.number() })),
  }),
  listsCutTo: z.number().optional().describe("Set when the lists were cut to this many items to fit the budget"),
};

const LISTS = [
  "topEvents",
  "topServices",
  "regions",
  "sourceIps",
  "viaServices",
  "userAgents",
  "sessionStarts",
  "topTransitions",
] as const;

const cut = (profile: PrincipalProfile, n: number) => {
  const out: Record<string, unknown> = { ...profile };
  for (const list of LISTS) out[list] = profile[list].slice(0, n);
  return { ...out, activity: { ...profile.activity, nextActiveHours: profile.activity.nextActiveHours.slice(0, n) } };
};

/** The profile with lists of at most `top`, cut further (largest count first) until it fits `budget`. */
export function boundedProfile(profile: PrincipalProfile, top: number, budget: number): Record<string, unknown> {
  let n = top;
  while (n > 1 && bytes(cut(profile, n)) > budget) n -= 1;
  const longest = Math.max(...LISTS.map((list) => profile[list].length), profile.activity.nextActiveHours.length);
  return n < top && n < longest ? { ...cut(profile, n), listsCutTo: n } : cut(profile, n);
}

export function registerGetPrincipalProfileTool(server: McpServer, deps: McpDeps): void {
  server.registerTool(
    GET_PRINCIPAL_PROFILE_TOOL,
    {
      title: "Get a principal's behaviour profile",
      description:
        "What a principal usually does in CloudTrail: top API calls and services, regions, source IPs, user agents, " +
        "most frequent transitions between calls, events by hour of the week (in a time zone) and the hours it is most " +
        "likely to be active next, with probabilities (from now, or from the end of the data when it is old: see " +
        "activity.forecastBasis). Calls AWS services made for it are listed as viaServices, not as source IPs. " +
        "What it did in a time window: get_user_activity.",
      inputSchema,
      outputSchema,
      annotations: readOnlyTool(),
    },
    async ({ principal, timeZone, top, maxBytes }) =>
      toolResult(async () => {
        const n = top ?? DEFAULT_PROFILE_TOP;
        const profile = await deps.behaviour.profile(principal, { ...(timeZone ? { timeZone } : {}), top: n });
        return boundedProfile(profile, n, maxBytes ?? DEFAULT_ANSWER_BYTES);
      }),
  );
}
