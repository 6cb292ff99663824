/**
 * 和暦 (Japanese era) labels for display, and parsing of the era years municipalities write in files.
 *
 * Dates switch era on the day: 2019-04-30 is 平成31年, 2019-05-01 is 令和元年. Fiscal years (年度)
 * take the era of the year's name as the government uses it: FY2019 is 令和元年度 (although it began
 * under 平成), FY2018 is 平成30年度. The first year of an era is written 元年.
 */
import { badInput } from "../errors.js";

interface Era {
  kanji: string;
  /** Single-letter abbreviation used in spreadsheets (R5, H30). */
  letter: string;
  /** First day of the era (ISO date). */
  start: string;
  /** Gregorian year of the era's first year. */
  firstYear: number;
}

/** Newest first. */
const ERAS: readonly Era[] = [
  { kanji: "令和", letter: "R", start: "2019-05-01", firstYear: 2019 },
  { kanji: "平成", letter: "H", start: "1989-01-08", firstYear: 1989 },
  { kanji: "昭和", letter: "S", start: "1926-12-25", firstYear: 1926 },
];

const yearText = (n: number): string => (n === 1 ? "元" : String(n));

/** "令和5年" for a date; the era changes on its first day. */
export function warekiYearOfDate(dateIso: string): string {
  const day = dateIso.slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw badInput(`not an ISO date: "${dateIso}"`);
  const era = ERAS.find((e) => day >= e.start);
  if (!era) throw badInput(`date before 昭和 is not supported: ${day}`);
  return `${era.kanji}${yearText(Number(day.slice(0, 4)) - era.firstYear + 1)}年`;
}

/** "令和5年度" for FY2023, "令和元年度" for FY2019, "平成30年度" for FY2018. */
export function warekiFiscalYearLabel(fiscalYear: number, options: { withGregorian?: boolean } = {}): string {
  const era = ERAS.find((e) => fiscalYear >= e.firstYear);
  if (!era || !Number.isInteger(fiscalYear)) throw badInput(`fiscal year out of range for 和暦: ${fiscalYear}`);
  const label = `${era.kanji}${yearText(fiscalYear - era.firstYear + 1)}年度`;
  return options.withGregorian ? `${label}（${fiscalYear}年度）` : label;
}

/**
 * The Gregorian year of an era year as written in files: "令和5年度", "令和元年", "R5", "H30年度",
 * full-width digits included. Null when the text is not an era year.
 */
export function parseWarekiYear(text: string): number | null {
  const s = text.normalize("NFKC").trim();
  const m = /^(令和|平成|昭和|[RHS])\s*(元|\d{1,2})\s*(?:年度?)?$/i.exec(s);
  if (!m) return null;
  const name = m[1]!.toUpperCase();
  const era = ERAS.find((e) => e.kanji === name || e.letter === name);
  if (!era) return null;
  const n = m[2] === "元" ? 1 : Number(m[2]);
  return n >= 1 ? era.firstYear + n - 1 : null;
}
