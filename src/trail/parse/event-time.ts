/**
 * CloudTrail times → `Date` (UTC). Real records carry ISO 8601 (`2023-07-10T11:42:18Z`) but
 * hand-edited and exported ones also have `2021-06-04 09:59:53.650807`, `2021-05-20 15:53:47Z`,
 * offsets, or epoch numbers. A time without a zone is read as UTC (CloudTrail's own zone), never
 * in the machine's zone. Anything else is rejected rather than guessed.
 */
const ISO_LIKE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$/i;
const CANONICAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

export interface ParsedTime {
  date: Date | undefined;
  /** True when the input was already `YYYY-MM-DDTHH:MM:SS(.fff)Z`. */
  canonical: boolean;
}

export function parseTrailTime(value: unknown): ParsedTime {
  if (typeof value === "number") return { date: fromEpoch(value), canonical: false };
  if (typeof value !== "string") return { date: undefined, canonical: false };
  const text = value.trim();
  const match = ISO_LIKE.exec(text);
  if (!match) return { date: undefined, canonical: false };
  const [, y, mo, d, h = "0", mi = "0", s = "0", frac = "", zone = "Z"] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const ms = Number(frac.padEnd(3, "0").slice(0, 3));
  const utc = Date.UTC(year, month - 1, day, Number(h), Number(mi), Number(s), ms);
  const check = new Date(utc);
  const valid =
    check.getUTCFullYear() === year &&
    check.getUTCMonth() === month - 1 &&
    check.getUTCDate() === day &&
    Number(h) < 24 &&
    Number(mi) < 60 &&
    Number(s) < 61;
  if (!valid) return { date: undefined, canonical: false };
  return { date: new Date(utc - offsetMinutes(zone) * 60_000), canonical: CANONICAL.test(text) };
}

function offsetMinutes(zone: string): number {
  const match = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone);
  if (!match) return 0;
  const [, sign, hh = "0", mm = "0"] = match;
  return (sign === "-" ? -1 : 1) * (Number(hh) * 60 + Number(mm));
}

/** Seconds or milliseconds since the epoch, between 2000 and 2100; otherwise undefined. */
function fromEpoch(value: number): Date | undefined {
  if (!Number.isFinite(value)) return undefined;
  const ms = value > 1e11 ? value : value * 1000;
  return ms >= 946_684_800_000 && ms < 4_102_444_800_000 ? new Date(ms) : undefined;
}
