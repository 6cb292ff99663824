import { type ActivityProfile, activityProfile } from "./activity-time.js";
import { isIpSource, START } from "./behaviour-event.js";
import type { BehaviourModel } from "./behaviour-model.js";
import type { PrincipalCounts } from "./principal-counts.js";

/**
 * What the model knows about principals, for people and agents: a one-line summary per principal,
 * and a profile (habits: top calls, services, regions, IPs, user agents, transitions, activity
 * time). Pure: model counts in, plain objects out.
 */
export interface PrincipalSummary {
  principal: string;
  principalType: string;
  events: number;
  firstSeen: string;
  lastSeen: string;
  distinctEventKeys: number;
  services: number;
  errorRate: number;
  denials: number;
  topEventKeys: string[];
}

export interface Share {
  value: string;
  count: number;
  share: number;
}

export interface Transition {
  from: string;
  to: string;
  count: number;
  /** Share of `from`'s continuations that went to `to` (maximum likelihood). */
  probability: number;
}

export interface PrincipalProfile extends PrincipalSummary {
  topEvents: Share[];
  topServices: Share[];
  regions: Share[];
  /** Source IP addresses, as shares of all the principal's calls with a source. */
  sourceIps: Share[];
  /** Calls an AWS service made on the principal's behalf, by the service CloudTrail names as the source. */
  viaServices: Share[];
  userAgents: Share[];
  /** The calls that begin its sessions. */
  sessionStarts: Share[];
  /** The most frequent call → next call within a session. */
  topTransitions: Transition[];
  activity: ActivityProfile;
}

function shares(counts: Map<string, number>, top: number, keep: (value: string) => boolean = () => true): Share[] {
  let total = 0;
  for (const n of counts.values()) total += n;
  return [...counts]
    .filter(([value]) => keep(value))
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, top)
    .map(([value, count]) => ({ value, count, share: total === 0 ? 0 : count / total }));
}

export function summarise(principal: string, counts: PrincipalCounts): PrincipalSummary {
  return {
    principal,
    principalType: counts.principalType,
    events: counts.events,
    firstSeen: new Date(counts.firstMs).toISOString(),
    lastSeen: new Date(counts.lastMs).toISOString(),
    distinctEventKeys: counts.ngrams.unigrams.size,
    services: counts.services.size,
    errorRate: counts.events === 0 ? 0 : counts.errors / counts.events,
    denials: counts.denials,
    topEventKeys: shares(counts.ngrams.unigrams, 3).map((s) => s.value),
  };
}

export function listPrincipalSummaries(model: BehaviourModel): PrincipalSummary[] {
  return [...model.principals]
    .map(([id, counts]) => summarise(id, counts))
    .sort((a, b) => b.events - a.events || (a.principal < b.principal ? -1 : 1));
}

export function topTransitions(counts: PrincipalCounts, top: number): Transition[] {
  const rows: Transition[] = [];
  for (const [from, next] of counts.ngrams.bigramRows()) {
    // A session's first call follows the start marker: those are `sessionStarts`, not transitions.
    if (from === START) continue;
    let total = 0;
    for (const n of next.values()) total += n;
    for (const [to, count] of next) rows.push({ from, to, count, probability: count / total });
  }
  return rows.sort((a, b) => b.count - a.count || b.probability - a.probability).slice(0, top);
}

export function sessionStarts(counts: PrincipalCounts, top: number): Share[] {
  for (const [from, next] of counts.ngrams.bigramRows()) if (from === START) return shares(next, top);
  return [];
}

export function principalProfile(
  principal: string,
  counts: PrincipalCounts,
  options: { timeZone: string; now: Date; top?: number; dataEndMs?: number },
): PrincipalProfile {
  const top = options.top ?? 10;
  return {
    ...summarise(principal, counts),
    topEvents: shares(counts.ngrams.unigrams, top),
    topServices: shares(counts.services, top),
    regions: shares(counts.values.region, top),
    sourceIps: shares(counts.values.sourceIp, top, isIpSource),
    viaServices: shares(counts.values.sourceIp, top, (value) => !isIpSource(value)),
    userAgents: shares(counts.values.userAgent, top),
    sessionStarts: sessionStarts(counts, top),
    topTransitions: topTransitions(counts, top),
    activity: activityProfile(counts, {
      timeZone: options.timeZone,
      now: options.now,
      ...(options.dataEndMs === undefined ? {} : { dataEndMs: options.dataEndMs }),
    }),
  };
}
