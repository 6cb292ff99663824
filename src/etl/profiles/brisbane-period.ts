import { MONTH_NAMES, ValueError } from "../parse-values.js";

/**
 * Brisbane City Council publishes one complaints file per quarter; the merged file keeps only each
 * row's file name (`date_range`), in several spellings:
 *   `1st-quarter-2016-17.csv`                 quarter of the financial year (Jul–Jun): Jul–Sep 2016
 *   `apr-jun-2019.csv`, `apr-to-jun-2018.csv`, `april-june-2016.csv`, `january-to-march-2017.csv`
 *   `cars-srsa-open-data-animal-related-complaints-oct-to-dec-2019.csv`
 * `reportingPeriod` turns one into its first and last day (ISO dates, inclusive).
 */
export interface Period {
  start: string;
  end: string;
}

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"] as const;

/** 1–12 for `mar`, `march`, `sept`; undefined for any other word. */
function monthOf(word: string): number | undefined {
  const w = word.toLowerCase();
  const i = w === "sept" ? 8 : MONTHS.indexOf(w as (typeof MONTHS)[number]);
  const j = (MONTH_NAMES as readonly string[]).indexOf(w);
  const k = i >= 0 ? i : j;
  return k >= 0 ? k + 1 : undefined;
}

const pad = (n: number) => String(n).padStart(2, "0");
const lastDay = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

function span(startYear: number, startMonth: number, endYear: number, endMonth: number): Period {
  return {
    start: `${startYear}-${pad(startMonth)}-01`,
    end: `${endYear}-${pad(endMonth)}-${pad(lastDay(endYear, endMonth))}`,
  };
}

/** The period a Brisbane file name covers; `fiscalYearStartMonth` places numbered quarters (July). */
export function reportingPeriod(fileName: string, fiscalYearStartMonth = 7): Period {
  const name = fileName
    .trim()
    .toLowerCase()
    .replace(/\.csv$/, "");
  const quarter = /(?:^|-)([1-4])(?:st|nd|rd|th)-quarter-(\d{4})-(\d{2}|\d{4})(?:-|$)/.exec(name);
  if (quarter) {
    const [q, fy, next] = [Number(quarter[1]), Number(quarter[2]), quarter[3] ?? ""];
    if (Number(next) % 100 !== (fy + 1) % 100) {
      throw new ValueError(`date_range ${JSON.stringify(fileName)} names the years ${fy} and ${next}, not consecutive`);
    }
    const first = fiscalYearStartMonth - 1 + 3 * (q - 1); // months since January of `fy`, 0-based
    const sy = fy + Math.floor(first / 12);
    const sm = (first % 12) + 1;
    const last = first + 2;
    return span(sy, sm, fy + Math.floor(last / 12), (last % 12) + 1);
  }
  const words = name.split(/[-_\s]+/);
  for (let i = 0; i < words.length; i++) {
    const from = monthOf(words[i] ?? "");
    if (from === undefined) continue;
    const j = words[i + 1] === "to" ? i + 2 : i + 1;
    const to = monthOf(words[j] ?? "");
    const year = Number(words[j + 1]);
    if (to === undefined || !/^\d{4}$/.test(words[j + 1] ?? "")) continue;
    // `nov-to-jan-2020` starts in the year before the one written.
    return span(from > to ? year - 1 : year, from, year, to);
  }
  throw new ValueError(
    `date_range ${JSON.stringify(fileName)} names no period (expected e.g. 1st-quarter-2016-17 or apr-to-jun-2018)`,
  );
}
