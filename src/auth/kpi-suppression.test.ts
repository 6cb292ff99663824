import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { KpiRow } from "../warehouse/warehouse.js";
import { suppressKpiRow } from "./kpi-suppression.js";

const MIN = 5;
const base = (over: Partial<KpiRow>): KpiRow => ({
  municipality: "131041",
  fiscalYear: 2023,
  intakes: 0,
  intakesKitten: 0,
  intakesAdult: 0,
  outcomes: 0,
  liveOutcomes: 0,
  adoptions: 0,
  returnsToOwner: 0,
  transfersOut: 0,
  returnToField: 0,
  euthanasia: 0,
  diedInCare: 0,
  liveReleaseRate: null,
  euthanasiaRate: null,
  medianStayDays: null,
  staysMeasured: 0,
  tnrOperations: 0,
  tnrSubsidy: null,
  complaints: 0,
  ...over,
});

/** A consistent row: parts never exceed their totals. */
const rowArb = fc
  .record({
    kitten: fc.nat(30),
    adult: fc.nat(30),
    unknownAge: fc.nat(8),
    parts: fc.array(fc.nat(12), { minLength: 6, maxLength: 6 }),
    otherOutcomes: fc.nat(6),
    stays: fc.nat(20),
    tnr: fc.nat(10),
    complaints: fc.nat(10),
  })
  .map(({ kitten, adult, unknownAge, parts, otherOutcomes, stays, tnr, complaints }) => {
    const [adoptions, returnsToOwner, transfersOut, returnToField, euthanasia, diedInCare] = parts as [
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    const liveOutcomes = adoptions + returnsToOwner + transfersOut + returnToField;
    const outcomes = liveOutcomes + euthanasia + diedInCare + otherOutcomes;
    return base({
      intakes: kitten + adult + unknownAge,
      intakesKitten: kitten,
      intakesAdult: adult,
      outcomes,
      liveOutcomes,
      adoptions,
      returnsToOwner,
      transfersOut,
      returnToField,
      euthanasia,
      diedInCare,
      liveReleaseRate: outcomes ? liveOutcomes / outcomes : null,
      euthanasiaRate: outcomes ? euthanasia / outcomes : null,
      medianStayDays: stays ? 7 : null,
      staysMeasured: Math.min(stays, outcomes),
      tnrOperations: tnr,
      tnrSubsidy: tnr ? tnr * 1000 : null,
      complaints,
    });
  });

/** Every figure a reader can compute from what is shown (each group's total − its shown parts). */
function recoverable(shown: Record<string, number | null>, total: string, parts: string[], remainder: number) {
  const t = shown[total];
  const known = parts.filter((p) => shown[p] !== null);
  const unknown = parts.filter((p) => shown[p] === null);
  if (t === null || t === undefined) return [];
  // With one unknown cell (a part, or the remainder when every part is shown) the subtraction reveals it.
  if (unknown.length === 0) return [{ figure: "remainder", n: remainder }];
  if (unknown.length === 1 && remainder === 0) {
    const n = t - known.reduce((s, p) => s + (shown[p] as number), 0);
    return [{ figure: unknown[0] as string, n }];
  }
  return [];
}

describe("suppressKpiRow", () => {
  it("never shows, or lets a reader subtract out, a count between 1 and minCell − 1", () => {
    fc.assert(
      fc.property(rowArb, (row) => {
        const out = suppressKpiRow(row, MIN) as unknown as Record<string, number | null>;
        for (const [k, v] of Object.entries(out)) {
          if (
            typeof v === "number" &&
            !["fiscalYear", "liveReleaseRate", "euthanasiaRate", "medianStayDays", "tnrSubsidy"].includes(k)
          ) {
            expect(v === 0 || v >= MIN, `${k}=${v}`).toBe(true);
          }
        }
        const groups: [string, string[], number][] = [
          ["intakes", ["intakesKitten", "intakesAdult"], row.intakes - row.intakesKitten - row.intakesAdult],
          [
            "outcomes",
            ["adoptions", "returnsToOwner", "transfersOut", "returnToField", "euthanasia", "diedInCare"],
            row.outcomes - row.liveOutcomes - row.euthanasia - row.diedInCare,
          ],
        ];
        for (const [total, parts, remainder] of groups) {
          for (const r of recoverable(out, total, parts, remainder)) {
            expect(r.n === 0 || r.n >= MIN, `${total}: ${r.figure}=${r.n} recoverable`).toBe(true);
          }
        }
        // Derived figures only beside the counts they are made of.
        if (out.liveReleaseRate !== null) expect(out.liveOutcomes).not.toBeNull();
        if (out.liveOutcomes !== null)
          for (const p of ["adoptions", "returnsToOwner", "transfersOut", "returnToField"])
            expect(out[p]).not.toBeNull();
        if (out.euthanasiaRate !== null) expect([out.euthanasia, out.outcomes]).not.toContain(null);
        if (out.medianStayDays !== null) expect(row.staysMeasured).toBeGreaterThanOrEqual(MIN);
        if (out.tnrSubsidy !== null) expect(out.tnrOperations).not.toBeNull();
      }),
      { numRuns: 2000 },
    );
  });

  it("shows large figures as they are and lists what it withheld", () => {
    const row = base({
      intakes: 120,
      intakesKitten: 60,
      intakesAdult: 57,
      outcomes: 100,
      liveOutcomes: 80,
      adoptions: 50,
      returnsToOwner: 20,
      transfersOut: 10,
      returnToField: 0,
      euthanasia: 17,
      diedInCare: 3,
      liveReleaseRate: 0.8,
      euthanasiaRate: 0.17,
      medianStayDays: 9,
      staysMeasured: 100,
      tnrOperations: 3,
      tnrSubsidy: 15000,
      complaints: 40,
    });
    const out = suppressKpiRow(row, MIN);
    expect(out).toMatchObject({ intakes: 120, adoptions: 50, returnToField: 0, complaints: 40 });
    // Unknown age 3 (< 5): kitten/adult would give it away, so the smaller one goes too.
    expect(out.intakesAdult).toBeNull();
    expect(out.intakesKitten).toBe(60);
    // Died in care 3: hidden, and with it the smallest other part of outcomes (transfers out 10).
    expect(out.diedInCare).toBeNull();
    expect(out.transfersOut).toBeNull();
    expect(out.liveOutcomes).toBeNull();
    expect(out.liveReleaseRate).toBeNull();
    expect(out.euthanasiaRate).toBe(0.17);
    expect(out.tnrOperations).toBeNull();
    expect(out.tnrSubsidy).toBeNull();
    expect(out.suppressed).toEqual([
      "intakesAdult",
      "liveOutcomes",
      "transfersOut",
      "diedInCare",
      "liveReleaseRate",
      "tnrOperations",
      "tnrSubsidy",
    ]);
  });
});
