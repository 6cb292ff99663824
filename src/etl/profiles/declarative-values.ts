import {
  AGGREGATE_SPECIES,
  COMPLAINT_CATEGORIES,
  INTAKE_TYPES,
  OUTCOME_TYPES,
  SIGHTING_REPORT_TYPES,
} from "../../cats/model.js";
import type { ColumnType } from "../../cats/schema.js";
import { ALTERED_VALUES, PERIOD_FIELDS, type TemplateColumn, toCanonicalValue } from "../../cats/template.js";
import {
  type DatePrecision,
  parseAgeDays,
  parseDateOrPeriod,
  parseDateTime,
  parseFiscalYear,
  ValueError,
} from "../parse-values.js";

/**
 * Cell conversion for declarative (JSON) mapping profiles: a raw cell becomes the value of a
 * canonical field by the field's lake type (schema.ts), a date format, and — for coded fields —
 * the list of canonical values it must belong to.
 */
export const DATE_FORMATS = ["auto", "ymd", "mdy", "dmy"] as const;
export type DateFormat = (typeof DATE_FORMATS)[number];

/** Fields whose values must be one of a canonical list (after the mapping's value map). */
export const ENUM_FIELDS: Readonly<Record<string, readonly string[]>> = {
  intakeType: INTAKE_TYPES,
  outcomeType: OUTCOME_TYPES,
  category: COMPLAINT_CATEGORIES,
  sex: ["male", "female", "unknown"],
  ageClass: ["adult", "kitten", "unknown"],
  reportType: SIGHTING_REPORT_TYPES,
  species: AGGREGATE_SPECIES,
};

/** How precise the mapping's date fields are (`datePrecision` in the mapping); `day` unless declared. */
export const DATE_PRECISIONS = ["day", "month"] as const satisfies readonly DatePrecision[];

export interface DateOptions {
  /** `month`: a month alone (`2020/06`, `令和2年6月`) is read as the first day of that month. */
  precision?: DatePrecision;
  /** Set for a reporting period's fields (PERIOD_FIELDS): months and fiscal years are periods there. */
  period?: "start" | "end";
}

/**
 * A date or date-time in the given order → `YYYY-MM-DDTHH:mm:ss`: every form parseDateTime reads
 * (和暦 included), `2023.4.1`, and — for `dmy` — `1/4/2023`. Months and fiscal-year labels only as
 * `options` allow (parseDateOrPeriod); otherwise refused, never silently the first of the month.
 */
export function parseDateIn(raw: string, format: DateFormat, options: DateOptions = {}): string {
  const s = raw.normalize("NFKC").trim();
  if (format === "dmy") {
    const m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(.*)$/.exec(s);
    if (m) return parseDateTime(`${m[3]}-${m[2]}-${m[1]}${m[4] ?? ""}`);
  }
  return parseDateOrPeriod(s.replace(/^(\d{4})\.(\d{1,2})\.(\d{1,2})(?=\D|$)/, "$1-$2-$3"), options);
}

const ALTERED: TemplateColumn = {
  field: "altered",
  ja: "",
  en: "",
  kind: "boolean",
  required: false,
  values: ALTERED_VALUES,
};

function number(s: string, field: string, integer: boolean): number {
  const n = Number(
    s
      .normalize("NFKC")
      .replaceAll(",", "")
      .replace(/[円頭匹件日]$/, ""),
  );
  if (!Number.isFinite(n) || (integer && !Number.isInteger(n))) {
    throw new ValueError(`${field} ${JSON.stringify(s)} is not a ${integer ? "whole " : ""}number`);
  }
  return n;
}

/**
 * The canonical value of one cell for `field` of lake type `type`; null for an empty cell. Date
 * fields read 和暦 and — by `precision` and PERIOD_FIELDS — months and fiscal years; `fiscalYear`
 * reads `令和5年度` / `2023年度` as well as `2023`.
 */
export function convertCell(
  field: string,
  type: ColumnType,
  raw: string,
  format: DateFormat,
  precision: DatePrecision = "day",
): unknown {
  const s = raw.trim();
  if (s === "") return null;
  const period = PERIOD_FIELDS[field];
  const dateOptions: DateOptions = period ? { precision, period } : { precision };
  switch (type) {
    case "TIMESTAMP":
      return parseDateIn(s, format, dateOptions);
    case "DATE":
      return parseDateIn(s, format, dateOptions).slice(0, 10);
    case "INTEGER":
      if (field === "fiscalYear") return parseFiscalYear(s);
      return field === "ageDays" && !/^\d+$/.test(s) ? parseAgeDays(s) : number(s, field, true);
    case "DOUBLE":
      return number(s, field, false);
    case "BOOLEAN": {
      const v = toCanonicalValue(ALTERED, s) ?? ({ true: "true", false: "false" } as Record<string, string>)[s];
      if (v === undefined) throw new ValueError(`${field} ${JSON.stringify(s)} is not yes/no (済/未)`);
      return v === "unknown" ? null : v === "true";
    }
    default: {
      const allowed = ENUM_FIELDS[field];
      if (allowed && !allowed.includes(s)) {
        throw new ValueError(`${field} ${JSON.stringify(s)} is not one of ${allowed.join(", ")}`);
      }
      return s;
    }
  }
}
