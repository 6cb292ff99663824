/**
 * Pins LabelCounts: exact counts per label, placeholders counted as empty, and the cap — a column
 * with MAX_DISTINCT_LABELS labels is still coded, one more makes it free text.
 */
import { describe, expect, it } from "vitest";
import { LabelCounts, MAX_DISTINCT_LABELS } from "./label-counts.js";

describe("LabelCounts", () => {
  it("counts each label, most frequent first, and keeps placeholders out", () => {
    const c = new LabelCounts();
    for (const v of ["Cat", " Cat ", "Dog", "", "NA", "Kitten", "Cat"]) c.add(v);
    expect(c.entries()).toEqual([
      ["Cat", 3],
      ["Dog", 1],
      ["Kitten", 1],
    ]);
    expect([c.rows, c.empty, c.freeText]).toEqual([7, 2, false]);
  });

  it("stays coded at MAX_DISTINCT_LABELS distinct labels and turns free text one above", () => {
    const c = new LabelCounts();
    for (let i = 0; i < MAX_DISTINCT_LABELS; i++) c.add(`label ${i}`);
    c.add("label 0");
    expect(c.freeText).toBe(false);
    expect(c.labels()).toHaveLength(MAX_DISTINCT_LABELS);
    expect(c.count("label 0")).toBe(2);
    c.add("one too many");
    expect(c.freeText).toBe(true);
    expect(c.entries()).toEqual([]);
    expect(c.rows).toBe(MAX_DISTINCT_LABELS + 2);
  });
});
