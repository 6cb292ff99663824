import { FISCAL_YEAR_LABELS, readFiscalYearLabel } from "../cats/fiscal-year.js";
import { readWareki } from "../cats/wareki.js";

/**
 * Small, strict parsers for the values municipal files hold. Each returns a value or throws a
 * `ValueError` whose message says what was wrong, which ends up as the row's quarantine reason.
 */
export class ValueError extends Error {
  override name = "ValueError";
}

/** Years outside this span are typing mistakes in these files, not dates (documented in docs/data-model.md). */
export const EARLIEST_YEAR = 1900;
export const LATEST_YEAR = 2100;

const pad = (n: number) => (n < 10 ? `0${n}` : `${n}`);

function checkDate(y: number, m: number, d: number, raw: string): void {
  if (m < 1 || m > 12) throw new ValueError(`date ${JSON.stringify(raw)} has month ${m}`);
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  if (d < 1 || d > days) throw new ValueError(`date ${JSON.stringify(raw)} has day ${d}, but that month has ${days}`);
  if (y < EARLIEST_YEAR || y > LATEST_YEAR) throw new ValueError(`date ${JSON.stringify(raw)} has year ${y}`);
}

/** The date forms parseDateTime reads, named in every refusal. */
export const ACCEPTED_DATES =
  "2023-04-01, 2023/4/1, 2023年4月1日, 04/01/2023, 令和5年4月1日, R5.4.1, R5/4/1 (元年 for an era's first year; a time like 13:05 may follow)";
/** The month forms readDateOrPeriod reads (where a field takes a month), named in refusals. */
export const ACCEPTED_MONTHS = "2020年6月, 令和2年6月, R2.6, 2020/06, 2020-06, June 2020, Jun 2020, Jun-2020, 6/2020";

/** English month names, January first (month text such as "June 2020"). */
export const MONTH_NAMES = [
  "january",
  "february",
  "march",
  "april",
  "may",
  "june",
  "july",
  "august",
  "september",
  "october",
  "november",
  "december",
] as const;

/** `Jun`, `June`, `Sept` (any case) → 6 / 9; undefined for anything else. */
function monthNamed(word: string): number | undefined {
  const w = word.toLowerCase().replace(/\.$/, "");
  if (w.length < 3) return undefined;
  const i = MONTH_NAMES.findIndex((name) => name === w || (w.length <= 4 && name.startsWith(w)));
  return i < 0 ? undefined : i + 1;
}

/**
 * A month written without a day: `2020年6月`, `令和2年6月`, `R2.6`, `2020/06`, `2020-06`, `June 2020`,
 * `Jun 2020`, `Jun-2020`, `6/2020`. Null when the text is not a month; throws when it is one that
 * does not exist (month 13, a 和暦 month outside its era).
 */
export function readMonth(raw: string): { year: number; month: number } | null {
  const s = raw.normalize("NFKC").trim();
  let year: number | undefined;
  let month: number | undefined;
  const wareki = readWareki(s);
  if (wareki && !wareki.ok) throw new ValueError(wareki.reason);
  if (wareki?.ok && wareki.day === null) [year, month] = [wareki.year, wareki.month];
  let m = /^(\d{4})\s*(?:年\s*(\d{1,2})\s*月|[-/.](\d{1,2}))$/.exec(s);
  if (m) [year, month] = [Number(m[1]), Number(m[2] ?? m[3])];
  m = /^(\d{1,2})\/(\d{4})$/.exec(s);
  if (m) [year, month] = [Number(m[2]), Number(m[1])];
  m = /^([A-Za-z]+\.?)[\s,-]*(\d{4})$/.exec(s);
  if (m) {
    const named = monthNamed(m[1]!);
    if (named === undefined) return null;
    [year, month] = [Number(m[2]), named];
  }
  if (year === undefined || month === undefined) return null;
  if (month < 1 || month > 12)
    throw new ValueError(`month ${JSON.stringify(raw)} has month ${month}; months are written ${ACCEPTED_MONTHS}`);
  if (year < EARLIEST_YEAR || year > LATEST_YEAR)
    throw new ValueError(`month ${JSON.stringify(raw)} has year ${year}, outside ${EARLIEST_YEAR}–${LATEST_YEAR}`);
  return { year, month };
}

