import { type BehaviourEvent, hourIndex, isDenial, START, serviceOf } from "./behaviour-event.js";
import { NgramCounts } from "./ngram-counts.js";

/**
 * Everything the behaviour models know about one principal, as additive counts: n-grams of event
 * keys, how often each region / source IP / user agent was seen, events per UTC hour, errors and
 * denials, and the high-water mark (time and id of the last event counted) that makes training
 * incremental. `add` is the in-memory reference of what the SQL training computes per event.
 */
export type ValueKind = "region" | "sourceIp" | "userAgent";
export const VALUE_KINDS: readonly ValueKind[] = ["region", "sourceIp", "userAgent"];

/** One SQL batch for one principal, already aggregated. */
export interface PrincipalBatch {
  principalType: string;
  events: number;
  errors: number;
  denials: number;
  firstMs: number;
  lastMs: number;
  lastId: string;
  /** Context of the event after the last one, if it continues the session: [c1 of the last, last key]. */
  tail: [string, string];
  transitions: [string, string, string, number][];
  values: [ValueKind, string, number][];
  hours: [number, number][];
}

/** Hour of the week, Monday 00:00 = 0 … Sunday 23:00 = 167, of an epoch hour (UTC). */
export const hourOfWeekUtc = (hour: number): number => (((Math.floor(hour / 24) + 3) % 7) * 24 + (hour % 24)) % 168;

export class PrincipalCounts {
  principalType = "Unknown";
  events = 0;
  errors = 0;
  denials = 0;
  firstMs = Number.POSITIVE_INFINITY;
  lastMs = Number.NEGATIVE_INFINITY;
  lastId = "";
  tail: [string, string] = [START, START];
  readonly ngrams = new NgramCounts();
  readonly services = new Map<string, number>();
  readonly values: Record<ValueKind, Map<string, number>> = {
    region: new Map(),
    sourceIp: new Map(),
    userAgent: new Map(),
  };
  /** Observations per value kind (events with a value), kept for the novelty signals. */
  readonly valueTotals: Record<ValueKind, number> = { region: 0, sourceIp: 0, userAgent: 0 };
  /** Events per epoch hour (UTC). */
  readonly hours = new Map<number, number>();
  /** Distinct active epoch hours per UTC hour of the week. */
  readonly activeHoursOfWeek: number[] = new Array(168).fill(0);

  /** Counts one event (after every event counted so) whose context (previous two keys in its session, or START) is c2 c1. */
  add(event: BehaviourEvent, c2: string, c1: string): void {
    this.principalType = event.principalType;
    this.events += 1;
    if (event.errorCode !== null) this.errors += 1;
    if (isDenial(event.errorCode)) this.denials += 1;
    this.firstMs = Math.min(this.firstMs, event.timeMs);
    this.lastMs = event.timeMs;
    this.lastId = event.eventId;
    this.tail = [c1, event.eventKey];
    this.countTransition(c2, c1, event.eventKey, 1);
    for (const kind of VALUE_KINDS) {
      const value = event[kind];
      if (value !== null) this.countValue(kind, value, 1);
    }
    this.countHour(hourIndex(event.timeMs), 1);
  }

  private countTransition(c2: string, c1: string, next: string, n: number): void {
    this.ngrams.add(c2, c1, next, n);
    const service = serviceOf(next);
    this.services.set(service, (this.services.get(service) ?? 0) + n);
  }

  private countValue(kind: ValueKind, value: string, n: number): void {
    this.values[kind].set(value, (this.values[kind].get(value) ?? 0) + n);
    this.valueTotals[kind] += n;
  }

  private countHour(hour: number, n: number): void {
    const before = this.hours.get(hour) ?? 0;
    if (before === 0) {
      const how = hourOfWeekUtc(hour);
      this.activeHoursOfWeek[how] = (this.activeHoursOfWeek[how] ?? 0) + 1;
    }
    this.hours.set(hour, before + n);
  }

  /** Adds a batch of later events (all after the high-water mark). */
  addBatch(batch: PrincipalBatch): void {
    this.principalType = batch.principalType;
    this.events += batch.events;
    this.errors += batch.errors;
    this.denials += batch.denials;
    this.firstMs = Math.min(this.firstMs, batch.firstMs);
    this.lastMs = batch.lastMs;
    this.lastId = batch.lastId;
    this.tail = batch.tail;
    for (const [c2, c1, next, n] of batch.transitions) {
      this.ngrams.add(c2, c1, next, n);
      const service = serviceOf(next);
      this.services.set(service, (this.services.get(service) ?? 0) + n);
    }
    for (const [kind, value, n] of batch.values) {
      this.values[kind].set(value, (this.values[kind].get(value) ?? 0) + n);
      this.valueTotals[kind] += n;
    }
    for (const [hour, n] of batch.hours) {
      const before = this.hours.get(hour) ?? 0;
      if (before === 0)
        this.activeHoursOfWeek[hourOfWeekUtc(hour)] = (this.activeHoursOfWeek[hourOfWeekUtc(hour)] ?? 0) + 1;
      this.hours.set(hour, before + n);
    }
  }

  /** The whole state as one batch (what the model file stores). */
  toBatch(): PrincipalBatch {
    return {
      principalType: this.principalType,
      events: this.events,
      errors: this.errors,
      denials: this.denials,
      firstMs: this.firstMs,
      lastMs: this.lastMs,
      lastId: this.lastId,
      tail: this.tail,
      transitions: [...this.ngrams.entries()],
      values: VALUE_KINDS.flatMap((kind) =>
        [...this.values[kind]].map(([v, n]): [ValueKind, string, number] => [kind, v, n]),
      ),
      hours: [...this.hours],
    };
  }

  /** True when the event comes after the high-water mark (in the canonical order). */
  isAfterMark(event: Pick<BehaviourEvent, "timeMs" | "eventId">): boolean {
    return event.timeMs > this.lastMs || (event.timeMs === this.lastMs && event.eventId > this.lastId);
  }
}
