/**
 * Small, strict parsers for the values municipal files hold. Each returns a value or throws a
 * `ValueError` whose message says what was wrong, which ends up as the row's quarantine reason.
 */
export class ValueError extends Error {
  override name = "ValueError";
}

const pad = (n: number) => String(n).padStart(2, "0");

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
