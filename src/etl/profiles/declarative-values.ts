import {
  AGGREGATE_SPECIES,
  COMPLAINT_CATEGORIES,
  INTAKE_TYPES,
  OUTCOME_TYPES,
  SIGHTING_REPORT_TYPES,
} from "../../cats/model.js";
import type { ColumnType } from "../../cats/schema.js";
import { ALTERED_VALUES, type TemplateColumn, toCanonicalValue } from "../../cats/template.js";
import { parseWarekiYear } from "../../cats/wareki.js";
import { parseAgeDays, parseDateTime, ValueError } from "../parse-values.js";

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

/** `令和5年4月1日`, `R5.4.1`, `H30/4/1` → `2023-04-01…`; other text unchanged. */
function fromWareki(s: string): string {
  const m = /^(令和|平成|昭和|[RHS])\s*(元|\d{1,2})\s*[年./-]\s*(\d{1,2})\s*[月./-]\s*(\d{1,2})\s*日?(.*)$/i.exec(s);
  const year = m ? parseWarekiYear(`${m[1]}${m[2]}年`) : null;
  return m && year ? `${year}-${m[3]}-${m[4]}${m[5] ?? ""}` : s;
}

/** A date or date-time in the given order → `YYYY-MM-DDTHH:mm:ss`. */
export function parseDateIn(raw: string, format: DateFormat): string {
  const s = fromWareki(raw.normalize("NFKC").trim());
  if (format === "dmy") {
    const m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(.*)$/.exec(s);
    if (m) return parseDateTime(`${m[3]}-${m[2]}-${m[1]}${m[4] ?? ""}`);
  }
  return parseDateTime(s.replace(/^(\d{4})\.(\d{1,2})\.(\d{1,2})/, "$1-$2-$3"));
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

/** The canonical value of one cell for `field` of lake type `type`; null for an empty cell. */
export function convertCell(field: string, type: ColumnType, raw: string, format: DateFormat): unknown {
  const s = raw.trim();
  if (s === "") return null;
  switch (type) {
    case "TIMESTAMP":
      return parseDateIn(s, format);
    case "DATE":
      return parseDateIn(s, format).slice(0, 10);
    case "INTEGER":
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
