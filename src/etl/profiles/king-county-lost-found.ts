import { fiscalYearOf } from "../../cats/fiscal-year.js";
import type { SightingReportType } from "../../cats/model.js";
import { parseDateTime, ValueError } from "../parse-values.js";
import { headerScore, type MappingProfile } from "./profile.js";
import { baseOf, cell, orNull, recordsOrReject } from "./row-helpers.js";

/**
 * King County (WA) Regional Animal Services: lost, found and adoptable pets, as published for the
 * public (PetHarbor). Not shelter stays with outcomes but reports of where a cat was lost or found,
 * with the address obfuscated to the block: canonical `sightings`. Cats only (`Cat`, `Dead Cat`).
 */
const HEADERS = [
  "impound_no",
  "Animal_ID",
  "Record_Type",
  "animal_type",
  "Date",
  "Date_Type",
  "Obfuscated_Address",
  "jurisdiction",
];

const REPORT_TYPES: Record<string, SightingReportType> = { lost: "lost", found: "found", adoptable: "adoptable" };

/** `JURISDICTION` is the file's placeholder for "not given". */
const place = (raw: string) => {
  const s = orNull(raw);
  return s === null || s.toUpperCase() === "JURISDICTION" ? null : s;
};

export function kingCountyLocation(v: Record<string, string>): { location: string | null; area: string | null } {
  const street = place(cell(v, "Obfuscated_Address"));
  const city = place(cell(v, "City"));
  const zip = place(cell(v, "Zip"));
  const cityLine = [city, [place(cell(v, "State")), zip].filter(Boolean).join(" ")].filter(Boolean).join(", ");
  const location = [street, cityLine].filter(Boolean).join(", ") || null;
  return { location, area: city ?? zip ?? place(cell(v, "jurisdiction")) };
}

export const kingCountyLostFound: MappingProfile = {
  name: "king-county-lost-found",
  description:
    "King County lost / found / adoptable pets (impound_no, Record_Type, animal_type, Obfuscated_Address, …)",
  datasets: ["sightings"],
  defaultMunicipality: "us-wa-king",
  fiscalYearStartMonth: 1,
  match: (headers) => headerScore(headers, HEADERS),
  mapRow(v, ctx) {
    const animal = cell(v, "animal_type").toLowerCase();
    if (animal !== "cat" && animal !== "dead cat") return { kind: "skip", reason: "not a cat" };
    return recordsOrReject(() => {
      const original = cell(v, "Record_Type");
      const reported = REPORT_TYPES[original.toLowerCase()];
      if (!reported) throw new ValueError(`Record_Type ${JSON.stringify(original)} is not LOST, FOUND or ADOPTABLE`);
      const seenAt = parseDateTime(cell(v, "Date"));
      const note = [cell(v, "Animal_Gender"), cell(v, "Age"), cell(v, "Animal_Breed"), cell(v, "Animal_Color")]
        .map(orNull)
        .filter(Boolean)
        .join(", ");
      return [
        {
          dataset: "sightings",
          record: {
            ...baseOf(ctx, fiscalYearOf(seenAt, ctx.fiscalYearStartMonth)),
            seenAt,
            ...kingCountyLocation(v),
            note: note || null,
            reportType: animal === "dead cat" && reported === "found" ? "found_dead" : reported,
            reportTypeOriginal: animal === "dead cat" ? `${original} (${cell(v, "animal_type")})` : original,
            animalId: orNull(cell(v, "Animal_ID")),
          },
        },
      ];
    });
  },
  dedupKey: (r) =>
    r.dataset === "sightings" ? `${r.record.animalId ?? ""}|${r.record.reportType}|${r.record.seenAt}` : "",
};
