/**
 * Fiscal years. catdata names a fiscal year by the calendar year it STARTS in (see model.ts):
 * Japan's FY2023 (2023年度) is 2023-04-01..2024-03-31, and Austin's year from 2019-10-01 to
 * 2020-09-30 is our FY2019. US governments name that same year by its END year ("FY2020");
 * `fiscalYearEndYear` gives that name. All arithmetic is on calendar dates, never time zones.
 */
import { badInput } from "../errors.js";
import { readWarekiFiscalYear } from "./wareki.js";

export type Lang = "ja" | "en";

const MONTHS_EN = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"] as const;

function checkStartMonth(startMonth: number): void {
  if (!Number.isInteger(startMonth) || startMonth < 1 || startMonth > 12) {
    throw badInput(`fiscal-year start month must be an integer 1–12, got ${startMonth}`);
  }
}

/** Year and month of an ISO date or date-time (`2023-04-01`, `2023-04-01T09:30:00`). */
function yearMonth(dateIso: string): { year: number; month: number } {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(dateIso);
  const month = Number(m?.[2]);
  const day = Number(m?.[3]);
  if (!m || month < 1 || month > 12 || day < 1 || day > 31) {
    throw badInput(`not an ISO date: "${dateIso}"`, "write dates as YYYY-MM-DD");
  }
  return { year: Number(m[1]), month };
}

/** The fiscal year (named by its start year) that contains this date. */
export function fiscalYearOf(dateIso: string, startMonth: number): number {
  checkStartMonth(startMonth);
  const { year, month } = yearMonth(dateIso);
  return month >= startMonth ? year : year - 1;
}

/** The calendar year a fiscal year ends in: the name US governments give it. */
export function fiscalYearEndYear(fiscalYear: number, startMonth: number): number {
  checkStartMonth(startMonth);
  return startMonth === 1 ? fiscalYear : fiscalYear + 1;
}

const isoDate = (d: Date): string => d.toISOString().slice(0, 10);

/** First and last day (inclusive, ISO dates) of a fiscal year; leap days included. */
export function fiscalYearRange(fiscalYear: number, startMonth: number): { start: string; end: string } {
  checkStartMonth(startMonth);
  const start = new Date(Date.UTC(fiscalYear, startMonth - 1, 1));
  // Day 0 of the next fiscal year's first month is the last day of this fiscal year.
  const end = new Date(Date.UTC(fiscalYear + 1, startMonth - 1, 0));
  return { start: isoDate(start), end: isoDate(end) };
}

/**
 * A display label. en: "FY2023 (Apr 2023–Mar 2024)", or "FY2023 (Jan–Dec 2023)" for calendar years.
 * ja: "2023年度" for April years (Japan's own), "2023年" for calendar years, otherwise with its months.
 */
export function fiscalYearLabel(fiscalYear: number, startMonth: number, lang: Lang): string {
  checkStartMonth(startMonth);
  const endMonth = startMonth === 1 ? 12 : startMonth - 1;
  const endYear = fiscalYearEndYear(fiscalYear, startMonth);
  if (lang === "ja") {
    if (startMonth === 4) return `${fiscalYear}年度`;
    if (startMonth === 1) return `${fiscalYear}年`;
    return `${fiscalYear}年度（${fiscalYear}年${startMonth}月〜${endYear}年${endMonth}月）`;
  }
  const from = MONTHS_EN[startMonth - 1]!;
  const to = MONTHS_EN[endMonth - 1]!;
  if (startMonth === 1) return `FY${fiscalYear} (${from}–${to} ${fiscalYear})`;
  return `FY${fiscalYear} (${from} ${fiscalYear}–${to} ${endYear})`;
}

/** The fiscal-year labels Japanese offices write (年度, April–March), for refusal messages. */
export const FISCAL_YEAR_LABELS = "令和5年度, 平成30年度, R5年度, 2023年度";

/**
 * A Japanese fiscal-year label as written in files: `令和5年度` / `R5年度` → 2023, `平成30年度` → 2018,
 * `2023年度` → 2023 (full-width digits too). Null when the text is not a fiscal-year label; a reason
 * when it is one that does not exist (`平成32年度`).
 */
export function readFiscalYearLabel(
  text: string,
): { ok: true; fiscalYear: number } | { ok: false; reason: string } | null {
  const s = text.normalize("NFKC").trim();
  const gregorian = /^(\d{4})\s*年度$/.exec(s);
  if (gregorian) return { ok: true, fiscalYear: Number(gregorian[1]) };
  return readWarekiFiscalYear(s);
}
