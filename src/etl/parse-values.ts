/**
 * Small, strict parsers for the values municipal files hold. Each returns a value or throws a
 * `ValueError` whose message says what was wrong, which ends up as the row's quarantine reason.
 */
export class ValueError extends Error {
  override name = "ValueError";
}

const pad = (n: number) => (n < 10 ? `0${n}` : `${n}`);

function checkDate(y: number, m: number, d: number, raw: string): void {
  if (m < 1 || m > 12) throw new ValueError(`date ${JSON.stringify(raw)} has month ${m}`);
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  if (d < 1 || d > days) throw new ValueError(`date ${JSON.stringify(raw)} has day ${d}, but that month has ${days}`);
  if (y < 1900 || y > 2100) throw new ValueError(`date ${JSON.stringify(raw)} has year ${y}`);
}

/**
 * Parses the date-times municipal files use into a zone-less ISO string `YYYY-MM-DDTHH:mm:ss`:
 * ISO (`2023-04-01`, `2023-04-01 13:05`), Japanese (`2023/4/1`, `2023年4月1日`), and US
 * (`04/01/2023 01:05:00 PM`, `4/1/2023`).
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
  if (y < 1900 || y > 2100 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 || se > 59)
    return undefined;
  if (d > 28 && d > new Date(Date.UTC(y, mo, 0)).getUTCDate()) return undefined;
  return `${y}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}:${pad(se)}`;
}

function parseDateTimeSlow(raw: string): string {
  const s = raw.trim();
  if (s === "") throw new ValueError("date is empty");
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
    if (!m)
      throw new ValueError(`date ${JSON.stringify(raw)} is not in a known format (e.g. 2023-04-01 or 04/01/2023)`);
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
