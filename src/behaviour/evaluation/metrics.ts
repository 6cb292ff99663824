/**
 * Evaluation metrics, pure: top-k accuracy and mean reciprocal rank of ranked predictions, ROC-AUC
 * (Mann-Whitney, ties counted half) and recall at a false-positive-rate budget.
 */
export interface RankingMetrics {
  n: number;
  top1: number;
  top3: number;
  top5: number;
  mrr: number;
}

export class RankingAccumulator {
  private n = 0;
  private hits = [0, 0, 0];
  private reciprocal = 0;

  /** `rank` is 1-based, or undefined when the true key is not in the ranked list at all. */
  add(rank: number | undefined): void {
    this.n += 1;
    if (rank === undefined) return;
    this.reciprocal += 1 / rank;
    if (rank <= 1) this.hits[0] = (this.hits[0] ?? 0) + 1;
    if (rank <= 3) this.hits[1] = (this.hits[1] ?? 0) + 1;
    if (rank <= 5) this.hits[2] = (this.hits[2] ?? 0) + 1;
  }

  result(): RankingMetrics {
    const rate = (x: number) => (this.n === 0 ? 0 : x / this.n);
    const [h1 = 0, h3 = 0, h5 = 0] = this.hits;
    return { n: this.n, top1: rate(h1), top3: rate(h3), top5: rate(h5), mrr: rate(this.reciprocal) };
  }
}

/** 1-based rank of `key` in `ranked`, undefined when absent. */
export function rankOf(ranked: readonly string[], key: string): number | undefined {
  const index = ranked.indexOf(key);
  return index < 0 ? undefined : index + 1;
}

/** ROC-AUC of scores against labels (true = positive); undefined without both classes. */
export function rocAuc(scores: readonly number[], labels: readonly boolean[]): number | undefined {
  const items = scores.map((score, i) => ({ score, positive: labels[i] === true })).sort((a, b) => a.score - b.score);
  const positives = items.filter((x) => x.positive).length;
  const negatives = items.length - positives;
  if (positives === 0 || negatives === 0) return undefined;
  let rankSum = 0;
  for (let i = 0; i < items.length; ) {
    let j = i;
    while (j < items.length && items[j]?.score === items[i]?.score) j++;
    const midRank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) if (items[k]?.positive) rankSum += midRank;
    i = j;
  }
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/**
 * Recall at a false-positive-rate budget: flag every event scoring above the highest threshold
 * that flags no more than `fpr` of the negatives (a tie is flagged as a whole or not at all, so ties
 * never sneak past the budget); recall is the share of positives flagged.
 */
export function recallAtFpr(scores: readonly number[], labels: readonly boolean[], fpr: number): number | undefined {
  const negatives = scores.filter((_, i) => labels[i] !== true).sort((a, b) => b - a);
  const positives = scores.filter((_, i) => labels[i] === true);
  if (negatives.length === 0 || positives.length === 0) return undefined;
  const allowed = Math.floor(fpr * negatives.length);
  // Smallest threshold t with #(negatives >= t) <= allowed: just above the (allowed+1)-th highest negative.
  const blocking = negatives[allowed];
  const flagged = (s: number) => blocking === undefined || s > blocking;
  return positives.filter(flagged).length / positives.length;
}