/** The refusal for a month where a day is needed: never silently the first of the month. */
export const monthNotDate = (raw: string): ValueError =>
  new ValueError(
    `${JSON.stringify(raw)}: this is a month, not a date: declare month precision in the mapping ("datePrecision": "month") or write the day (${ACCEPTED_DATES})`,
  );

/**
 * Parses the date-times municipal files use into a zone-less ISO string `YYYY-MM-DDTHH:mm:ss`:
 * ISO (`2023-04-01`, `2023-04-01 13:05`), Japanese (`2023/4/1`, `2023年4月1日`), 和暦
 * (`令和5年7月22日`, `R5.8.19`, `R5/8/19`, `Ｒ５．８．１９`, `令和元年5月1日`; refused outside its era),
 * and US (`04/01/2023 01:05:00 PM`, `4/1/2023`). A month without a day is refused (monthNotDate).
 */
export function parseDateTime(raw: string): string {
  return fastDateTime(raw) ?? parseDateTimeSlow(raw);
}

/** The digit at `i` (0–9), or -1. */
const digit = (s: string, i: number) => {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -1;
};
const two = (s: string, i: number) => {
  const a = digit(s, i);
  const b = digit(s, i + 1);
  return a < 0 || b < 0 ? -1 : a * 10 + b;
};
const four = (s: string, i: number) => {
  const a = two(s, i);
  const b = two(s, i + 2);
  return a < 0 || b < 0 ? -1 : a * 100 + b;
};

/**
 * The two shapes nearly every file uses, read without regular expressions or allocations:
 * `MM/DD/YYYY hh:mm:ss AM` (22 characters, Austin) and `YYYY-MM-DD`, `YYYY-MM-DD[ T]hh:mm[:ss]`.
 * Returns undefined for anything else — or anything out of range — and the general parser decides.
 */
function fastDateTime(s: string): string | undefined {
  let y: number;
  let mo: number;
  let d: number;
  let h = 0;
  let mi = 0;
  let se = 0;
  if (s.length === 22 && s.charCodeAt(2) === 47 && s.charCodeAt(5) === 47 && s.charCodeAt(10) === 32) {
    mo = two(s, 0);
    d = two(s, 3);
    y = four(s, 6);
    h = two(s, 11);
    mi = two(s, 14);
    se = two(s, 17);
    if (s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58 || s.charCodeAt(19) !== 32) return undefined;
    const ap = s.charCodeAt(20) | 32;
    if ((s.charCodeAt(21) | 32) !== 109 || (ap !== 97 && ap !== 112) || h < 1 || h > 12) return undefined;
    h = (h % 12) + (ap === 112 ? 12 : 0);
  } else if (
    (s.length === 10 || s.length === 16 || s.length === 19) &&
    s.charCodeAt(4) === 45 &&
    s.charCodeAt(7) === 45
  ) {
    y = four(s, 0);
    mo = two(s, 5);
    d = two(s, 8);
    if (s.length > 10) {
      const sep = s.charCodeAt(10);
      if ((sep !== 84 && sep !== 32) || s.charCodeAt(13) !== 58) return undefined;
      h = two(s, 11);
      mi = two(s, 14);
      if (s.length === 19) {
        if (s.charCodeAt(16) !== 58) return undefined;
        se = two(s, 17);
      }
    }
  } else return undefined;
  if (
    y < EARLIEST_YEAR ||
    y > LATEST_YEAR ||
    mo < 1 ||
    mo > 12 ||
    d < 1 ||
    h < 0 ||
    h > 23 ||
    mi < 0 ||
    mi > 59 ||
    se < 0 ||
    se > 59
  )
    return undefined;
  if (d > 28 && d > new Date(Date.UTC(y, mo, 0)).getUTCDate()) return undefined;
  return `${y}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}:${pad(se)}`;
}

