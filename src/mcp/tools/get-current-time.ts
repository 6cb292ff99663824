import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import { badInput } from "../../errors.js";
import type { McpDeps } from "../mcp-deps.js";
import { eitherSpelling } from "./tool-args.js";
import { strictInput } from "./tool-input.js";
import { toolResult } from "./tool-result.js";

/**
 * `get_current_time`: the server's clock in a time zone (IANA name, default Asia/Tokyo), as ISO 8601
 * with the zone's offset and in UTC — what "yesterday" or "last 3 hours" mean for the user.
 */
export const GET_CURRENT_TIME_TOOL = "get_current_time";
export const DEFAULT_TIME_ZONE = "Asia/Tokyo";

const inputSchema = strictInput(GET_CURRENT_TIME_TOOL, {
  timeZone: z
    .string()
    .min(1)
    .optional()
    .describe(`IANA time zone, e.g. Asia/Tokyo, Europe/London, UTC (default ${DEFAULT_TIME_ZONE})`),
  timezone: z.string().min(1).optional().describe("The reference MCP time server's spelling of timeZone"),
});

const outputSchema = {
  timeZone: z.string(),
  local: z.string().describe("ISO 8601 with the zone's offset, e.g. 2026-12-05T03:15:47+09:00"),
  utc: z.string().describe("ISO 8601 in UTC"),
  offset: z.string(),
  weekday: z.string(),
  epochMs: z.number(),
};

export function registerGetCurrentTimeTool(server: McpServer, deps: McpDeps): void {
  server.registerTool(
    GET_CURRENT_TIME_TOOL,
    {
      title: "Current time",
      description:
        `The current time in a time zone (default ${DEFAULT_TIME_ZONE}), with its UTC offset, and in UTC. ` +
        "CloudTrail times are UTC; use this to turn 'today' or 'last night' into a time window.",
      inputSchema,
      outputSchema,
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    },
    async (args) =>
      toolResult(async () => {
        const zone = eitherSpelling(["timeZone", args.timeZone], ["timezone", args.timezone]);
        return currentTime((deps.now ?? (() => new Date()))(), zone ?? DEFAULT_TIME_ZONE);
      }),
  );
}

export function currentTime(now: Date, timeZone: string) {
  let parts: Intl.DateTimeFormatPart[];
  let zone: string;
  try {
    const format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      weekday: "long",
    });
    parts = format.formatToParts(now);
    zone = format.resolvedOptions().timeZone;
  } catch {
    throw badInput(
      `${JSON.stringify(timeZone)} is not a time zone`,
      "use an IANA name such as Asia/Tokyo, America/New_York or UTC",
    );
  }
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? "";
  const wall = Date.UTC(
    Number(part("year")),
    Number(part("month")) - 1,
    Number(part("day")),
    Number(part("hour")),
    Number(part("minute")),
    Number(part("second")),
  );
  const offsetMinutes = Math.round((wall - Math.floor(now.getTime() / 1000) * 1000) / 60_000);
  const sign = offsetMinutes < 0 ? "-" : "+";
  const abs = Math.abs(offsetMinutes);
  const offset = `${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
  const local = `${part("year")}-${part("month")}-${part("day")}T${part("hour")}:${part("minute")}:${part("second")}${offset}`;
  return {
    timeZone: zone,
    local,
    utc: new Date(Math.floor(now.getTime() / 1000) * 1000).toISOString().replace(".000Z", "Z"),
    offset,
    weekday: part("weekday"),
    epochMs: now.getTime(),
  };
}
