/**
 * Pins DaysColumnCheck: a days-in-shelter column that agrees with (outcome − intake) is trusted;
 * one that disagrees in more than DOUBTFUL_SHARE of the rows is flagged with the share; without an
 * outcome date, a count that always lands on the same day (the export date) is flagged; fewer than
 * MIN_CHECKED_ROWS rows prove nothing.
 */
import { describe, expect, it } from "vitest";
import { DaysColumnCheck, MIN_CHECKED_ROWS } from "./doubtful-columns.js";

const iso = (day: number) => new Date(Date.UTC(2025, 9, 1) + day * 86_400_000).toISOString().slice(0, 10);

function check(rows: { intake: number; outcome?: number; days: number }[]) {
  const headers = ["Intake Date", ...(rows[0]?.outcome === undefined ? [] : ["Outcome Date"]), "Days in Shelter"];
  const c = new DaysColumnCheck(headers);
  for (const r of rows)
    c.add({
      "Intake Date": iso(r.intake),
      ...(r.outcome === undefined ? {} : { "Outcome Date": iso(r.outcome) }),
      "Days in Shelter": String(r.days),
    });
  return c.result();
}

describe("DaysColumnCheck", () => {
  const n = 40;
  it("trusts a column that agrees with the dates, and flags one that disagrees in 25% of rows", () => {
    const ok = Array.from({ length: n }, (_, i) => ({ intake: i, outcome: i + (i % 7), days: i % 7 }));
    expect(check(ok)).toEqual([]);
    const bad = ok.map((r, i) => (i % 4 === 0 ? { ...r, days: r.days + 30 } : r));
    expect(check(bad)).toEqual([
      {
        column: "Days in Shelter",
        field: "daysInShelter",
        share: 0.25,
        checkedRows: n,
        reason:
          "column Days in Shelter disagrees with the dates (Outcome Date − Intake Date) in 25% of rows; not mapped",
      },
    ]);
  });

  it("flags days counted to one same day when there is no outcome date, and needs MIN_CHECKED_ROWS rows", () => {
    const toExport = Array.from({ length: n }, (_, i) => ({ intake: i, days: 100 - i }));
    expect(check(toExport)[0]?.reason).toBe(
      `column Days in Shelter counts days up to ${iso(100)} (the export date?) in 100% of rows, not to the outcome; not mapped`,
    );
    expect(check(toExport.slice(0, MIN_CHECKED_ROWS - 1))).toEqual([]);
    expect(check(toExport.slice(0, MIN_CHECKED_ROWS))).toHaveLength(1);
  });
});
