import type { AggregateRecord } from "../../cats/model.js";
import { ValueError } from "../parse-values.js";
import { headerScore, type MappingProfile } from "./profile.js";
import { baseOf, cell, orNull, parseCount, recordsOrReject } from "./row-helpers.js";

/**
 * Japan, Ministry of the Environment (環境省「犬・猫の引取り及び負傷動物の収容状況」): national
 * euthanasia counts by fiscal year (年度, April–March). Until FY2021 only the dog+cat total is
 * given; from FY2022 cats are split out. Every row gives `dogs_and_cats_euthanized` (the series
 * that runs through all years) and, when split, `cats_euthanized` too — never a cat figure guessed
 * from the total.
 */
const HEADERS = ["year", "dogs", "cats", "total", "source_text", "source_url"];

export function japanEuthanasia(v: Record<string, string>, base: ReturnType<typeof baseOf>): AggregateRecord[] {
  const text = orNull(cell(v, "source_text"));
  const stated = /(\d{4})年度/.exec(text ?? "")?.[1];
  if (stated && Number(stated) !== base.fiscalYear) {
    throw new ValueError(`year ${base.fiscalYear} but the source text says ${stated}年度`);
  }
  const total = parseCount(cell(v, "total"), "total");
  const common = { ...base, region: "JP", outcomeType: "euthanasia" as const, metricOriginal: text };
  const records: AggregateRecord[] = [
    { ...common, metric: "dogs_and_cats_euthanized", value: total, species: "dog_and_cat" },
  ];
  const cats = orNull(cell(v, "cats"));
  if (cats !== null) {
    const catCount = parseCount(cats, "cats");
    const dogs = orNull(cell(v, "dogs"));
    if (dogs !== null && parseCount(dogs, "dogs") + catCount !== total) {
      throw new ValueError(`dogs ${dogs} + cats ${cats} is not the total ${total}`);
    }
    records.push({ ...common, metric: "cats_euthanized", value: catCount, species: "cat" });
  }
  return records;
}

export const japanMoeEuthanasia: MappingProfile = {
  name: "japan-moe-euthanasia",
  description: "Japan MoE national dog and cat euthanasia counts by fiscal year (year, dogs, cats, total, source_text)",
  datasets: ["aggregates"],
  defaultMunicipality: "jp",
  fiscalYearStartMonth: 4,
  match: (headers) => headerScore(headers, HEADERS),
  mapRow: (v, ctx) =>
    recordsOrReject(() => {
      const year = cell(v, "year");
      if (!/^\d{4}$/.test(year)) throw new ValueError(`year ${JSON.stringify(year)} is not a fiscal year like 2023`);
      return japanEuthanasia(v, baseOf(ctx, Number(year))).map((record) => ({ dataset: "aggregates", record }));
    }),
  dedupKey: (r) => (r.dataset === "aggregates" ? `${r.record.fiscalYear}|${r.record.metric}|${r.record.region}` : ""),
};
