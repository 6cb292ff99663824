import { fiscalYearOf } from "../../cats/fiscal-year.js";
import type { ComplaintCategory } from "../../cats/model.js";
import { reportingPeriod } from "./brisbane-period.js";
import { headerScore, type MappingProfile } from "./profile.js";
import { baseOf, cell, orNull, recordsOrReject } from "./row-helpers.js";

/**
 * Brisbane City Council animal-related complaints, merged from quarterly files. Cat rows are
 * `animal_type` Cat (category Wandering, Odour, … or NA) and Cat Trapping (trap requests).
 * The date is only the quarter, read from `date_range`; the location only the suburb.
 * Species: known from the file's own `animal_type` column (Dog, Cat, Cat Trapping, …; see
 * /work/shared/data/README.md: 31,330 rows, 4,745 cat): rows of other animals are skipped; the file
 * has no request id, so `requestId` stays null.
 */
const HEADERS = ["nature", "animal_type", "category", "suburb", "date_range", "responsible_office", "city"];

const CAT_TYPES = new Set(["cat", "cat trapping"]);

const CATEGORIES: Record<string, ComplaintCategory> = {
  "cat trapping": "trapping",
  wandering: "roaming",
  odour: "feces_urine",
  noise: "noise",
  barking: "noise",
  feeding: "feeding",
  hoarding: "hoarding",
};

/** The canonical category of a cat complaint and the source's own labels, as written. */
export function brisbaneCategory(animalType: string, category: string): { category: string; original: string } {
  const label = orNull(category);
  const original = [animalType.trim(), label].filter((x): x is string => x !== null).join(" / ");
  const key = (animalType.trim().toLowerCase() === "cat trapping" ? animalType : (label ?? "")).toLowerCase();
  return { category: CATEGORIES[key] ?? "other", original };
}

export const brisbaneComplaints: MappingProfile = {
  name: "brisbane-complaints",
  description: "Brisbane City Council animal complaints (nature, animal_type, category, suburb, date_range, …)",
  datasets: ["complaints"],
  defaultMunicipality: "au-qld-brisbane",
  fiscalYearStartMonth: 7,
  match: (headers) => headerScore(headers, HEADERS),
  mapRow(v, ctx) {
    const animalType = cell(v, "animal_type");
    if (!CAT_TYPES.has(animalType.toLowerCase())) return { kind: "skip", reason: "not a cat" };
    return recordsOrReject(() => {
      const period = reportingPeriod(cell(v, "date_range"), ctx.fiscalYearStartMonth);
      const { category, original } = brisbaneCategory(animalType, cell(v, "category"));
      return [
        {
          dataset: "complaints",
          record: {
            ...baseOf(ctx, fiscalYearOf(period.start, ctx.fiscalYearStartMonth)),
            receivedOn: period.start,
            periodEnd: period.end,
            category,
            categoryOriginal: original,
            area: orNull(cell(v, "suburb")),
            location: null,
            species: "cat",
            requestId: null,
          },
        },
      ];
    });
  },
};
