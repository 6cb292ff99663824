/**
 * Pins: the same seed gives identical data and another seed different data; rows are numbered in order;
 * volumes stay under 30,000 records and generation under 1 s; every record is valid (model.ts enums,
 * fiscalYear agrees with its date, each outcome follows its own intake by its days in shelter); strays
 * are the most common intake; kitten intakes in Apr–Aug are more than twice those in Nov–Feb; complaints
 * peak in spring; the strong-TNR municipality (Nagoya) has rising TNR, falling intakes and euthanasia
 * while a municipality without a programme (Osaka) does not; kittens are adopted faster than adults;
 * unknown municipalities and bad ranges are refused.
 */
import { describe, expect, it } from "vitest";
import { fiscalYearOf } from "../cats/fiscal-year.js";
import { COMPLAINT_CATEGORIES, INTAKE_TYPES, OUTCOME_TYPES } from "../cats/model.js";
import { getMunicipality } from "../cats/municipalities.js";
import { CatdataError } from "../errors.js";
import { DEFAULT_DEMO_OPTIONS, type DemoData, generateDemoData } from "./generate.js";

const demo = generateDemoData(DEFAULT_DEMO_OPTIONS);
const STRONG = "231002";
const NONE = "271004";
const years = [2023, 2024, 2025];

const perYear = <T extends { municipality: string; fiscalYear: number }>(
  rows: readonly T[],
  code: string,
  weight: (r: T) => number = () => 1,
) =>
  years.map((y) =>
    rows.filter((r) => r.municipality === code && r.fiscalYear === y).reduce((s, r) => s + weight(r), 0),
  );

const month = (iso: string) => Number(iso.slice(5, 7));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

