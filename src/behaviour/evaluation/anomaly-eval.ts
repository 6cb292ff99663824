import type { ReasonKind, ScoredEvent } from "../anomaly/anomaly-reason.js";
import { REASON_KINDS } from "../anomaly/anomaly-reason.js";
import { AnomalyScorer } from "../anomaly/anomaly-stream.js";
import type { AttackMapping } from "../anomaly/attack-mapping.js";
import type { BehaviourEvent } from "../model/behaviour-event.js";
import { BehaviourModel } from "../model/behaviour-model.js";
import type { Labels } from "./labels.js";
import { recallAtFpr, rocAuc } from "./metrics.js";

/**
 * Anomaly evaluation, pure: every event scored prequentially (against what came before it), then
 * ROC-AUC and recall at 1% false-positive rate over the labelled events; and, per signal, the
 * ROC-AUC of the score without it and of it alone — which signals carry the result.
 */
export interface SignalAblation {
  signal: ReasonKind;
  /** Events where the signal contributed. */
  fires: number;
  rocAucWithout: number | null;
  rocAucAlone: number | null;
}

export interface AnomalyEvaluation {
  labels: {
    file: string;
    column: string;
    positive: string[];
    positives: number;
    negatives: number;
    unlabelled: number;
  };
  rocAuc: number | null;
  recallAt1PctFpr: number | null;
  signals: SignalAblation[];
  topAnomalies: (ScoredEvent & { attack: boolean | null })[];
}

export function scoreAll(
  events: readonly BehaviourEvent[],
  mapping: AttackMapping,
  sessionGapMs: number,
): ScoredEvent[] {
  const scorer = new AnomalyScorer(new BehaviourModel({ sessionGapMs }), mapping);
  return events.map((e) => scorer.next(e));
}

export function evaluateAnomalies(scored: readonly ScoredEvent[], labels: Labels): AnomalyEvaluation {
  const labelled = scored.filter((s) => labels.byEventId.has(s.eventID));
  const truth = labelled.map((s) => labels.byEventId.get(s.eventID) === true);
  const contribution = (s: ScoredEvent, kind: ReasonKind) => s.reasons.find((r) => r.kind === kind)?.contribution ?? 0;
  const orNull = (x: number | undefined) => (x === undefined ? null : x);
  const signals = REASON_KINDS.map((signal) => ({
    signal,
    fires: labelled.filter((s) => contribution(s, signal) > 0).length,
    rocAucWithout: orNull(
      rocAuc(
        labelled.map((s) => s.score - contribution(s, signal)),
        truth,
      ),
    ),
    rocAucAlone: orNull(
      rocAuc(
        labelled.map((s) => contribution(s, signal)),
        truth,
      ),
    ),
  }));
  const positives = truth.filter(Boolean).length;
  return {
    labels: {
      file: labels.file,
      column: labels.column,
      positive: labels.positive,
      positives,
      negatives: truth.length - positives,
      unlabelled: scored.length - labelled.length,
    },
    rocAuc: orNull(
      rocAuc(
        labelled.map((s) => s.score),
        truth,
      ),
    ),
    recallAt1PctFpr: orNull(
      recallAtFpr(
        labelled.map((s) => s.score),
        truth,
        0.01,
      ),
    ),
    signals,
    topAnomalies: [...scored]
      .sort((a, b) => b.score - a.score)
      .slice(0, 10)
      .map((s) => ({
        ...s,
        attack: labels.byEventId.has(s.eventID) ? labels.byEventId.get(s.eventID) === true : null,
      })),
  };
}
