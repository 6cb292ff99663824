import { hourOfWeekName } from "../model/activity-time.js";
import type { BehaviourEvent } from "../model/behaviour-event.js";
import type { PrincipalCounts } from "../model/principal-counts.js";
import type { RecentEvent } from "../model/recent-window.js";
import type { SessionStep } from "../model/sessions.js";
import type { AnomalyReason, ReasonKind } from "./anomaly-reason.js";

/**
 * The signals of the anomaly score, each calibrated as bits of surprise against the principal's
 * own history (so a principal with little history, or one that often does new things, scores low):
 * - transition (a call the principal made before): −log2 P(key | session so far) under the
 *   next-action model, beyond a floor of 4 bits (1 in 16) below which a call is ordinary, at most 8;
 * - novelty (a first API call, service, region, source IP, user agent, or principal): a value never
 *   seen has the Witten-Bell probability T/(n+T) of something new, after n observations with T
 *   distinct values; its surprisal is the contribution (at most 10 bits);
 * - off-hours: the hour of the week's share of the principal's active hours against uniform, with
 *   24 pseudo-hours spread evenly (at most 6 bits);
 * - denial burst: −log2 of the binomial chance of at least k denials in the last m calls (10 min) at
 *   the principal's usual denial rate (at most 12 bits);
 * - enumeration: ½ bit per distinct read-only call beyond 9 within 5 minutes, times the share of
 *   them the principal had never made (at most 8 bits).
 */
export const TRANSITION_FLOOR_BITS = 4;
export const TRANSITION_CAP_BITS = 8;
export const ENUMERATION_SPAN_MS = 5 * 60_000;
export const DENIAL_SPAN_MS = 10 * 60_000;

const percent = (p: number) => (p >= 0.01 ? `${(p * 100).toFixed(1)}%` : `${(p * 100).toPrecision(2)}%`);

/** Only for a key the principal has made before; a first call is a novelty (see `novelty`). */
export function transition(event: BehaviourEvent, step: SessionStep, probability: number): AnomalyReason {
  const bits = -Math.log2(probability);
  const after = step.c1 === "^" ? "as the first call of a session" : `after ${step.c1}`;
  return {
    kind: "improbable-transition",
    contribution: Math.min(TRANSITION_CAP_BITS, Math.max(0, bits - TRANSITION_FLOOR_BITS)),
    detail: `${event.eventKey} ${after} has P = ${percent(probability)} (${bits.toFixed(1)} bits)`,
  };
}

export function novelty(
  kind: ReasonKind,
  label: string,
  value: string,
  seen: number,
  distinct: number,
): AnomalyReason | undefined {
  if (seen === 0 || distinct === 0) return undefined;
  const probability = distinct / (seen + distinct);
  return {
    kind,
    contribution: Math.min(10, -Math.log2(probability)),
    detail: `first ${label} ${value} (after ${seen} events with ${distinct} distinct; P(new) = ${percent(probability)})`,
  };
}

export function offHours(activeHoursOfWeek: readonly number[], total: number, how: number): AnomalyReason | undefined {
  const here = activeHoursOfWeek[how] ?? 0;
  const bits = Math.log2((total + 24) / (168 * here + 24));
  if (bits < 1) return undefined;
  return {
    kind: "off-hours",
    contribution: Math.min(6, bits),
    detail: `active ${here} of ${total} active hours at ${hourOfWeekName(how)} UTC`,
  };
}

function binomialTail(k: number, m: number, r: number): number {
  if (k <= 0) return 1;
  let logC = 0;
  let tail = 0;
  for (let i = 0; i <= m; i++) {
    if (i > 0) logC += Math.log(m - i + 1) - Math.log(i);
    if (i >= k) tail += Math.exp(logC + i * Math.log(r) + (m - i) * Math.log(1 - r));
  }
  return Math.min(1, tail);
}

export function denialBurst(
  event: BehaviourEvent,
  recent: readonly RecentEvent[],
  counts: PrincipalCounts | undefined,
): AnomalyReason | undefined {
  const window = recent.filter((e) => e.timeMs >= event.timeMs - DENIAL_SPAN_MS).slice(-199);
  const m = window.length + 1;
  const k = window.filter((e) => e.denied).length + 1;
  const rate = ((counts?.denials ?? 0) + 1) / ((counts?.events ?? 0) + 2);
  const bits = Math.min(12, -Math.log2(binomialTail(k, m, rate)));
  return {
    kind: "access-denied-burst",
    contribution: bits,
    detail: `${k} of the last ${m} calls in 10 min denied (${event.errorCode}); usual denial rate ${percent(rate)}`,
  };
}

export function enumeration(
  event: BehaviourEvent,
  recent: readonly RecentEvent[],
  counts: PrincipalCounts | undefined,
): AnomalyReason | undefined {
  const firstOf = new Map<string, boolean>();
  for (let i = recent.length - 1; i >= 0; i--) {
    const e = recent[i];
    if (!e || e.timeMs < event.timeMs - ENUMERATION_SPAN_MS) break;
    if (!e.readOnly) continue;
    if (e.eventKey === event.eventKey) return undefined;
    firstOf.set(e.eventKey, e.novel);
  }
  firstOf.set(event.eventKey, (counts?.ngrams.unigrams.get(event.eventKey) ?? 0) === 0);
  const distinct = firstOf.size;
  if (distinct < 10) return undefined;
  const novel = [...firstOf.values()].filter(Boolean).length;
  return {
    kind: "enumeration",
    contribution: Math.min(8, 0.5 * (distinct - 9) * (novel / distinct)),
    detail: `${distinct} distinct read-only calls within 5 min, ${novel} never made before by this principal`,
  };
}
