import { parseDateIn } from "./profiles/declarative-values.js";
import { FIELD_SYNONYMS, headerKey } from "./profiles/header-synonyms.js";

/**
 * Columns whose meaning is doubtful, found while the whole file is scanned: a "days in shelter"
 * column is checked against the file's own dates. It is doubtful when its value disagrees with
 * (outcome date − intake date) in more than DOUBTFUL_SHARE of the rows that have all three, or —
 * the classic export bug — when intake date + days lands on one same day (the export date) in at
 * least EXPORT_DATE_SHARE of the rows: the count runs to the day the file was written, not to the
 * outcome. A doubtful column is not mapped by default; the suggestion says why.
 */
export const DAYS_TOLERANCE = 1;
export const DOUBTFUL_SHARE = 0.1;
export const EXPORT_DATE_SHARE = 0.5;
/** Fewer comparable rows than this prove nothing either way. */
export const MIN_CHECKED_ROWS = 10;

export interface DoubtfulColumn {
  column: string;
  /** The canonical field it would otherwise have filled. */
  field: string;
  /** Share of the checked rows that disagree (0..1). */
  share: number;
  checkedRows: number;
  reason: string;
}

const DAY_MS = 86_400_000;
const keys = (list: readonly string[] | undefined) => new Set((list ?? []).map(headerKey));

function dayNumber(raw: string | undefined): number | undefined {
  const s = (raw ?? "").trim();
  if (s === "" || !/\d/.test(s)) return undefined;
  try {
    const iso = parseDateIn(s, "auto");
    return Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / DAY_MS;
  } catch {
    return undefined;
  }
}

const isoOf = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** Checks the file's days-in-shelter columns row by row; `result()` lists the doubtful ones. */
export class DaysColumnCheck {
  readonly #days: string[];
  readonly #intake: string | undefined;
  readonly #outcome: string | undefined;
  readonly #stats = new Map<
    string,
    { checked: number; disagree: number; ends: Map<number, number>; withEnd: number }
  >();

  constructor(headers: readonly string[]) {
    const days = keys(FIELD_SYNONYMS.outcomes.daysInShelter);
    const intake = keys(FIELD_SYNONYMS.intakes.intakeAt);
    const outcome = keys(FIELD_SYNONYMS.outcomes.outcomeAt);
    this.#days = headers.filter((h) => days.has(headerKey(h)));
    this.#intake = headers.find((h) => intake.has(headerKey(h)));
    this.#outcome = headers.find((h) => outcome.has(headerKey(h)));
    for (const h of this.#days) this.#stats.set(h, { checked: 0, disagree: 0, ends: new Map(), withEnd: 0 });
  }

  add(row: Record<string, string>): void {
    if (this.#days.length === 0 || !this.#intake) return;
    const intake = dayNumber(row[this.#intake]);
    if (intake === undefined) return;
    const outcome = this.#outcome ? dayNumber(row[this.#outcome]) : undefined;
    for (const header of this.#days) {
      const raw = (row[header] ?? "").trim().replaceAll(",", "");
      if (!/^\d+(\.\d+)?$/.test(raw)) continue;
      const days = Number(raw);
      const s = this.#stats.get(header);
      if (!s) continue;
      const end = intake + Math.round(days);
      s.withEnd++;
      if (s.ends.size < 10_000 || s.ends.has(end)) s.ends.set(end, (s.ends.get(end) ?? 0) + 1);
      if (outcome === undefined) continue;
      s.checked++;
      if (Math.abs(days - (outcome - intake)) > DAYS_TOLERANCE) s.disagree++;
    }
  }

  result(): DoubtfulColumn[] {
    const out: DoubtfulColumn[] = [];
    for (const [column, s] of this.#stats) {
      const pct = (share: number) => `${Math.round(share * 100)}%`;
      if (s.checked >= MIN_CHECKED_ROWS && s.disagree / s.checked > DOUBTFUL_SHARE) {
        const share = s.disagree / s.checked;
        out.push({
          column,
          field: "daysInShelter",
          share,
          checkedRows: s.checked,
          reason: `column ${column} disagrees with the dates (${this.#outcome} − ${this.#intake}) in ${pct(share)} of rows; not mapped`,
        });
        continue;
      }
      const [end, rows] = [...s.ends].sort((a, b) => b[1] - a[1])[0] ?? [0, 0];
      if (s.withEnd >= MIN_CHECKED_ROWS && rows / s.withEnd >= EXPORT_DATE_SHARE) {
        const share = rows / s.withEnd;
        out.push({
          column,
          field: "daysInShelter",
          share,
          checkedRows: s.withEnd,
          reason: `column ${column} counts days up to ${isoOf(end)} (the export date?) in ${pct(share)} of rows, not to the outcome; not mapped`,
        });
      }
    }
    return out;
  }
}
