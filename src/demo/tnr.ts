/**
 * One municipality-year of TNR (不妊去勢手術) work: surgery days by district, one record per sex
 * with the number of cats and the subsidy paid. Surgeries run all year, a little less in midsummer
 * and midwinter; the yearly total follows the municipality's programme trend.
 */
import type { Sex, TnrRecord } from "../cats/model.js";
import { daysInMonth, fiscalMonths, isoDate } from "./calendar.js";
import type { YearInput } from "./profiles.js";
import { int, pick, weighted } from "./random.js";

/** Relative surgery activity by calendar month (Jan..Dec). */
const TNR_SEASON = [0.7, 0.9, 1.1, 1.1, 1.0, 0.9, 0.8, 0.8, 1.1, 1.2, 1.1, 0.8];

export type TnrYearInput = YearInput;

export function generateTnrYear(input: TnrYearInput): TnrRecord[] {
  const { random, profile } = input;
  const target = Math.round(profile.tnrPerYear * input.trend.tnr * (0.95 + 0.1 * random()));
  const months = fiscalMonths(input.fiscalYear, input.startMonth).map((ym) => [ym, TNR_SEASON[ym.month - 1]!] as const);
  const records: TnrRecord[] = [];
  let operated = 0;
  while (operated < target) {
    const { year, month } = weighted(random, months);
    const operatedOn = isoDate(year, month, int(random, 1, daysInMonth(year, month)));
    const area = pick(random, profile.areas);
    for (const [sex, count] of [
      ["female", int(random, 1, 4)],
      ["male", int(random, 0, 3)],
    ] as const satisfies readonly (readonly [Sex, number])[]) {
      if (count === 0) continue;
      const rate = profile.subsidy?.[sex === "female" ? "female" : "male"];
      records.push({
        municipality: input.code,
        fiscalYear: input.fiscalYear,
        sourceJob: "demo",
        sourceRow: 0,
        operatedOn,
        area,
        sex,
        count,
        subsidyAmount: rate === undefined ? null : rate * count,
      });
      operated += count;
    }
  }
  return records.sort((a, b) => a.operatedOn.localeCompare(b.operatedOn));
}
