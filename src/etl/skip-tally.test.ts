import { describe, expect, it } from "vitest";
import { MAX_SKIP_GROUPS, OTHER_LABELS, SKIPPED_BY_SHOWN, SkipTally } from "./skip-tally.js";

describe("SkipTally", () => {
  it("counts rows by reason and label, most frequent first, and lists at most SKIPPED_BY_SHOWN", () => {
    const t = new SkipTally();
    for (let i = 0; i < 30; i++) for (let k = 0; k <= i; k++) t.add("not a cat", `label ${i}`);
    t.add("species not declared", "species not declared", 5);
    const top = t.top();
    expect(top).toHaveLength(SKIPPED_BY_SHOWN);
    expect(top[0]).toEqual({ reason: "not a cat", label: "label 29", rows: 30 });
    expect(t.rowsFor("not a cat")).toBe((30 * 31) / 2);
    expect(t.rowsFor("species not declared")).toBe(5);
  });

  it("keeps MAX_SKIP_GROUPS groups; further labels count under OTHER_LABELS, no row lost", () => {
    const t = new SkipTally();
    for (let i = 0; i < MAX_SKIP_GROUPS + 500; i++) t.add("not a cat", `type ${i}`);
    expect(t.rowsFor("not a cat")).toBe(MAX_SKIP_GROUPS + 500);
    expect(t.top(MAX_SKIP_GROUPS + 10)).toContainEqual({ reason: "not a cat", label: OTHER_LABELS, rows: 500 });
  });
});
