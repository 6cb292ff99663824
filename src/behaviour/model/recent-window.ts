/**
 * A principal's recent events (the last few minutes, at most the last 256), for the signals that are
 * about rates rather than single events: bursts of denials and enumeration breadth. Pure data structure.
 */
export interface RecentEvent {
  timeMs: number;
  eventKey: string;
  readOnly: boolean;
  denied: boolean;
  /** The principal had never made this call before it. */
  novel: boolean;
}

/** At most this many recent events are kept (a script can make thousands of calls in minutes). */
export const RECENT_WINDOW_MAX = 256;

export class RecentWindow {
  private readonly events: RecentEvent[] = [];

  constructor(readonly spanMs: number) {}

  push(event: RecentEvent): void {
    this.events.push(event);
    if (this.events.length > 2 * RECENT_WINDOW_MAX) this.events.splice(0, this.events.length - RECENT_WINDOW_MAX);
  }

  /** Events within the span before `timeMs` (inclusive), oldest first; older ones are forgotten. A live view. */
  within(timeMs: number): readonly RecentEvent[] {
    let drop = 0;
    while (drop < this.events.length && (this.events[drop]?.timeMs ?? 0) < timeMs - this.spanMs) drop++;
    if (drop > 0) this.events.splice(0, drop);
    return this.events;
  }
}
