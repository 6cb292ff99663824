import type { BehaviourModel } from "./behaviour-model.js";
import type { Evidence } from "./ngram-counts.js";
import { contextOf, RECENT_KEYS } from "./sessions.js";

/**
 * Next-action model: interpolated Witten-Bell over a chain of evidence, most specific first:
 *   p's trigram → p's bigram → the session's last 20 keys (recency) → p's unigram
 *   → group's trigram → bigram → unigram → account's trigram → bigram → unigram → uniform,
 * each level mixing its own estimate with the level below:
 *   P_i(w) = (c_i(w) + T_i · P_{i+1}(w)) / (c_i + T_i)
 * with c_i how often the context was seen at that level and T_i how many different keys followed
 * it. A context always followed by the same key (a script) trusts itself; one followed by many
 * different keys (a person exploring) leans on the levels below. Witten-Bell rather than
 * Kneser-Ney because it needs no discount to tune and stays well defined for any chain of
 * populations (principal → group → account) and for the recency level; the uniform floor gives
 * keys never seen a share, so a ranked list of known keys sums to at most 1. The recency level is
 * a dynamic unigram: contexts the principal has seen decide first, and when they are thin the
 * session's own recent calls come before its all-time habits (measured: docs/behaviour.md).
 */
export interface Prediction {
  eventKey: string;
  probability: number;
}

function recencyEvidence(recent: readonly string[]): Evidence | undefined {
  const keys = recent.slice(-RECENT_KEYS);
  if (keys.length === 0) return undefined;
  const counts = new Map<string, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return { counts, total: keys.length };
}

export interface ChainOptions {
  /** Include the recency level (default true; false is the plain n-gram, for ablation). */
  recency?: boolean;
}

/** The levels of evidence for a principal after its session's keys `recent` (oldest first). */
export function evidenceChain(
  model: BehaviourModel,
  principal: string,
  recent: readonly string[],
  options: ChainOptions = {},
): Evidence[] {
  const { c2, c1 } = contextOf(recent);
  const own = model.principal(principal)?.ngrams.evidence(c2, c1) ?? [];
  const group = model.group(principal)?.evidence(c2, c1) ?? [];
  const account = model.account.evidence(c2, c1);
  const recency = options.recency === false ? undefined : recencyEvidence(recent);
  const [tri, bi, uni] = own;
  return [tri, bi, recency, uni, ...group, ...account].filter((e): e is Evidence => e !== undefined && e.total > 0);
}

/** Interpolated probability of `key` under a chain, with a uniform floor over `vocabulary + 1` keys. */
export function chainProbability(chain: readonly Evidence[], key: string, vocabulary: number): number {
  let p = 1 / (vocabulary + 1);
  for (let i = chain.length - 1; i >= 0; i--) {
    const level = chain[i];
    if (!level) continue;
    const distinct = level.counts.size;
    p = ((level.counts.get(key) ?? 0) + distinct * p) / (level.total + distinct);
  }
  return p;
}

const vocabularyOf = (model: BehaviourModel, recent: readonly string[]) =>
  model.account.unigrams.size + new Set(recent.filter((k) => !model.account.unigrams.has(k))).size;

export function nextActionProbability(
  model: BehaviourModel,
  principal: string,
  recent: readonly string[],
  key: string,
): number {
  return chainProbability(evidenceChain(model, principal, recent), key, vocabularyOf(model, recent));
}

/** The `top` most likely next keys, best first (ties by key), with their probabilities. */
export function predictNextActions(
  model: BehaviourModel,
  principal: string,
  recent: readonly string[],
  top: number,
  options: ChainOptions = {},
): Prediction[] {
  const chain = evidenceChain(model, principal, recent, options);
  const vocabulary = vocabularyOf(model, recent);
  const candidates = new Set([...model.account.unigrams.keys(), ...recent]);
  const ranked: Prediction[] = [];
  for (const key of candidates) ranked.push({ eventKey: key, probability: chainProbability(chain, key, vocabulary) });
  ranked.sort((a, b) => b.probability - a.probability || (a.eventKey < b.eventKey ? -1 : 1));
  return ranked.slice(0, top);
}
