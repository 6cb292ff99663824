import type { ScoredEvent } from "../anomaly/anomaly-reason.js";
import { AnomalyScorer } from "../anomaly/anomaly-stream.js";
import type { AttackMapping } from "../anomaly/attack-mapping.js";
import { type BehaviourEvent, compareEvents } from "../model/behaviour-event.js";
import { BehaviourModel } from "../model/behaviour-model.js";

/**
 * Injection test, pure: attack events (e.g. a Stratus Red Team detonation) are made to look like a
 * victim principal's (stolen credentials: same principal; `disguise` also gives them the victim's
 * usual source IP, user agent and region, so only behaviour can give them away), shifted in time to
 * start at `atMs`, mixed into benign events, and everything is scored prequentially. The answer is
 * where the injected events rank among all events.
 */
export interface Victim {
  principal: string;
  principalType: string;
  sourceIp: string | null;
  userAgent: string | null;
  userAgentFamily: string | null;
  region: string | null;
}

const mostCommon = (values: (string | null)[]): string | null => {
  const counts = new Map<string, number>();
  for (const v of values) if (v !== null) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0] ?? null;
};

export function victimOf(events: readonly BehaviourEvent[], principal: string): Victim {
  const own = events.filter((e) => e.principal === principal);
  return {
    principal,
    principalType: own[0]?.principalType ?? "IAMUser",
    sourceIp: mostCommon(own.map((e) => e.sourceIp)),
    userAgent: mostCommon(own.map((e) => e.userAgent)),
    userAgentFamily: mostCommon(own.map((e) => e.userAgentFamily)),
    region: mostCommon(own.map((e) => e.region)),
  };
}

export function injectAs(attack: readonly BehaviourEvent[], victim: Victim, atMs: number, disguise: boolean) {
  const sorted = [...attack].sort(compareEvents);
  const offset = atMs - (sorted[0]?.timeMs ?? atMs);
  return sorted.map((e, i) => ({
    ...e,
    eventId: `injected-${String(i).padStart(4, "0")}-${e.eventId}`,
    timeMs: e.timeMs + offset,
    principal: victim.principal,
    principalType: victim.principalType,
    ...(disguise
      ? {
          sourceIp: victim.sourceIp,
          userAgent: victim.userAgent,
          userAgentFamily: victim.userAgentFamily,
          region: victim.region,
        }
      : {}),
  }));
}

export interface InjectionRun {
  technique: string;
  injected: number;
  total: number;
  /** 1-based ranks of the injected events among all events by score (ties count against them). */
  ranks: number[];
  best: ScoredEvent | undefined;
}

export function runInjection(
  benign: readonly BehaviourEvent[],
  injected: readonly BehaviourEvent[],
  technique: string,
  options: { mapping: AttackMapping; sessionGapMs: number },
): InjectionRun {
  const ids = new Set(injected.map((e) => e.eventId));
  const all = [...benign, ...injected].sort(compareEvents);
  const scorer = new AnomalyScorer(new BehaviourModel({ sessionGapMs: options.sessionGapMs }), options.mapping);
  const scored = all.map((e) => scorer.next(e));
  const scores = scored.map((s) => s.score).sort((a, b) => b - a);
  const rankOf = (score: number) => {
    let lo = 0;
    let hi = scores.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((scores[mid] ?? 0) >= score) lo = mid + 1;
      else hi = mid;
    }
    return lo; // events scoring at least as much, itself included
  };
  const mine = scored.filter((s) => ids.has(s.eventID)).sort((a, b) => b.score - a.score);
  return {
    technique,
    injected: mine.length,
    total: scored.length,
    ranks: mine.map((s) => rankOf(s.score)),
    best: mine[0],
  };
}
