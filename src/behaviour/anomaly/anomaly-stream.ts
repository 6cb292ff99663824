import { type BehaviourEvent, isDenial } from "../model/behaviour-event.js";
import type { BehaviourModel } from "../model/behaviour-model.js";
import { RecentWindow } from "../model/recent-window.js";
import { SessionTracker } from "../model/sessions.js";
import type { AnomalyReason, ScoredEvent } from "./anomaly-reason.js";
import { scoreEvent } from "./anomaly-score.js";
import { DENIAL_SPAN_MS } from "./anomaly-signals.js";
import type { AttackMapping } from "./attack-mapping.js";

/**
 * Prequential anomaly scoring: events in canonical order, each scored against the model of what
 * came before it, then learnt (so the model grows as it scores, and a first time counts only once).
 * Starts from any model — empty, or trained on history before the events (continuing its sessions).
 */
export class AnomalyScorer {
  private readonly sessions: SessionTracker;
  private readonly windows = new Map<string, RecentWindow>();

  constructor(
    readonly model: BehaviourModel,
    readonly mapping: AttackMapping,
  ) {
    this.sessions = new SessionTracker(model.config.sessionGapMs);
    for (const [principal, counts] of model.principals) this.sessions.seed(principal, counts.lastMs, counts.tail);
  }

  next(event: BehaviourEvent): ScoredEvent {
    const step = this.sessions.step(event);
    let window = this.windows.get(event.principal);
    if (!window) {
      window = new RecentWindow(DENIAL_SPAN_MS);
      this.windows.set(event.principal, window);
    }
    const recent = window.within(event.timeMs);
    const reasons = scoreEvent({ model: this.model, mapping: this.mapping, step, recent }, event);
    const novel = (this.model.principal(event.principal)?.ngrams.unigrams.get(event.eventKey) ?? 0) === 0;
    this.model.add(event, step.c2, step.c1);
    window.push({
      timeMs: event.timeMs,
      eventKey: event.eventKey,
      readOnly: event.readOnly === true,
      denied: isDenial(event.errorCode),
      novel,
    });
    const score = Math.round(reasons.reduce((sum, r) => sum + r.contribution, 0) * 100) / 100;
    return {
      eventID: event.eventId,
      eventTime: new Date(event.timeMs).toISOString(),
      principal: event.principal,
      eventKey: event.eventKey,
      score,
      reasons,
      session: step.session,
    };
  }
}

/** A session's score: per kind of reason, its strongest contribution in the session, summed. */
export interface SessionScore {
  principal: string;
  session: number;
  start: string;
  end: string;
  events: number;
  score: number;
  reasons: AnomalyReason[];
  /** The session's highest-scoring events, best first (event ids). */
  topEvents: string[];
}

export class SessionScores {
  private readonly open = new Map<string, { summary: SessionScore; scored: ScoredEvent[] }>();

  add(event: ScoredEvent): void {
    const id = `${event.principal}\u0000${event.session}`;
    let entry = this.open.get(id);
    if (!entry) {
      const summary: SessionScore = {
        principal: event.principal,
        session: event.session,
        start: event.eventTime,
        end: event.eventTime,
        events: 0,
        score: 0,
        reasons: [],
        topEvents: [],
      };
      entry = { summary, scored: [] };
      this.open.set(id, entry);
    }
    entry.summary.end = event.eventTime;
    entry.summary.events += 1;
    for (const reason of event.reasons) {
      const index = entry.summary.reasons.findIndex((r) => r.kind === reason.kind);
      const current = entry.summary.reasons[index];
      if (!current) entry.summary.reasons.push(reason);
      else if (reason.contribution > current.contribution) entry.summary.reasons[index] = reason;
    }
    if (event.score > 0) entry.scored = [...entry.scored, event].sort((a, b) => b.score - a.score).slice(0, 5);
  }

  /** Sessions ranked by score, best first. */
  ranked(): SessionScore[] {
    return [...this.open.values()]
      .map(({ summary, scored }) => {
        const reasons = [...summary.reasons].sort((a, b) => b.contribution - a.contribution);
        const score = Math.round(reasons.reduce((s, r) => s + r.contribution, 0) * 100) / 100;
        return { ...summary, reasons, score, topEvents: scored.map((e) => e.eventID) };
      })
      .sort((a, b) => b.score - a.score || (a.start < b.start ? -1 : 1));
  }
}
