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

/** The era named by its kanji or its letter (either case). */
const eraNamed = (name: string): Era | undefined => {
  const n = name.toUpperCase();
  return ERAS.find((e) => e.kanji === n || e.letter === n);
};

/** Last day of an era (ISO), or undefined for the current one: the day before the next era starts. */
function eraEnd(era: Era): string | undefined {
  const next = ERAS[ERAS.indexOf(era) - 1];
  if (!next) return undefined;
  const d = new Date(`${next.start}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

const eraSpan = (era: Era): string => {
  const end = eraEnd(era);
  return end ? `${era.start}–${end}` : `since ${era.start}`;
};

/** The eras read in files, for refusal messages. */
export const WAREKI_ERAS = ERAS.map((e) => `${e.kanji} (${e.letter}, ${eraSpan(e)})`).join(", ");

/** A 和暦 date or month as written, in Gregorian terms; `reason` set when it is not a real 和暦 date. */
export type WarekiReading =
  | { ok: true; year: number; month: number; day: number | null; rest: string }
  | { ok: false; reason: string };

const ERA_PATTERN = "(令和|平成|昭和|[RHS])\\s*(元|\\d{1,2})";
const WAREKI_DAY = new RegExp(
  `^${ERA_PATTERN}\\s*(?:年|[./-])\\s*(\\d{1,2})\\s*(?:月|[./-])\\s*(\\d{1,2})\\s*日?(.*)$`,
  "i",
);
const WAREKI_MONTH = new RegExp(`^${ERA_PATTERN}\\s*(?:年|[./-])\\s*(\\d{1,2})\\s*月?$`, "i");
const WAREKI_FISCAL_YEAR = new RegExp(`^${ERA_PATTERN}\\s*年度$`, "i");

const pad2 = (n: number): string => String(n).padStart(2, "0");

/**
 * Reads a 和暦 date (`令和5年7月22日`, `R5.8.19`, `R5/8/19`, `令和元年5月1日`, `H30.4.1`, full-width
 * `Ｒ５．８．１９`) or month (`令和2年6月`, `R2.6`). Text after the day (a time) is returned as `rest`.
 * A date outside its era is refused with a reason (`平成31年5月1日` is 令和元年5月1日): eras switch
 * on the day, 令和 on 2019-05-01 and 平成 on 1989-01-08. Null when the text does not start with an era.
 */
export function readWareki(text: string): WarekiReading | null {
  const s = text.normalize("NFKC").trim();
  const day = WAREKI_DAY.exec(s);
  const m = day ?? WAREKI_MONTH.exec(s);
  if (!m) return null;
  const era = eraNamed(m[1]!);
  if (!era) return null;
  const n = m[2] === "元" ? 1 : Number(m[2]);
  const shown = JSON.stringify(text.trim());
  if (n < 1) return { ok: false, reason: `date ${shown} has era year 0: the first year of an era is 元年 (or 1)` };
  const year = era.firstYear + n - 1;
  const month = Number(m[3]);
  if (month < 1 || month > 12) return { ok: false, reason: `date ${shown} has month ${month}` };
  const dayOfMonth = day ? Number(m[4]) : null;
  // Compared as ISO text: a month is in the era if any of its days is.
  const first = `${year}-${pad2(month)}-${pad2(dayOfMonth ?? 1)}`;
  const last = `${year}-${pad2(month)}-${pad2(dayOfMonth ?? 31)}`;
  const end = eraEnd(era);
  if (last < era.start || (end !== undefined && first > end)) {
    const what = dayOfMonth === null ? "month" : "date";
    return {
      ok: false,
      reason: `${what} ${shown} (${first.slice(0, dayOfMonth === null ? 7 : 10)}) is outside ${era.kanji} (${eraSpan(era)}): write it in the era of that day (${WAREKI_ERAS})`,
    };
  }
  return { ok: true, year, month, day: dayOfMonth, rest: day ? (m[5] ?? "") : "" };
}

/**
 * The fiscal year of a 和暦 fiscal-year label (`令和5年度` → 2023, `平成30年度` → 2018, `R5年度`).
 * Fiscal years take the era of the year's name, so `平成31年度` (as budgets written before the change
 * say) is FY2019 like `令和元年度`; an era year past the era's last calendar year is refused.
 */
export function readWarekiFiscalYear(
  text: string,
): { ok: true; fiscalYear: number } | { ok: false; reason: string } | null {
  const s = text.normalize("NFKC").trim();
  const m = WAREKI_FISCAL_YEAR.exec(s);
  const era = m ? eraNamed(m[1]!) : undefined;
  if (!m || !era) return null;
  const n = m[2] === "元" ? 1 : Number(m[2]);
  const fiscalYear = era.firstYear + n - 1;
  const lastYear = Number((eraEnd(era) ?? "9999").slice(0, 4));
  if (n < 1 || fiscalYear > lastYear) {
    return {
      ok: false,
      reason: `fiscal year ${JSON.stringify(text.trim())} is outside ${era.kanji} (years 元年–${lastYear - era.firstYear + 1}年): ${WAREKI_ERAS}`,
    };
  }
  return { ok: true, fiscalYear };
}
