/**
 * One municipality-year of complaints about cats (苦情). They peak in spring, when cats mate (鳴き声)
 * and kittens appear; droppings (糞尿被害) are the most common, then feeding by residents (餌やり).
 */
import type { ComplaintCategory, ComplaintRecord } from "../cats/model.js";
import { daysInMonth, fiscalMonths, isoDate } from "./calendar.js";
import type { YearInput } from "./profiles.js";
import { chance, int, pick, poisson, weighted } from "./random.js";

/** Relative complaints by calendar month (Jan..Dec): a spring peak. */
const COMPLAINT_SEASON = [0.6, 0.9, 1.4, 1.7, 1.6, 1.2, 1.0, 0.9, 0.9, 0.8, 0.7, 0.5];
const CATEGORIES: readonly (readonly [ComplaintCategory, number])[] = [
  ["feces_urine", 0.34],
  ["noise", 0.14],
  ["feeding", 0.2],
  ["garbage", 0.1],
  ["trespass", 0.13],
  ["injured_or_dead", 0.05],
  ["hoarding", 0.02],
  ["other", 0.02],
];
/** Cats in heat call at night from late winter into spring. */
const MATING_MONTHS = new Set([1, 2, 3, 4]);
const PLACES = ["公園", "集合住宅", "駐車場", "空き地", "民家の庭", "商店街"];

export type ComplaintYearInput = YearInput;

export function generateComplaintYear(input: ComplaintYearInput): ComplaintRecord[] {
  const { random, profile } = input;
  const total = profile.complaintsPerYear * input.trend.complaints * (0.95 + 0.1 * random());
  const seasonTotal = COMPLAINT_SEASON.reduce((a, b) => a + b, 0);
  const records: ComplaintRecord[] = [];
  for (const { year, month } of fiscalMonths(input.fiscalYear, input.startMonth)) {
    const n = poisson(random, (total * COMPLAINT_SEASON[month - 1]!) / seasonTotal);
    const categories = MATING_MONTHS.has(month)
      ? CATEGORIES.map(([c, w]) => [c, c === "noise" ? w * 2.5 : w] as const)
      : CATEGORIES;
    for (let i = 0; i < n; i++) {
      const area = pick(random, profile.areas);
      records.push({
        municipality: input.code,
        fiscalYear: input.fiscalYear,
        sourceJob: "demo",
        sourceRow: 0,
        receivedOn: isoDate(year, month, int(random, 1, daysInMonth(year, month))),
        periodEnd: null,
        category: weighted(random, categories),
        area,
        location: chance(random, 0.8) ? `${area} ${pick(random, PLACES)}付近` : null,
      });
    }
  }
  return records.sort((a, b) => a.receivedOn.localeCompare(b.receivedOn));
}
