import { fiscalYearOf } from "../../cats/fiscal-year.js";
import type { IntakeRecord, OutcomeRecord } from "../../cats/model.js";
import { ageClassOf, parseDate, parseDateTime, ValueError } from "../parse-values.js";
import { headerScore, type MappedRecord, type MappingProfile, type RowContext } from "./profile.js";
import { baseOf, cell, orNull, parseCount, recordsOrReject } from "./row-helpers.js";
import { sonomaIntakeType, sonomaOutcomeType, sonomaSex, sonomaSizeAgeClass, zipOfLocation } from "./sonoma-codes.js";

/**
 * County of Sonoma (CA) animal shelter, one row per stay (`Impound Number`): an intake record and,
 * once the stay has ended, an outcome record. Cats only (`Type` = CAT). FY starts in July.
 */
const HEADERS = [
  "Type",
  "Impound Number",
  "Animal ID",
  "Intake Date",
  "Outcome Date",
  "Days in Shelter",
  "Intake Type",
  "Intake Subtype",
  "Outcome Type",
  "Outcome Subtype",
  "Intake Jurisdiction",
  "Location",
];

const DAY_MS = 86_400_000;
const daysBetween = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS);

function intakeOf(v: Record<string, string>, ctx: RowContext, stayId: string, animalId: string): IntakeRecord {
  const intakeAt = parseDateTime(cell(v, "Intake Date"));
  const type = cell(v, "Intake Type");
  const subtype = cell(v, "Intake Subtype");
  const intakeType = sonomaIntakeType(type, subtype);
  if (!intakeType) throw new ValueError(`intake type ${JSON.stringify(type)} is not known to this profile`);
  const born = orNull(cell(v, "Date Of Birth"));
  // A birth date after the intake is a data-entry slip in an optional field: the age becomes unknown.
  const age = born === null ? null : daysBetween(parseDate(born), intakeAt.slice(0, 10));
  const ageDays = age !== null && age >= 0 ? age : null;
  const ageClass = ageDays !== null ? ageClassOf(ageDays) : sonomaSizeAgeClass(cell(v, "Size"));
  const { sex, altered } = sonomaSex(cell(v, "Sex"));
  return {
    ...baseOf(ctx, fiscalYearOf(intakeAt, ctx.fiscalYearStartMonth)),
    animalId,
    intakeAt,
    intakeType,
    intakeTypeOriginal: type,
    intakeSubtypeOriginal: orNull(subtype),
    condition: orNull(cell(v, "Intake Condition"))?.toLowerCase() ?? null,
    ageDays,
    ageClass,
    sex,
    altered,
    foundLocation: null,
    stayId,
    jurisdiction: orNull(cell(v, "Intake Jurisdiction")),
  };
}

function outcomeOf(v: Record<string, string>, ctx: RowContext, stayId: string, animalId: string): OutcomeRecord {
  const type = cell(v, "Outcome Type");
  const subtype = cell(v, "Outcome Subtype");
  const outcomeType = sonomaOutcomeType(type, subtype);
  if (!outcomeType) throw new ValueError(`outcome type ${JSON.stringify(type)} is not known to this profile`);
  const outcomeAt = parseDateTime(cell(v, "Outcome Date"));
  const days = orNull(cell(v, "Days in Shelter"));
  return {
    ...baseOf(ctx, fiscalYearOf(outcomeAt, ctx.fiscalYearStartMonth)),
    animalId,
    outcomeAt,
    outcomeType,
    outcomeTypeOriginal: type,
    outcomeSubtypeOriginal: orNull(subtype),
    daysInShelter: days === null ? null : parseCount(days, "Days in Shelter"),
    stayId,
    jurisdiction: orNull(cell(v, "Outcome Jurisdiction")),
    area: zipOfLocation(cell(v, "Location")) ?? orNull(cell(v, "Outcome Zip Code")),
  };
}

export const sonomaShelter: MappingProfile = {
  name: "sonoma-shelter",
  description: "County of Sonoma shelter intake+outcome (Impound Number, Intake Date, Outcome Type, … Type=CAT)",
  datasets: ["intakes", "outcomes"],
  defaultMunicipality: "us-ca-sonoma",
  fiscalYearStartMonth: 7,
  match: (headers) => headerScore(headers, HEADERS),
  mapRow(v, ctx) {
    if (cell(v, "Type").toUpperCase() !== "CAT") return { kind: "skip", reason: "not a cat" };
    return recordsOrReject(() => {
      const stayId = cell(v, "Impound Number");
      const animalId = cell(v, "Animal ID");
      if (!stayId) throw new ValueError("Impound Number is empty");
      if (!animalId) throw new ValueError("Animal ID is empty");
      const records: MappedRecord[] = [{ dataset: "intakes", record: intakeOf(v, ctx, stayId, animalId) }];
      const hasType = cell(v, "Outcome Type") !== "";
      const hasDate = cell(v, "Outcome Date") !== "";
      if (hasType !== hasDate) {
        throw new ValueError(hasType ? "Outcome Type is given but Outcome Date is empty" : "Outcome Date has no type");
      }
      if (hasType) records.push({ dataset: "outcomes", record: outcomeOf(v, ctx, stayId, animalId) });
      return records;
    });
  },
  dedupKey: (r) => (r.dataset === "intakes" || r.dataset === "outcomes" ? (r.record.stayId ?? "") : ""),
};
