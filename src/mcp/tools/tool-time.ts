import { badInput } from "../../errors.js";
import { parseTrailTime } from "../../trail/parse/event-time.js";

/**
 * Times as a model writes them: ISO 8601 (`2023-07-10T11:00:00Z`, a date alone is its UTC midnight)
 * or relative to the server's clock, as the AWS Labs CloudTrail MCP server takes them: "now",
 * "<n> <unit> ago" (second, minute, hour, day, week; month = 30 days, year = 365 days), "today"
 * (UTC midnight) and "yesterday" (the UTC midnight before). Pure: the clock is passed in.
 */
const UNIT_MS: Record<string, number> = {
  second: 1_000,
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
  week: 7 * 86_400_000,
  month: 30 * 86_400_000,
  year: 365 * 86_400_000,
};
const RELATIVE = /^(\d+)\s*(second|minute|hour|day|week|month|year)s?\s+ago$/i;

export const TIME_HELP =
  'ISO 8601 (e.g. 2023-07-10T11:00:00Z) or relative: "now", "3 hours ago", "2 days ago", "yesterday"';

export function parseToolTime(value: string, name: string, now: Date): Date {
  const text = value.trim().toLowerCase();
  const utcMidnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  if (text === "now") return new Date(now.getTime());
  if (text === "today") return new Date(utcMidnight);
  if (text === "yesterday") return new Date(utcMidnight - UNIT_MS.day!);
  const relative = RELATIVE.exec(text);
  if (relative) return new Date(now.getTime() - Number(relative[1]) * UNIT_MS[relative[2]!.toLowerCase()]!);
  const parsed = parseTrailTime(value).date;
  if (parsed && !Number.isNaN(parsed.getTime())) return parsed;
  throw badInput(`${name} ${JSON.stringify(value)} is not a time`, `use ${TIME_HELP}`);
}
