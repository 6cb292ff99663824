import type { BehaviourModel } from "../model/behaviour-model.js";
import type { Continuations } from "../model/ngram-counts.js";
import type { SessionStep } from "../model/sessions.js";

/**
 * The baselines the next-action model must beat, each a ranking of event keys for a principal after
 * (c2, c1), from the same training counts:
 *   global most-frequent · per-principal most-frequent · per-principal bigram (maximum likelihood
 *   after the previous key of the session; unseen contexts fall back on the principal's most
 *   frequent keys). Each ranking is completed by the next simpler one, so every key gets a rank.
 */
export type Ranker = (principal: string, step: Pick<SessionStep, "c2" | "c1" | "recent">) => string[];

const byCount = (counts: Continuations | undefined): string[] =>
  counts ? [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([key]) => key) : [];

function concatUnique(...lists: string[][]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const list of lists) {
    for (const key of list) {
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(key);
    }
  }
  return out;
}

export function globalMostFrequent(model: BehaviourModel): Ranker {
  const ranked = byCount(model.account.unigrams);
  return () => ranked;
}

export function principalMostFrequent(model: BehaviourModel): Ranker {
  const global = byCount(model.account.unigrams);
  const cache = new Map<string, string[]>();
  return (principal) => {
    let ranked = cache.get(principal);
    if (!ranked) {
      ranked = concatUnique(byCount(model.principal(principal)?.ngrams.unigrams), global);
      cache.set(principal, ranked);
    }
    return ranked;
  };
}

export function principalBigram(model: BehaviourModel): Ranker {
  const fallback = principalMostFrequent(model);
  return (principal, step) => {
    const [, bigram] = model.principal(principal)?.ngrams.evidence(step.c2, step.c1) ?? [];
    return concatUnique(byCount(bigram?.counts), fallback(principal, step));
  };
}