describe("generateDemoData", () => {
  it("is deterministic for a seed and differs for another seed", () => {
    expect(generateDemoData(DEFAULT_DEMO_OPTIONS)).toEqual(demo);
    const other = generateDemoData({ ...DEFAULT_DEMO_OPTIONS, seed: DEFAULT_DEMO_OPTIONS.seed + 1 });
    expect(other.intakes.length).toBeGreaterThan(0);
    expect(other).not.toEqual(demo);
  });

  it("keeps a municipality's data when others are added", () => {
    const alone = generateDemoData({ ...DEFAULT_DEMO_OPTIONS, municipalities: [STRONG] });
    expect(alone.intakes).toEqual(
      demo.intakes.filter((r) => r.municipality === STRONG).map((r, i) => ({ ...r, sourceRow: i + 1 })),
    );
  });

  it("covers several municipalities with moderate volumes, quickly", () => {
    const started = performance.now();
    const data = generateDemoData({ ...DEFAULT_DEMO_OPTIONS, seed: 99 });
    expect(performance.now() - started).toBeLessThan(1000);
    const total = data.intakes.length + data.outcomes.length + data.tnr.length + data.complaints.length;
    expect(total).toBeLessThan(30_000);
    expect(total).toBeGreaterThan(5_000);
    expect(new Set(data.intakes.map((r) => r.municipality)).size).toBeGreaterThanOrEqual(5);
  });

  it("produces only valid records, numbered in order", () => {
    const startMonth = (code: string) => getMunicipality(code)?.fiscalYearStartMonth ?? Number.NaN;
    const intakes = new Map(demo.intakes.map((r) => [r.animalId, r]));
    const problems: string[] = [];
    const check = (ok: boolean, what: string, record: unknown) => {
      if (!ok) problems.push(`${what}: ${JSON.stringify(record)}`);
    };
    expect(intakes.size).toBe(demo.intakes.length);
    for (const key of ["intakes", "outcomes", "tnr", "complaints"] as const satisfies (keyof DemoData)[]) {
      for (const [i, r] of demo[key].entries())
        check(r.sourceJob === "demo" && r.sourceRow === i + 1, `${key} lineage`, r);
    }
    for (const r of demo.intakes) {
      check(INTAKE_TYPES.includes(r.intakeType), "intake type", r);
      check(["adult", "kitten", "unknown"].includes(r.ageClass), "age class", r);
      check(["male", "female", "unknown"].includes(r.sex), "sex", r);
      check(r.fiscalYear === fiscalYearOf(r.intakeAt, startMonth(r.municipality)), "intake fiscal year", r);
      check(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00$/.test(r.intakeAt), "intake date-time", r);
    }
    for (const r of demo.outcomes) {
      const intake = intakes.get(r.animalId);
      check(OUTCOME_TYPES.includes(r.outcomeType), "outcome type", r);
      check(r.fiscalYear === fiscalYearOf(r.outcomeAt, startMonth(r.municipality)), "outcome fiscal year", r);
      check(intake !== undefined && r.outcomeAt > intake.intakeAt, "outcome after its intake", r);
      const days =
        (Date.parse(`${r.outcomeAt.slice(0, 10)}Z`) - Date.parse(`${intake?.intakeAt.slice(0, 10)}Z`)) / 86_400_000;
      check(r.daysInShelter === days, "days in shelter", r);
      check(r.outcomeAt <= "2026-03-31T23:59:59", "outcome within the demo period", r);
    }
    for (const r of demo.tnr) {
      check(r.count > 0 && ["male", "female"].includes(r.sex), "tnr count and sex", r);
      check(r.fiscalYear === fiscalYearOf(r.operatedOn, startMonth(r.municipality)), "tnr fiscal year", r);
    }
    for (const r of demo.complaints) {
      check((COMPLAINT_CATEGORIES as readonly string[]).includes(r.category), "complaint category", r);
      check(r.fiscalYear === fiscalYearOf(r.receivedOn, startMonth(r.municipality)), "complaint fiscal year", r);
    }
    expect(problems.slice(0, 5)).toEqual([]);
  });

  it("has strays as the most common intake and a kitten season", () => {
    const byType = new Map<string, number>();
    for (const r of demo.intakes) byType.set(r.intakeType, (byType.get(r.intakeType) ?? 0) + 1);
    const sorted = [...byType].sort((a, b) => b[1] - a[1]);
    expect(sorted[0]?.[0]).toBe("stray");
    const kittens = demo.intakes.filter((r) => r.ageClass === "kitten").map((r) => month(r.intakeAt));
    const season = kittens.filter((m) => m >= 4 && m <= 8).length;
    const winter = kittens.filter((m) => m >= 11 || m <= 2).length;
    expect(season).toBeGreaterThan(2 * winter);
  });

  it("has complaints peaking in spring", () => {
    const spring = demo.complaints.filter((r) => [3, 4, 5].includes(month(r.receivedOn))).length;
    const autumn = demo.complaints.filter((r) => [9, 10, 11].includes(month(r.receivedOn))).length;
    expect(spring).toBeGreaterThan(1.3 * autumn);
  });

  it("shows the strong TNR programme's effect and none without one, for several seeds", () => {
    for (const seed of [1, 2, 3, DEFAULT_DEMO_OPTIONS.seed]) {
      const data = generateDemoData({ ...DEFAULT_DEMO_OPTIONS, seed });
      const tnr = perYear(data.tnr, STRONG, (r) => r.count);
      const intakes = perYear(data.intakes, STRONG);
      const euthanasia = perYear(
        data.outcomes.filter((r) => r.outcomeType === "euthanasia"),
        STRONG,
      );
      expect(tnr[1]! > tnr[0]! && tnr[2]! > tnr[1]!, `tnr ${tnr}`).toBe(true);
      expect(intakes[1]! < intakes[0]! && intakes[2]! < intakes[1]!, `intakes ${intakes}`).toBe(true);
      expect(euthanasia[2]!, `euthanasia ${euthanasia}`).toBeLessThan(euthanasia[0]! * 0.6);
      const flatTnr = perYear(data.tnr, NONE, (r) => r.count);
      const flatIntakes = perYear(data.intakes, NONE);
      expect(flatTnr[2]! / flatTnr[0]!).toBeLessThan(1.3);
      expect(flatIntakes[2]! / flatIntakes[0]!).toBeGreaterThan(0.9);
    }
  });

  it("adopts kittens out faster than adults", () => {
    const ageOf = new Map(demo.intakes.map((r) => [r.animalId, r.ageClass]));
    const stay = (age: string) =>
      demo.outcomes
        .filter((r) => r.outcomeType === "adoption" && ageOf.get(r.animalId) === age)
        .map((r) => r.daysInShelter ?? 0);
    expect(median(stay("kitten"))).toBeLessThan(median(stay("adult")));
  });

  it("refuses unknown municipalities and bad year ranges", () => {
    expect(() => generateDemoData({ ...DEFAULT_DEMO_OPTIONS, municipalities: ["999999"] })).toThrow(CatdataError);
    expect(() => generateDemoData({ seed: 1, fromFiscalYear: 2025, toFiscalYear: 2023 })).toThrow(/range/);
  });
});
