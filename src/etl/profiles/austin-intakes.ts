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

/** Austin writes its species as `Cat`; anything else (Dog, Bird, Other, Livestock) is not a cat. */
const isCat = (raw: string) => raw === "Cat" || raw.trim().toLowerCase() === "cat";

/** Austin's five sex labels, read once here instead of matched per row (others go through parseSexAltered). */
const SEX_UPON_INTAKE: Readonly<Record<string, ReturnType<typeof parseSexAltered> | undefined>> = Object.freeze(
  Object.assign(
    Object.create(null),
    Object.fromEntries(
      ["Neutered Male", "Spayed Female", "Intact Male", "Intact Female", "Unknown"].map((l) => [l, parseSexAltered(l)]),
    ),
  ),
);

/**
 * fiscalYearOf for parseDateTime's own output (`YYYY-MM-DDTHH:mm:ss`, already checked), read at its
 * fixed positions instead of re-matched per row; anything else goes through fiscalYearOf.
 */
function fiscalYearOfIso(iso: string, startMonth: number): number {
  if (iso.length !== 19) return fiscalYearOf(iso, startMonth);
  const year = Number(iso.slice(0, 4));
  return Number(iso.slice(5, 7)) >= startMonth ? year : year - 1;
}

export const austinIntakes: MappingProfile = {
  name: "austin-intakes",
  description: "Austin Animal Center intakes (Animal ID, DateTime, Intake Type, … Animal Type=Cat)",
  datasets: ["intakes"],
  defaultMunicipality: "us-tx-austin",
  fiscalYearStartMonth: 10,
  match: (headers) => headerScore(headers, HEADERS),
  speciesFilter: { header: "Animal Type", accepts: isCat },
  mapRow(v, ctx) {
    if (!isCat(v["Animal Type"] ?? "")) return { kind: "skip", reason: "not a cat" };
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
              fiscalYear: fiscalYearOfIso(intakeAt, ctx.fiscalYearStartMonth),
              sourceJob: ctx.jobId,
              sourceRow: ctx.row,
              animalId,
              intakeAt,
              intakeType,
              intakeTypeOriginal: original,
              condition: (v["Intake Condition"] ?? "").trim().toLowerCase() || null,
              ageDays,
              ageClass: ageClassOf(ageDays),
              ...(SEX_UPON_INTAKE[v["Sex upon Intake"] ?? ""] ?? parseSexAltered(v["Sex upon Intake"] ?? "")),
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
