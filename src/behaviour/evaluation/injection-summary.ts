import type { InjectionRun } from "./injection.js";

/**
 * Summary of injection runs: per technique, the rank of its most anomalous event (a technique is
 * caught when that event is near the top of the list an analyst reads), and over all techniques the
 * median best rank and the share caught within the top 10 and the top 1% of events.
 */
export interface InjectionSummary {
  techniques: number;
  medianBestRank: number;
  caughtInTop10: number;
  caughtInTop1Percent: number;
  /** Over all injected events: the share ranked within the top 1% of their run. */
  eventsInTop1Percent: number;
  runs: { technique: string; injected: number; total: number; bestRank: number; bestReasons: string[] }[];
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return 0;
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

export function summariseInjection(runs: readonly InjectionRun[]): InjectionSummary {
  const rows = runs.map((run) => ({
    technique: run.technique,
    injected: run.injected,
    total: run.total,
    bestRank: run.ranks[0] ?? run.total,
    bestReasons: run.best?.reasons.map((r) => `${r.kind} ${r.contribution}`) ?? [],
  }));
  const share = (xs: boolean[]) => (xs.length === 0 ? 0 : xs.filter(Boolean).length / xs.length);
  return {
    techniques: rows.length,
    medianBestRank: median(rows.map((r) => r.bestRank)),
    caughtInTop10: share(rows.map((r) => r.bestRank <= 10)),
    caughtInTop1Percent: share(rows.map((r) => r.bestRank <= Math.max(1, Math.ceil(r.total / 100)))),
    eventsInTop1Percent: share(
      runs.flatMap((run) => run.ranks.map((rank) => rank <= Math.max(1, Math.ceil(run.total / 100)))),
    ),
    runs: rows,
  };
}
