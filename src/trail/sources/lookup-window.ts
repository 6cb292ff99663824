import { badInput } from "../../errors.js";

/**
 * The time window of a LookupEvents run. CloudTrail keeps 90 days of management events for
 * LookupEvents: an earlier start is moved to now − 90 days, with a notice saying so; no start
 * means the whole 90 days; no end means now.
 */
export const LOOKUP_RETENTION_DAYS = 90;
const DAY_MS = 86_400_000;

export interface LookupWindow {
  startTime: Date;
  endTime: Date;
  notices: string[];
}

function parseTime(value: string, option: string): Date {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw badInput(`${option} must be an ISO 8601 time, not ${JSON.stringify(value)}`);
  return date;
}

export function lookupWindow(start: string | undefined, end: string | undefined, now: Date): LookupWindow {
  const earliest = new Date(now.getTime() - LOOKUP_RETENTION_DAYS * DAY_MS);
  const notices: string[] = [];
  let startTime = start === undefined ? earliest : parseTime(start, "--start");
  const endTime = end === undefined ? now : parseTime(end, "--end");
  if (startTime < earliest) {
    notices.push(
      `LookupEvents keeps ${LOOKUP_RETENTION_DAYS} days: start moved from ${startTime.toISOString()} to ${earliest.toISOString()}` +
        " (load older events from the trail's S3 bucket)",
    );
    startTime = earliest;
  }
  if (startTime >= endTime) {
    throw badInput(
      `the window is empty: start ${startTime.toISOString()} is not before end ${endTime.toISOString()}`,
      `LookupEvents only covers the last ${LOOKUP_RETENTION_DAYS} days`,
    );
  }
  return { startTime, endTime, notices };
}
