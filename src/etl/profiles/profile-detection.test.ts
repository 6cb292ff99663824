/**
 * Pins profile detection across the real files:
 * - each file in ../shared/data/cats is detected from its headers alone (no --profile)
 * - every other profile scores lower; no other source profile even reaches the 0.75 threshold
 *   (the generic template profiles may: Sonoma's Animal ID / Intake Date / Intake Type are template headers)
 * - the record types and the lake columns (SCHEMAS) name the same fields, dataset by dataset
 */
import { readFileSync } from "node:fs";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import type { Dataset, DatasetRecordMap } from "../../cats/model.js";
import { SCHEMAS } from "../../cats/schema.js";
import { hasSamples, sample } from "../../testing/fixtures.js";
import { detectProfile, PROFILES } from "./index.js";

const FILES: [profile: string, folder: string, file: string][] = [
  ["austin-intakes", "austin-aac-intakes-2013-2020", "Austin_Animal_Center_Intakes.csv"],
  ["sonoma-shelter", "sonoma-county-2013-2019", "Animal_Shelter_Intake_and_Outcome.csv"],
  ["brisbane-complaints", "australia-rspca-brisbane", "brisbane_complaints.csv"],
  ["rspca-outcomes", "australia-rspca-brisbane", "animal_outcomes.csv"],
  ["japan-moe-euthanasia", "japan-moe-national-euthanasia", "euthanasia.csv"],
  ["king-county-lost-found", "king-county-lost-found-2020", "Lost__found__adoptable_pets.csv"],
];

function headersOf(file: string): string[] {
  const firstLines = readFileSync(file).subarray(0, 4096).toString("utf8").split(/\r?\n/)[0] ?? "";
  const [headers] = parse(firstLines, { bom: true }) as string[][];
  return (headers ?? []).map((h) => h.trim());
}

describe.skipIf(!hasSamples)("profile detection on the real files", () => {
  it.each(FILES)("detects %s for %s/%s and no other profile would take it", (name, folder, file) => {
    const headers = headersOf(sample("cats", folder, file));
    const chosen = detectProfile(headers, file);
    expect(chosen.name).toBe(name);
    const others = PROFILES.filter((p) => p !== chosen).map((p) => [p.name, p.match(headers, file)] as const);
    expect(others.filter(([, score]) => score >= chosen.match(headers, file))).toEqual([]);
    const sources = others.filter(([other]) => !other.startsWith("catdata-template-"));
    expect(sources.filter(([, score]) => score >= 0.75)).toEqual([]);
  });
});

/** Every field of every record type, exactly once: the compiler rejects a missing or an extra key. */
const FIELDS: { [D in Dataset]: Record<keyof DatasetRecordMap[D], true> } = {
  intakes: {
    ...{ municipality: true, fiscalYear: true, sourceJob: true, sourceRow: true },
    ...{ animalId: true, intakeAt: true, intakeType: true, intakeTypeOriginal: true, condition: true },
    ...{ ageDays: true, ageClass: true, sex: true, altered: true, foundLocation: true },
    ...{ intakeSubtypeOriginal: true, stayId: true, jurisdiction: true },
  },
  outcomes: {
    ...{ municipality: true, fiscalYear: true, sourceJob: true, sourceRow: true },
    ...{ animalId: true, outcomeAt: true, outcomeType: true, outcomeTypeOriginal: true },
    ...{ outcomeSubtypeOriginal: true, daysInShelter: true, stayId: true, jurisdiction: true, area: true },
  },
  tnr: {
    ...{ municipality: true, fiscalYear: true, sourceJob: true, sourceRow: true },
    ...{ operatedOn: true, area: true, sex: true, count: true, subsidyAmount: true },
  },
  complaints: {
    ...{ municipality: true, fiscalYear: true, sourceJob: true, sourceRow: true },
    ...{ receivedOn: true, periodEnd: true, category: true, area: true, location: true, categoryOriginal: true },
    ...{ species: true, requestId: true },
  },
  aggregates: {
    ...{ municipality: true, fiscalYear: true, sourceJob: true, sourceRow: true },
    ...{ region: true, metric: true, value: true, species: true, outcomeType: true, metricOriginal: true },
  },
  sightings: {
    ...{ municipality: true, fiscalYear: true, sourceJob: true, sourceRow: true },
    ...{ seenAt: true, location: true, note: true, reportType: true, reportTypeOriginal: true },
    ...{ animalId: true, area: true },
  },
};

describe("canonical model and lake schema", () => {
  it.each(Object.keys(FIELDS) as Dataset[])("%s: SCHEMAS has a column for every record field", (dataset) => {
    expect(SCHEMAS[dataset].map((c) => c.field).sort()).toEqual(Object.keys(FIELDS[dataset]).sort());
  });
});
