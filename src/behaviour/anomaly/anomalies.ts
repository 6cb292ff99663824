import { badInput } from "../../errors.js";
import type { TrailLake } from "../../trail/lake/trail-lake.js";
import { DEFAULT_SESSION_GAP_MS } from "../model/behaviour-event.js";
import { BehaviourModel } from "../model/behaviour-model.js";
import { readLakeEvents } from "../model/lake-events.js";
import { trainUntil } from "../model/train.js";
import { resolvePrincipal } from "../resolve-principal.js";
import type { ScoredEvent } from "./anomaly-reason.js";
import { AnomalyScorer, type SessionScore, SessionScores } from "./anomaly-stream.js";
import type { AttackMapping } from "./attack-mapping.js";

/**
 * `anomalies`: the lake's events from `since` on (default: all), each scored against everything
 * before it — the counts of earlier events come from the training SQL (`trainUntil`), then the
 * scan learns as it goes — ranked by score, with the sessions ranked the same way.
 */
export interface AnomalyQuery {
  /** ISO 8601; only events at or after it are scored (earlier ones are history). */
  since?: string;
  limit?: number;
  principal?: string;
  /** Only events scoring at least this much. */
  minScore?: number;
  sessionGapMs?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface AnomalyReport {
  since: string | null;
  scanned: number;
  anomalies: ScoredEvent[];
  sessions: SessionScore[];
  attackMapping: string;
}

export function parseSince(since: string | undefined): number | undefined {
  if (since === undefined) return undefined;
  const ms = Date.parse(since);
  if (Number.isNaN(ms))
    throw badInput(`since ${JSON.stringify(since)} is not a time`, "use ISO 8601, e.g. 2023-07-10T11:00:00Z");
  return ms;
}

/** Best first; ties by time, then event id, so the ranking (and a page of it) is the same every time. */
const byScore = (a: ScoredEvent, b: ScoredEvent) =>
  b.score - a.score ||
  (a.eventTime < b.eventTime ? -1 : a.eventTime > b.eventTime ? 1 : 0) ||
  (a.eventID < b.eventID ? -1 : a.eventID > b.eventID ? 1 : 0);

export async function listAnomalies(
  deps: { trail: TrailLake; mapping: AttackMapping },
  query: AnomalyQuery = {},
): Promise<AnomalyReport> {
  const sinceMs = parseSince(query.since);
  const gap = query.sessionGapMs ?? DEFAULT_SESSION_GAP_MS;
  const limit = query.limit ?? 50;
  const model =
    sinceMs === undefined ? new BehaviourModel({ sessionGapMs: gap }) : await trainUntil(deps.trail, sinceMs, gap);
  const events = await readLakeEvents(deps.trail, sinceMs === undefined ? {} : { sinceMs });
  const only =
    query.principal === undefined
      ? undefined
      : resolvePrincipal(new Set([...model.principals.keys(), ...events.map((e) => e.principal)]), query.principal);
  const scorer = new AnomalyScorer(model, deps.mapping);
  const sessions = new SessionScores();
  let kept: ScoredEvent[] = [];
  for (const [i, event] of events.entries()) {
    if (i % 1000 === 0) query.onProgress?.(i, events.length);
    const scored = scorer.next(event);
    if (only !== undefined && event.principal !== only) continue;
    sessions.add(scored);
    if (scored.score <= 0 || scored.score < (query.minScore ?? 0)) continue;
    kept.push(scored);
    if (kept.length > 4 * limit + 1000) kept = kept.sort(byScore).slice(0, limit);
  }
  query.onProgress?.(events.length, events.length);
  return {
    since: sinceMs === undefined ? null : new Date(sinceMs).toISOString(),
    scanned: events.length,
    anomalies: kept.sort(byScore).slice(0, limit),
    sessions: sessions.ranked().slice(0, limit),
    attackMapping: scorer.mapping.source,
  };
}
