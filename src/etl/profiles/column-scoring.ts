import type { Dataset } from "../../cats/model.js";
import { SCHEMAS } from "../../cats/schema.js";
import { findTemplateColumn, TEMPLATE_DATASETS, type TemplateDataset } from "../../cats/template.js";
import { DATE_FIELD } from "./declarative-spec.js";
import { parseDateIn } from "./declarative-values.js";
import { FIELD_SYNONYMS, headerKey } from "./header-synonyms.js";
import { guessCanonical, isCodedField } from "./value-guess.js";

/**
 * Scores how well each column of an unknown file fits each canonical field: by its header (catdata
 * template header 1.0, known synonym 0.95, header containing a synonym 0.7) times the share of its
 * sample values that have the field's shape (dates, numbers, known codes). A column that only looks
 * like dates can still be the dataset's date field (0.45). Then each field gets its best column.
 */
export interface ColumnSuggestion {
  field: string;
  header: string;
  confidence: number;
  why: string;
}

export type SampleRows = readonly Record<string, string>[];

const round = (n: number) => Math.round(n * 100) / 100;
const SKIP = new Set(["sourceJob", "sourceRow", "fiscalYear"]);

/** The distinct non-empty values of a column in the sample (placeholders such as NA dropped). */
export const distinctValues = (rows: SampleRows, header: string): string[] => [
  ...new Set(rows.map((r) => (r[header] ?? "").trim()).filter((v) => v !== "" && !/^(na|n\/a|null)$/i.test(v))),
];

function isDate(value: string): boolean {
  // Cheap pre-check: parsing throws on failure, and throwing is slow on wide files.
  if (!/^\s*(\d{1,4}|令和|平成|昭和|[RHS]\s*\d)/i.test(value) || !/\d[/.\-年月]\d/.test(value)) return false;
  for (const format of ["auto", "dmy"] as const) {
    try {
      parseDateIn(value, format);
      return true;
    } catch {}
  }
  return false;
}

const isNumber = (v: string) =>
  /^-?[\d,]+(\.\d+)?\s*[円頭匹件日]?$/.test(v.normalize("NFKC")) || /\d+\s*(year|month|week|day)/i.test(v);

/** Shares of a column's values that are dates and numbers, computed on first use per column. */
export function columnShapes(rows: SampleRows) {
  const cache = new Map<string, { values: string[]; date: number; number: number }>();
  return (header: string) => {
    let shape = cache.get(header);
    if (!shape) {
      const values = distinctValues(rows, header);
      const share = (ok: (v: string) => boolean) => (values.length ? values.filter(ok).length / values.length : 0.5);
      shape = { values, date: share(isDate), number: share(isNumber) };
      cache.set(header, shape);
    }
    return shape;
  };
}

function nameScore(dataset: Dataset, field: string, header: string): [number, string] {
  if ((TEMPLATE_DATASETS as readonly string[]).includes(dataset)) {
    const t = findTemplateColumn(dataset as TemplateDataset, header);
    if (t?.field === field && t.kind !== "time") return [1, "catdata template header"];
  }
  const key = headerKey(header);
  const synonyms = (FIELD_SYNONYMS[dataset][field] ?? []).map(headerKey);
  if (synonyms.includes(key)) return [0.95, "known header name"];
  const part = synonyms.find((s) => s.length >= 3 && key.includes(s));
  return part ? [0.7, `header contains "${part}"`] : [0, ""];
}

/** For each field, the column that fits it best; no column serves two fields. */
export function suggestColumns(
  dataset: Dataset,
  headers: string[],
  shapeOf: ReturnType<typeof columnShapes>,
): ColumnSuggestion[] {
  const candidates: ColumnSuggestion[] = [];
  for (const { field, type } of SCHEMAS[dataset]) {
    if (SKIP.has(field) && !(dataset === "aggregates" && field === "fiscalYear")) continue;
    for (const header of headers) {
      const [name, why] = nameScore(dataset, field, header);
      const isDateField = type === "TIMESTAMP" || type === "DATE";
      if (name === 0 && !(isDateField && field === DATE_FIELD[dataset])) continue;
      const s = shapeOf(header);
      const shape = isDateField
        ? s.date
        : type === "INTEGER" || type === "DOUBLE"
          ? s.number
          : isCodedField(field) && s.values.length
            ? s.values.filter((v) => guessCanonical(field, v) !== undefined).length / s.values.length
            : 1;
      const dateOnly = name === 0 && shape >= 0.9;
      const confidence = name > 0 ? name * (0.5 + 0.5 * shape) : dateOnly ? 0.45 * shape : 0;
      if (confidence < 0.3) continue;
      const reason = dateOnly ? "values look like dates" : `${why}; ${Math.round(shape * 100)}% of values fit`;
      candidates.push({ field, header, confidence: round(confidence), why: reason });
    }
  }
  const fields = new Set<string>();
  const used = new Set<string>();
  return candidates
    .sort((a, b) => b.confidence - a.confidence)
    .filter((c) => {
      if (fields.has(c.field) || used.has(c.header)) return false;
      fields.add(c.field);
      used.add(c.header);
      return true;
    });
}
