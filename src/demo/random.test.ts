/**
 * Pins: mulberry32 repeats for a seed and differs between seeds, stays in [0, 1) and is roughly uniform;
 * sub-seeds differ by key; weighted picks follow their weights; Poisson draws have the asked mean.
 */
import { describe, expect, it } from "vitest";
import { int, mulberry32, poisson, subSeed, weighted } from "./random.js";

const draws = (seed: number, n: number) => {
  const random = mulberry32(seed);
  return Array.from({ length: n }, () => random());
};

describe("mulberry32", () => {
  it("repeats for a seed and differs for another", () => {
    expect(draws(42, 5)).toEqual(draws(42, 5));
    expect(draws(42, 5)).not.toEqual(draws(43, 5));
  });

  it("stays in [0, 1) with a mean near one half", () => {
    const xs = draws(7, 20_000);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(xs.reduce((a, b) => a + b, 0) / xs.length).toBeCloseTo(0.5, 1);
  });
});

describe("draws", () => {
  it("derives different sub-seeds for different keys", () => {
    expect(subSeed(1, "231002")).not.toBe(subSeed(1, "271004"));
    expect(subSeed(1, "231002")).not.toBe(subSeed(2, "231002"));
    expect(subSeed(1, "231002")).toBe(subSeed(1, "231002"));
  });

  it("picks by weight and draws integers within bounds", () => {
    const random = mulberry32(3);
    const picks = Array.from({ length: 10_000 }, () =>
      weighted(random, [
        ["a", 3],
        ["b", 1],
      ] as const),
    );
    const a = picks.filter((p) => p === "a").length / picks.length;
    expect(a).toBeGreaterThan(0.72);
    expect(a).toBeLessThan(0.78);
    const ints = Array.from({ length: 1000 }, () => int(random, 2, 4));
    expect(new Set(ints)).toEqual(new Set([2, 3, 4]));
  });

  it("draws Poisson counts with the asked mean, small and large", () => {
    const random = mulberry32(11);
    for (const lambda of [3, 25, 120]) {
      const xs = Array.from({ length: 4000 }, () => poisson(random, lambda));
      const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
      expect(Math.abs(mean - lambda) / lambda, `lambda ${lambda}`).toBeLessThan(0.05);
    }
    expect(poisson(random, 0)).toBe(0);
  });
});
