import { fiscalYearOf } from "../../cats/fiscal-year.js";
import type { IntakeType } from "../../cats/model.js";
import { ageClassOf, parseAgeDays, parseDateTime, parseSexAltered, ValueError } from "../parse-values.js";
import { headerScore, type MappingProfile } from "./profile.js";

/** Austin Animal Center intakes (City of Austin open data, classic schema). FY starts in October. */
const INTAKE_TYPES: Record<string, IntakeType> = {
  stray: "stray",
  "owner surrender": "owner_surrender",
  "public assist": "other",
  "euthanasia request": "owner_surrender",
  abandoned: "stray",
  wildlife: "other",
};

const HEADERS = [
  "Animal ID",
  "DateTime",
  "Intake Type",
  "Intake Condition",
  "Animal Type",
  "Sex upon Intake",
  "Age upon Intake",
];

export const austinIntakes: MappingProfile = {
  name: "austin-intakes",
  description: "Austin Animal Center intakes (Animal ID, DateTime, Intake Type, … Animal Type=Cat)",
  datasets: ["intakes"],
  defaultMunicipality: "us-tx-austin",
  fiscalYearStartMonth: 10,
  match: (headers) => headerScore(headers, HEADERS),
  mapRow(v, ctx) {
    if ((v["Animal Type"] ?? "").trim().toLowerCase() !== "cat") return { kind: "skip", reason: "not a cat" };
    try {
      const intakeAt = parseDateTime(v.DateTime ?? "");
      const ageDays = parseAgeDays(v["Age upon Intake"] ?? "");
      const original = (v["Intake Type"] ?? "").trim();
      const intakeType = INTAKE_TYPES[original.toLowerCase()];
      if (!intakeType) throw new ValueError(`intake type ${JSON.stringify(original)} is not known to this profile`);
      const animalId = (v["Animal ID"] ?? "").trim();
      if (!animalId) throw new ValueError("Animal ID is empty");
      return {
        kind: "records",
        records: [
          {
            dataset: "intakes",
            record: {
              municipality: ctx.municipality,
              fiscalYear: fiscalYearOf(intakeAt, ctx.fiscalYearStartMonth),
              sourceJob: ctx.jobId,
              sourceRow: ctx.row,
              animalId,
              intakeAt,
              intakeType,
              intakeTypeOriginal: original,
              condition: (v["Intake Condition"] ?? "").trim().toLowerCase() || null,
              ageDays,
              ageClass: ageClassOf(ageDays),
              ...parseSexAltered(v["Sex upon Intake"] ?? ""),
              foundLocation: (v["Found Location"] ?? "").trim() || null,
            },
          },
        ],
      };
    } catch (error) {
      if (error instanceof ValueError) return { kind: "reject", reason: error.message };
      throw error;
    }
  },
  dedupKey: (r) => (r.dataset === "intakes" ? `${r.record.animalId}|${r.record.intakeAt}` : ""),
};