/** `令和5年7月22日 13:05` and the like → ISO; null when the text does not start with an era. */
function warekiDateTime(s: string, raw: string): string | null {
  const w = readWareki(s);
  if (!w) return null;
  if (!w.ok) throw new ValueError(w.reason);
  if (w.day === null) throw monthNotDate(raw);
  const t = /^\s*[ T]?\s*(?:(\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*$/.exec(w.rest);
  if (!t) throw new ValueError(`date ${JSON.stringify(raw)} is not in a known format; accepted: ${ACCEPTED_DATES}`);
  const [h, mi, se] = [Number(t[1] ?? 0), Number(t[2] ?? 0), Number(t[3] ?? 0)];
  checkDate(w.year, w.month, w.day, raw);
  if (h > 23 || mi > 59 || se > 59) throw new ValueError(`time in ${JSON.stringify(raw)} is out of range`);
  return `${w.year}-${pad(w.month)}-${pad(w.day)}T${pad(h)}:${pad(mi)}:${pad(se)}`;
}

/** Text that may be 和暦: it starts with an era's kanji or letter (checked before the regexes run). */
const MAY_BE_WAREKI = /^[令平昭RHSrhs]/;
const NON_ASCII = /[^\x20-\x7e]/;

function parseDateTimeSlow(raw: string): string {
  const trimmed = raw.trim();
  // Full-width digits and letters (２０２３年, Ｒ５．８．１９) read as their ASCII forms.
  const s = NON_ASCII.test(trimmed) ? trimmed.normalize("NFKC").trim() : trimmed;
  if (s === "") throw new ValueError("date is empty");
  const wareki = MAY_BE_WAREKI.test(s) ? warekiDateTime(s, raw) : null;
  if (wareki) return wareki;
  let m = /^(\d{4})[-/年](\d{1,2})[-/月](\d{1,2})日?(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?/.exec(s);
  let y: number,
    mo: number,
    d: number,
    h = 0,
    mi = 0,
    se = 0;
  if (m) {
    [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    [h, mi, se] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
  } else {
    m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?)?$/.exec(s);
    if (!m) {
      if (readMonth(s)) throw monthNotDate(raw);
      const fy = readFiscalYearLabel(s);
      if (fy?.ok) throw fiscalYearNotDate(raw);
      throw new ValueError(`date ${JSON.stringify(raw)} is not in a known format; accepted: ${ACCEPTED_DATES}`);
    }
    [mo, d, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
    [h, mi, se] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
    const ampm = m[7]?.toUpperCase();
    if (ampm) {
      if (h < 1 || h > 12) throw new ValueError(`time in ${JSON.stringify(raw)} has hour ${h} with ${ampm}`);
      h = (h % 12) + (ampm === "PM" ? 12 : 0);
    }
  }
  checkDate(y, mo, d, raw);
  if (h > 23 || mi > 59 || se > 59) throw new ValueError(`time in ${JSON.stringify(raw)} is out of range`);
  return `${y}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}:${pad(se)}`;
}

export const parseDate = (raw: string): string => parseDateTime(raw).slice(0, 10);

const fiscalYearNotDate = (raw: string): ValueError =>
  new ValueError(
    `${JSON.stringify(raw)} is a fiscal year (年度), not a date: map it to fiscalYear, or write a date (${ACCEPTED_DATES})`,
  );

/** How precise a date field's values may be: `day` needs a day; `month` also takes a month alone. */
export type DatePrecision = "day" | "month";
/** For a reporting period's fields: which end of a month or fiscal year a period value stands for. */
export type PeriodEnd = "start" | "end";

/** Japanese fiscal years (年度) run April–March for every municipality (地方自治法 第208条). */
const JAPAN_FISCAL_YEAR_START_MONTH = 4;

const lastDay = (y: number, m: number): number => new Date(Date.UTC(y, m, 0)).getUTCDate();

/**
 * A date or period cell → `YYYY-MM-DDTHH:mm:ss`. Dates are read as parseDateTime reads them. A month
 * (`令和2年6月`, `June 2020`, …) is accepted only with `precision: "month"` or in a period field
 * (`period` set), and becomes the first day of the month — the last for a period's end. A fiscal-year
 * label (`令和5年度`, `2023年度`) is accepted only in a period field: April 1 of that year, or
 * March 31 of the next for a period's end. Anything else is refused with the forms accepted.
 */
export function parseDateOrPeriod(
  raw: string,
  options: { precision?: DatePrecision; period?: PeriodEnd } = {},
): string {
  let refusal: ValueError;
  try {
    return parseDateTime(raw);
  } catch (error) {
    if (!(error instanceof ValueError)) throw error;
    refusal = error;
  }
  // Not a day: a month or a fiscal year, where the field takes one.
  const s = raw.normalize("NFKC").trim();
  const month = readMonth(s);
  if (month) {
    if (options.precision !== "month" && !options.period) throw monthNotDate(raw);
    const day = options.period === "end" ? lastDay(month.year, month.month) : 1;
    return `${month.year}-${pad(month.month)}-${pad(day)}T00:00:00`;
  }
  const fy = readFiscalYearLabel(s);
  if (fy && !fy.ok) throw new ValueError(fy.reason);
  if (fy?.ok) {
    if (!options.period) throw fiscalYearNotDate(raw);
    const y = fy.fiscalYear;
    const m = JAPAN_FISCAL_YEAR_START_MONTH;
    return options.period === "end"
      ? `${y + 1}-${pad(m - 1)}-${pad(lastDay(y + 1, m - 1))}T00:00:00`
      : `${y}-${pad(m)}-01T00:00:00`;
  }
  if (!/not in a known format/.test(refusal.message) || (!options.period && options.precision !== "month"))
    throw refusal;
  throw new ValueError(
    `${refusal.message}; or a month: ${ACCEPTED_MONTHS}${options.period ? `; or a fiscal year: ${FISCAL_YEAR_LABELS}` : ""}`,
  );
}

/**
 * A fiscal-year cell → the fiscal year (named by its start year): `2023`, `令和5年度`, `平成30年度`,
 * `2023年度`. Refused, with the forms accepted, for anything else.
 */
export function parseFiscalYear(raw: string): number {
  const s = raw.normalize("NFKC").trim();
  if (/^\d{4}$/.test(s)) return Number(s);
  const fy = readFiscalYearLabel(s);
  if (fy?.ok) return fy.fiscalYear;
  throw new ValueError(
    fy?.reason ?? `fiscal year ${JSON.stringify(raw)} is not a year like 2023 or a label like ${FISCAL_YEAR_LABELS}`,
  );
}

const AGE_UNITS: Record<string, number> = { year: 365, month: 30, week: 7, day: 1 };

/** Free-text ages such as `2 years`, `1 month`, `3 weeks` → days. Negative ages are errors. */
export function parseAgeDays(raw: string): number | null {
  const s = raw.trim().toLowerCase();
  if (s === "" || s === "unknown" || s === "nan") return null;
  const m = /^(-?\d+(?:\.\d+)?)\s*(year|month|week|day)s?$/.exec(s);
  if (!m) throw new ValueError(`age ${JSON.stringify(raw)} is not like "2 years" or "3 weeks"`);
  const n = Number(m[1]);
  if (n < 0) throw new ValueError(`age ${JSON.stringify(raw)} is negative`);
  return Math.round(n * (AGE_UNITS[m[2] ?? "day"] ?? 1));
}

/** Kitten below 5 months, as Shelter Animals Count defines the age groups. */
export const ageClassOf = (days: number | null) => (days === null ? "unknown" : days < 150 ? "kitten" : "adult");

/** `Neutered Male`, `Intact Female`, `Spayed Female`, `Unknown`, `オス`, `メス(不妊済)` → sex and altered. */
export function parseSexAltered(raw: string): { sex: "male" | "female" | "unknown"; altered: boolean | null } {
  const s = raw.trim().toLowerCase();
  const sex = /female|メス|雌|^f$/.test(s) ? "female" : /male|オス|雄|^m$/.test(s) ? "male" : "unknown";
  const altered = /neutered|spayed|済|altered/.test(s) ? true : /intact|未/.test(s) ? false : null;
  return { sex, altered };
}
