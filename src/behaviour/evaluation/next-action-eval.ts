import { type BehaviourEvent, compareEvents } from "../model/behaviour-event.js";
import type { BehaviourConfig, BehaviourModel } from "../model/behaviour-model.js";
import { predictNextActions } from "../model/next-action.js";
import { SessionTracker } from "../model/sessions.js";
import { trainInMemory } from "../model/train-memory.js";
import { globalMostFrequent, principalBigram, principalMostFrequent, type Ranker } from "./baselines.js";
import { RankingAccumulator, type RankingMetrics, rankOf } from "./metrics.js";

/**
 * Next-action evaluation, pure: each principal's events in time order are split chronologically
 * (the first `trainShare` train, the rest test); one model is trained on every principal's training
 * part; each test event of a principal with at least `minEvents` events is predicted from its real
 * history (the previous keys of its session). Model and baselines see the same counts and contexts.
 */
export interface NextActionOptions {
  trainShare: number;
  minEvents: number;
  config: BehaviourConfig;
}

export const METHODS = [
  "model",
  "model-without-recency",
  "principal-bigram",
  "principal-most-frequent",
  "global-most-frequent",
] as const;
export type Method = (typeof METHODS)[number];

export interface PrincipalResult {
  principal: string;
  events: number;
  trainEvents: number;
  testEvents: number;
  metrics: Record<Method, RankingMetrics>;
}

export interface Split {
  train: BehaviourEvent[];
  /** Test events per eligible principal. */
  test: Map<string, BehaviourEvent[]>;
  sizes: Map<string, number>;
}

export function splitChronologically(events: readonly BehaviourEvent[], options: NextActionOptions): Split {
  const byPrincipal = new Map<string, BehaviourEvent[]>();
  for (const event of [...events].sort(compareEvents)) {
    const list = byPrincipal.get(event.principal) ?? [];
    list.push(event);
    byPrincipal.set(event.principal, list);
  }
  const split: Split = { train: [], test: new Map(), sizes: new Map() };
  for (const [principal, list] of byPrincipal) {
    const cut = Math.floor(list.length * options.trainShare);
    split.train.push(...list.slice(0, cut));
    split.sizes.set(principal, list.length);
    if (list.length >= options.minEvents && cut < list.length) split.test.set(principal, list.slice(cut));
  }
  return split;
}

function modelRanker(model: BehaviourModel, recency: boolean): Ranker {
  return (principal, step) =>
    predictNextActions(model, principal, step.recent, Number.MAX_SAFE_INTEGER, { recency }).map((p) => p.eventKey);
}

export function evaluateNextAction(events: readonly BehaviourEvent[], options: NextActionOptions): PrincipalResult[] {
  const split = splitChronologically(events, options);
  const model = trainInMemory(split.train, options.config);
  const rankers: Record<Method, Ranker> = {
    model: modelRanker(model, true),
    "model-without-recency": modelRanker(model, false),
    "principal-bigram": principalBigram(model),
    "principal-most-frequent": principalMostFrequent(model),
    "global-most-frequent": globalMostFrequent(model),
  };
  const results: PrincipalResult[] = [];
  for (const [principal, test] of split.test) {
    const all = events.filter((e) => e.principal === principal).sort(compareEvents);
    const sessions = new SessionTracker(options.config.sessionGapMs);
    const testIds = new Set(test.map((e) => e.eventId));
    const accumulators = Object.fromEntries(METHODS.map((m) => [m, new RankingAccumulator()])) as Record<
      Method,
      RankingAccumulator
    >;
    for (const event of all) {
      const step = sessions.step(event);
      if (!testIds.has(event.eventId)) continue;
      for (const method of METHODS) {
        accumulators[method].add(rankOf(rankers[method](principal, step), event.eventKey));
      }
    }
    const metrics = Object.fromEntries(METHODS.map((m) => [m, accumulators[m].result()])) as Record<
      Method,
      RankingMetrics
    >;
    const size = split.sizes.get(principal) ?? 0;
    results.push({ principal, events: size, trainEvents: size - test.length, testEvents: test.length, metrics });
  }
  return results.sort((a, b) => b.events - a.events || (a.principal < b.principal ? -1 : 1));
}
