/**
 * Pins the evaluation metrics: top-k accuracy and MRR from ranks; ROC-AUC equal to the share of
 * (positive, negative) pairs ranked right, ties counted half; recall at a false-positive budget
 * that never lets tied negatives sneak past it.
 */
import { describe, expect, it } from "vitest";
import { RankingAccumulator, rankOf, recallAtFpr, rocAuc } from "./metrics.js";

describe("ranking metrics", () => {
  it("accumulates top-1/3/5 and MRR", () => {
    const acc = new RankingAccumulator();
    for (const rank of [1, 2, 4, undefined]) acc.add(rank);
    expect(acc.result()).toEqual({ n: 4, top1: 0.25, top3: 0.5, top5: 0.75, mrr: (1 + 0.5 + 0.25) / 4 });
    expect(rankOf(["a", "b", "c"], "c")).toBe(3);
    expect(rankOf(["a"], "z")).toBeUndefined();
  });
});

describe("ROC-AUC and recall at FPR", () => {
  it("counts ranked pairs, ties half", () => {
    expect(rocAuc([3, 2, 1], [true, false, false])).toBe(1);
    expect(rocAuc([1, 2, 3], [true, false, false])).toBe(0);
    expect(rocAuc([2, 2, 1, 3], [true, false, false, true])).toBeCloseTo((1 + 1 + 0.5 + 1) / 4, 12);
    expect(rocAuc([1, 2], [true, true])).toBeUndefined();
  });

  it("flags only above the highest score the budget allows", () => {
    const negatives = Array.from({ length: 200 }, (_, i) => i / 200);
    const scores = [...negatives, 0.999, 0.995, 0.5];
    const labels = [...negatives.map(() => false), true, true, true];
    // 1% of 200 negatives = 2 may be flagged: the threshold sits above the 3rd highest negative (0.985).
    expect(recallAtFpr(scores, labels, 0.01)).toBeCloseTo(2 / 3, 12);
    // Ties: all negatives at the same score as the positives, so none can be flagged.
    expect(recallAtFpr([1, 1, 1, 1], [false, false, true, true], 0.5)).toBe(0);
  });
});
