import type { AggregateRecord, OutcomeType } from "../../cats/model.js";
import { ValueError } from "../parse-values.js";
import { headerScore, type MappingProfile } from "./profile.js";
import { baseOf, cell, orNull, parseCount, recordsOrReject, snakeCase } from "./row-helpers.js";

/**
 * RSPCA Australia yearly outcomes by state, wide (one column per state and a `Total`): each cat
 * row becomes one aggregate per state with a figure — wide to long. `NA` means the state did not
 * report: that cell is left out, the row's other cells are kept. `year` is RSPCA's financial year,
 * named by its start year as ours are (see municipalities.ts).
 */
const KEYS = ["year", "animal_type", "outcome"];
const HEADERS = [...KEYS, "ACT", "NSW", "NT", "QLD", "SA", "TAS", "VIC", "WA", "Total"];

/** RSPCA outcome labels → Shelter Animals Count outcomes; stock counts are not outcomes (null). */
const OUTCOMES: Record<string, OutcomeType | null> = {
  reclaimed: "return_to_owner",
  rehomed: "adoption",
  transferred: "transfer_out",
  euthanized: "euthanasia",
  other: "other",
  "in stock": null,
  "currently in care": null,
};

/** The region a wide column stands for: the state's code, or `AU` for the national total. */
const regionOf = (header: string) => (header.toLowerCase() === "total" ? "AU" : header.toUpperCase());

/** One aggregate per non-`NA` region cell of a cat row. */
export function rspcaAggregates(values: Record<string, string>, base: ReturnType<typeof baseOf>): AggregateRecord[] {
  const outcome = cell(values, "outcome");
  const key = outcome.toLowerCase();
  if (!(key in OUTCOMES)) throw new ValueError(`outcome ${JSON.stringify(outcome)} is not known to this profile`);
  const records: AggregateRecord[] = [];
  for (const header of Object.keys(values)) {
    if (KEYS.includes(header)) continue;
    const raw = orNull(cell(values, header));
    if (raw === null) continue;
    records.push({
      ...base,
      region: regionOf(header),
      metric: `cats_${snakeCase(outcome)}`,
      value: parseCount(raw, `${header} (${outcome})`),
      species: "cat",
      outcomeType: OUTCOMES[key] ?? null,
      metricOriginal: outcome,
    });
  }
  if (records.length === 0) throw new ValueError(`no region has a figure for ${outcome}`);
  return records;
}

export const rspcaOutcomes: MappingProfile = {
  name: "rspca-outcomes",
  description: "RSPCA Australia yearly outcomes by state (year, animal_type, outcome, ACT … WA, Total)",
  datasets: ["aggregates"],
  defaultMunicipality: "au",
  fiscalYearStartMonth: 7,
  match: (headers) => headerScore(headers, HEADERS),
  mapRow(v, ctx) {
    if (!/^cats?$/i.test(cell(v, "animal_type"))) return { kind: "skip", reason: "not cats" };
    return recordsOrReject(() => {
      const year = cell(v, "year");
      if (!/^\d{4}$/.test(year)) throw new ValueError(`year ${JSON.stringify(year)} is not a year like 2018`);
      return rspcaAggregates(v, baseOf(ctx, Number(year))).map((record) => ({ dataset: "aggregates", record }));
    });
  },
  dedupKey: (r) => (r.dataset === "aggregates" ? `${r.record.fiscalYear}|${r.record.metric}|${r.record.region}` : ""),
};
