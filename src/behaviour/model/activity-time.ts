import { badInput } from "../../errors.js";
import { HOUR_MS } from "./behaviour-event.js";
import type { PrincipalCounts } from "./principal-counts.js";

/**
 * Activity time: a principal's hour-of-week profile in any time zone (computed from its events
 * per UTC hour, so daylight saving is exact), and the hours it will most likely be active next.
 * P(active in hour-of-week h) = (a_h + base) / (W + 1): a_h the weeks it was active in that hour,
 * W the weeks observed, `base` its average activity rate — one pseudo-week, so a principal seen
 * for one week is not certain of anything. Pure; the clock comes in as `now`.
 *
 * The forecast is for the week after `now` while the trail is current; when the loaded events end
 * more than FORECAST_STALE_AFTER_MS before `now` (a trail of 2018 read today), it is for the week
 * after the data's end instead — the hours of a week nobody has data about say nothing — and the
 * profile says which (`forecastBasis`).
 */
export const FORECAST_STALE_AFTER_MS = 7 * 24 * 3_600_000;

export type ForecastBasis = "now" | "end-of-data";
export interface UpcomingHour {
  /** Start of the hour, ISO 8601 UTC. */
  start: string;
  /** The same hour in the profile's time zone, e.g. `Mon 09:00`. */
  local: string;
  probability: number;
}

export interface ActivityProfile {
  timeZone: string;
  /** Events per hour of the week in the zone, Monday 00:00 first (168 values). */
  eventsByHourOfWeek: number[];
  /** Distinct active hours per hour of the week in the zone (168 values). */
  activeHoursByHourOfWeek: number[];
  weeksObserved: number;
  /** Where the forecast week starts (ISO 8601 UTC) and why there: `now`, or the end of the loaded data. */
  forecastFrom: string;
  forecastBasis: ForecastBasis;
  /** The most likely active hours in the week after `forecastFrom`, most likely first. */
  nextActiveHours: UpcomingHour[];
}

/** Where a forecast starts: `now`, unless the data (ending at `dataEndMs`) is stale by then. */
export function forecastOrigin(nowMs: number, dataEndMs: number): { ms: number; basis: ForecastBasis } {
  return nowMs - dataEndMs > FORECAST_STALE_AFTER_MS
    ? { ms: dataEndMs, basis: "end-of-data" }
    : { ms: nowMs, basis: "now" };
}

const DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const WEEKDAY: Record<string, number> = { Mon: 0, Tue: 1, Wed: 2, Thu: 3, Fri: 4, Sat: 5, Sun: 6 };
/** Hour of the week (Monday 00:00 = 0) of instants in a zone; the formatter is built once per call. */
export function hourOfWeekClock(timeZone: string): (timeMs: number) => number {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat("en-US", { timeZone, weekday: "short", hour: "numeric", hourCycle: "h23" });
  } catch {
    throw badInput(`unknown time zone ${JSON.stringify(timeZone)}`, "use an IANA name such as UTC or Asia/Tokyo");
  }
  return (timeMs) => {
    const parts = format.formatToParts(new Date(timeMs));
    const day = WEEKDAY[parts.find((p) => p.type === "weekday")?.value ?? "Mon"] ?? 0;
    const hour = Number(parts.find((p) => p.type === "hour")?.value ?? 0) % 24;
    return day * 24 + hour;
  };
}

/** Hour of the week (Monday 00:00 = 0) of an instant in a zone. */
export const hourOfWeekIn = (timeMs: number, timeZone: string): number => hourOfWeekClock(timeZone)(timeMs);

export const hourOfWeekName = (how: number): string =>
  `${DAYS[Math.floor(how / 24)] ?? "?"} ${String(how % 24).padStart(2, "0")}:00`;

export function activityProfile(
  counts: PrincipalCounts,
  options: {
    timeZone: string;
    now: Date;
    top?: number;
    /** When the loaded events end (default: this principal's last event). */
    dataEndMs?: number;
  },
): ActivityProfile {
  const hourOfWeek = hourOfWeekClock(options.timeZone);
  const events = new Array<number>(168).fill(0);
  const active = new Array<number>(168).fill(0);
  for (const [hour, n] of counts.hours) {
    const how = hourOfWeek(hour * HOUR_MS);
    events[how] = (events[how] ?? 0) + n;
    active[how] = (active[how] ?? 0) + 1;
  }
  const weeks = Math.max(1, Math.ceil((counts.lastMs - counts.firstMs + HOUR_MS) / (168 * HOUR_MS)));
  const base = counts.hours.size / (168 * weeks);
  const probabilityAt = (how: number) => Math.min(1, ((active[how] ?? 0) + base) / (weeks + 1));
  const origin = forecastOrigin(options.now.getTime(), options.dataEndMs ?? counts.lastMs);
  const first = Math.ceil(origin.ms / HOUR_MS) * HOUR_MS;
  const upcoming: UpcomingHour[] = [];
  for (let i = 0; i < 168; i++) {
    const start = first + i * HOUR_MS;
    const how = hourOfWeek(start);
    upcoming.push({
      start: new Date(start).toISOString(),
      local: hourOfWeekName(how),
      probability: probabilityAt(how),
    });
  }
  upcoming.sort((a, b) => b.probability - a.probability || (a.start < b.start ? -1 : 1));
  return {
    timeZone: options.timeZone,
    eventsByHourOfWeek: events,
    activeHoursByHourOfWeek: active,
    weeksObserved: weeks,
    forecastFrom: new Date(first).toISOString(),
    forecastBasis: origin.basis,
    nextActiveHours: upcoming.slice(0, options.top ?? 5),
  };
}
