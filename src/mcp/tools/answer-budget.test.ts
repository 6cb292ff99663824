import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_ANSWER_BYTES, fitToBudget } from "./answer-budget.js";

const size = (v: unknown) => Buffer.byteLength(JSON.stringify(v), "utf8");

describe("fitToBudget", () => {
  it("keeps the longest prefix whose answer fits the budget", () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ maxLength: 300 }), { maxLength: 200 }),
        fc.integer({ min: 20, max: 4000 }),
        (items, budget) => {
          const wrap = (xs: string[]) => ({ events: xs, note: "x" });
          const { items: kept, cut } = fitToBudget(items, wrap, budget);
          expect(kept).toEqual(items.slice(0, kept.length));
          expect(cut).toBe(items.length - kept.length);
          if (kept.length > 0 || size(wrap([])) <= budget) expect(size(wrap(kept))).toBeLessThanOrEqual(budget);
          if (cut > 0) expect(size(wrap(items.slice(0, kept.length + 1)))).toBeGreaterThan(budget);
        },
      ),
    );
  });

  it("defaults to 8 KB, counting UTF-8 bytes (Japanese text is 3 bytes a character)", () => {
    const items = Array.from({ length: 100 }, () => "猫".repeat(100));
    const { items: kept } = fitToBudget(items, (xs) => xs);
    expect(size(kept)).toBeLessThanOrEqual(DEFAULT_ANSWER_BYTES);
    expect(size(items.slice(0, kept.length + 1))).toBeGreaterThan(DEFAULT_ANSWER_BYTES);
  });
});
