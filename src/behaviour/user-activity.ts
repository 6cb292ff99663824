import { badInput } from "../errors.js";
import { hourOfWeekClock } from "./model/activity-time.js";
import { type BehaviourEvent, HOUR_MS, isDenial, isIpSource, serviceOf } from "./model/behaviour-event.js";
import type { Share } from "./model/principal-profile.js";

/**
 * What one principal did over a time window, from its events (not the model): counts, errors and
 * denials, the services and calls, error codes, source IPs (calls AWS services made for it apart,
 * as `viaServices`), regions, user agents, and when it was active (events per hour of the day in a
 * time zone, and its busiest hours). Each list holds at most `top` items. Pure.
 */
export const DEFAULT_ACTIVITY_WINDOW_MS = 7 * 24 * HOUR_MS;

export interface ActivityWindow {
  start: string;
  end: string;
  /** `requested`, or the last DEFAULT_ACTIVITY_WINDOW_MS of the principal's activity. */
  basis: "requested" | "last-week-of-activity";
}

export interface UserActivity {
  principal: string;
  window: ActivityWindow;
  timeZone: string;
  events: number;
  errors: number;
  denials: number;
  readOnly: number;
  firstEvent: { eventID: string; eventTime: string } | null;
  lastEvent: { eventID: string; eventTime: string } | null;
  services: Share[];
  calls: Share[];
  errorCodes: Share[];
  sourceIps: Share[];
  viaServices: Share[];
  regions: Share[];
  userAgents: Share[];
  /** Events per hour of the day (0–23) in `timeZone`. */
  eventsByHourOfDay: number[];
  /** Distinct clock hours with at least one event. */
  activeHours: number;
  busiestHours: { hour: string; events: number }[];
}

export function activityWindow(
  lastMs: number,
  requested: { startMs?: number | undefined; endMs?: number | undefined },
): { startMs: number; endMs: number; basis: ActivityWindow["basis"] } {
  const endMs = requested.endMs ?? lastMs + 1;
  const startMs = requested.startMs ?? endMs - DEFAULT_ACTIVITY_WINDOW_MS;
  if (startMs >= endMs)
    throw badInput("the window's start is not before its end", "give startTime earlier than endTime (ISO 8601)");
  const basis =
    requested.startMs === undefined && requested.endMs === undefined ? "last-week-of-activity" : "requested";
  return { startMs, endMs, basis };
}

function tally(values: Iterable<string | null>, top: number, total?: number): Share[] {
  const counts = new Map<string, number>();
  let n = 0;
  for (const v of values) {
    if (v === null) continue;
    counts.set(v, (counts.get(v) ?? 0) + 1);
    n += 1;
  }
  const of = total ?? n;
  return [...counts]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, top)
    .map(([value, count]) => ({ value, count, share: of === 0 ? 0 : count / of }));
}

export function userActivity(
  principal: string,
  events: readonly BehaviourEvent[],
  options: { window: ActivityWindow; timeZone: string; top: number },
): UserActivity {
  const { top } = options;
  const hourOfWeek = hourOfWeekClock(options.timeZone);
  const byHourOfDay = new Array<number>(24).fill(0);
  const hours = new Map<number, number>();
  for (const e of events) {
    const h = hourOfWeek(e.timeMs) % 24;
    byHourOfDay[h] = (byHourOfDay[h] ?? 0) + 1;
    const epochHour = Math.floor(e.timeMs / HOUR_MS);
    hours.set(epochHour, (hours.get(epochHour) ?? 0) + 1);
  }
  const withSource = events.filter((e) => e.sourceIp !== null).length;
  const first = events[0];
  const last = events[events.length - 1];
  const stamp = (e: BehaviourEvent | undefined) =>
    e ? { eventID: e.eventId, eventTime: new Date(e.timeMs).toISOString() } : null;
  return {
    principal,
    window: options.window,
    timeZone: options.timeZone,
    events: events.length,
    errors: events.filter((e) => e.errorCode !== null).length,
    denials: events.filter((e) => isDenial(e.errorCode)).length,
    readOnly: events.filter((e) => e.readOnly === true).length,
    firstEvent: stamp(first),
    lastEvent: stamp(last),
    services: tally(
      events.map((e) => serviceOf(e.eventKey)),
      top,
    ),
    calls: tally(
      events.map((e) => e.eventKey),
      top,
    ),
    errorCodes: tally(
      events.map((e) => e.errorCode),
      top,
    ),
    sourceIps: tally(
      events.map((e) => (isIpSource(e.sourceIp) ? e.sourceIp : null)),
      top,
      withSource,
    ),
    viaServices: tally(
      events.map((e) => (e.sourceIp !== null && !isIpSource(e.sourceIp) ? e.sourceIp : null)),
      top,
      withSource,
    ),
    regions: tally(
      events.map((e) => e.region),
      top,
    ),
    userAgents: tally(
      events.map((e) => e.userAgent),
      top,
    ),
    eventsByHourOfDay: byHourOfDay,
    activeHours: hours.size,
    busiestHours: [...hours]
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .slice(0, top)
      .map(([hour, n]) => ({ hour: new Date(hour * HOUR_MS).toISOString(), events: n })),
  };
}
