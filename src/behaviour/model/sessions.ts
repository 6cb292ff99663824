import { type BehaviourEvent, START } from "./behaviour-event.js";

/**
 * Sessions by inactivity gap, per principal, over events in canonical order: an event more than
 * `gapMs` after the principal's previous event starts a new session. Gives each event its n-gram
 * context (the previous two keys of the same session, START where there are none) — the in-memory
 * reference of the SQL's `LAG … OVER (PARTITION BY principal ORDER BY event_time, event_id)` — and
 * the session's recent keys (for the next-action model's recency level).
 */
export const RECENT_KEYS = 20;

export interface SessionStep {
  c2: string;
  c1: string;
  /** The session's last keys before this event (at most RECENT_KEYS), oldest first. */
  recent: readonly string[];
  /** Session number of this principal, counted from when tracking began (0-based). */
  session: number;
  /** Position of the event in its session, 0-based. */
  position: number;
}

interface Cursor {
  lastMs: number;
  recent: string[];
  session: number;
  position: number;
}

/** The n-gram context at the end of a session's keys. */
export function contextOf(recent: readonly string[]): { c2: string; c1: string } {
  return { c2: recent[recent.length - 2] ?? START, c1: recent[recent.length - 1] ?? START };
}

export class SessionTracker {
  private readonly cursors = new Map<string, Cursor>();

  constructor(readonly gapMs: number) {}

  /** Continues a principal's session from its last keys (e.g. a trained model's tail). */
  seed(principal: string, lastMs: number, recent: readonly string[]): void {
    const keys = recent.filter((key) => key !== START);
    this.cursors.set(principal, { lastMs, recent: keys, session: 0, position: keys.length });
  }

  /** The context of a next event at `timeMs`, without recording it. */
  peek(principal: string, timeMs: number): SessionStep {
    const cursor = this.cursors.get(principal);
    if (!cursor || timeMs - cursor.lastMs > this.gapMs) {
      return { c2: START, c1: START, recent: [], session: cursor ? cursor.session + 1 : 0, position: 0 };
    }
    return { ...contextOf(cursor.recent), recent: cursor.recent, session: cursor.session, position: cursor.position };
  }

  /** Records the event and returns its context. */
  step(event: Pick<BehaviourEvent, "principal" | "timeMs" | "eventKey">): SessionStep {
    const cursor = this.cursors.get(event.principal);
    if (!cursor || event.timeMs - cursor.lastMs > this.gapMs) {
      const session = cursor ? cursor.session + 1 : 0;
      this.cursors.set(event.principal, { lastMs: event.timeMs, recent: [event.eventKey], session, position: 1 });
      return { c2: START, c1: START, recent: [], session, position: 0 };
    }
    const step: SessionStep = {
      ...contextOf(cursor.recent),
      recent: [...cursor.recent],
      session: cursor.session,
      position: cursor.position,
    };
    cursor.lastMs = event.timeMs;
    cursor.recent.push(event.eventKey);
    if (cursor.recent.length > RECENT_KEYS) cursor.recent.shift();
    cursor.position += 1;
    return step;
  }
}
