/**
 * Pins minimum-cell suppression (k = 5):
 * - a cell below k is suppressed (n: null, suppressed: true); cells the caller may see exactly never are
 * - complementary: a cell whose group-rest is 1..k−1 is suppressed too (total − cell would reveal the rest)
 * - secondary: a group with exactly one suppressed cell loses its smallest visible cell as well
 * - a group of one cell at or above k stays visible
 * - aggregates across municipalities take whole months only
 */
import { describe, expect, it } from "vitest";
import { assertWholeMonths, suppressSmallCells } from "./suppression.js";

type Cell = { m: string; month: string; type: string; n: number };
const run = (cells: Cell[], exactFor: string[] = []) =>
  suppressSmallCells(cells, {
    minCell: 5,
    exact: (r) => exactFor.includes(r.m),
    group: (r) => `${r.m}|${r.month}`,
  }).map((r) => `${r.m}/${r.month}/${r.type}=${r.suppressed ? "*" : r.n}`);
const cell = (m: string, month: string, type: string, n: number): Cell => ({ m, month, type, n });

describe("suppressSmallCells", () => {
  it("suppresses cells below k except where the caller sees exact counts", () => {
    const cells = [cell("a", "01", "stray", 25), cell("b", "01", "stray", 3)];
    expect(run(cells)).toEqual(["a/01/stray=25", "b/01/stray=*"]);
    expect(run(cells, ["b"])).toEqual(["a/01/stray=25", "b/01/stray=3"]);
  });

  it("suppresses a cell whose group-rest is small (complementary)", () => {
    const cells = [cell("a", "02", "stray", 6), cell("a", "02", "owner", 1)];
    expect(run(cells)).toEqual(["a/02/stray=*", "a/02/owner=*"]);
  });

  it("suppresses the smallest visible cell when only one is suppressed (secondary)", () => {
    const cells = [cell("a", "04", "stray", 9), cell("a", "04", "owner", 6), cell("a", "04", "other", 2)];
    expect(run(cells)).toEqual(["a/04/stray=9", "a/04/owner=*", "a/04/other=*"]);
  });

  it("keeps large cells and single-cell groups at k", () => {
    const cells = [cell("a", "03", "stray", 7), cell("a", "03", "owner", 6), cell("b", "03", "stray", 5)];
    expect(run(cells)).toEqual(["a/03/stray=7", "a/03/owner=6", "b/03/stray=5"]);
  });
});

describe("assertWholeMonths", () => {
  it("accepts month starts and refuses other days with a hint", () => {
    expect(() => assertWholeMonths({ from: "2019-01-01", to: "2019-03-01" })).not.toThrow();
    expect(() => assertWholeMonths({ from: "2019-01-15" })).toThrow(
      /from=2019-01-15: aggregates across municipalities take whole months/,
    );
  });
});
