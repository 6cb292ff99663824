import { DATASETS, type Dataset } from "../cats/model.js";
import {
  type ColumnSuggestion,
  columnShapes,
  distinctValues,
  type SampleRows,
  suggestColumns,
} from "./profiles/column-scoring.js";
import { DATE_FIELD, type DeclarativeProfile, REQUIRED_FIELDS } from "./profiles/declarative-spec.js";
import { type DateFormat, ENUM_FIELDS } from "./profiles/declarative-values.js";
import { CAT_LABELS, headerKey, SPECIES_HEADERS } from "./profiles/header-synonyms.js";
import { DEFAULT_VALUE, guessCanonical, isCodedField } from "./profiles/value-guess.js";

export type { ColumnSuggestion } from "./profiles/column-scoring.js";
export { profileFromSuggestion } from "./profiles/declarative-profile.js";

/**
 * Suggested mappings for a file no profile matches: for each canonical dataset, the column that
 * fits each field (by header name in English or Japanese and by the shape of sample values, see
 * profiles/column-scoring.ts), value maps for coded fields, the date order, a cat filter and a dedup
 * rule — as a declarative profile (JSON, `catdata-mapping/1`) for the user to check, edit and
 * confirm. `profileFromSuggestion` turns the confirmed JSON into a MappingProfile.
 */
export interface MappingSuggestion {
  dataset: Dataset;
  /** Mean confidence of the dataset's required fields (0 for a required field nothing fills). */
  confidence: number;
  columns: ColumnSuggestion[];
  /** Required fields no column fills (and no constant stands in for). */
  missing: string[];
  profile: DeclarativeProfile;
}

/** Stand-ins for required fields a file often lacks: a TNR row is one cat, a complaint "other". */
const CONSTANTS: Partial<Record<Dataset, Record<string, string | number>>> = {
  tnr: { count: 1 },
  complaints: { category: "other" },
};
const SAMPLE_LIMIT = 500;

function dateFormatOf(values: string[]): DateFormat {
  for (const v of values) {
    const m = /^(\d{1,2})[/.-](\d{1,2})[/.-]\d{4}/.exec(v);
    if (m && Number(m[1]) > 12) return "dmy";
    if (m && Number(m[2]) > 12) return "mdy";
  }
  return "auto";
}

function catFilter(headers: string[], rows: SampleRows): DeclarativeProfile["filter"] {
  for (const header of headers.filter((h) => SPECIES_HEADERS.includes(headerKey(h)))) {
    const cats = distinctValues(rows, header).filter((v) => CAT_LABELS.has(v.normalize("NFKC").toLowerCase()));
    if (cats.length > 0) return { column: header, values: cats };
  }
  return undefined;
}

function valueMaps(columns: ColumnSuggestion[], rows: SampleRows): Record<string, Record<string, string>> {
  const maps: Record<string, Record<string, string>> = {};
  for (const { field, header } of columns.filter((c) => ENUM_FIELDS[c.field] && isCodedField(c.field))) {
    const map: Record<string, string> = {};
    for (const label of distinctValues(rows, header)) {
      const guess = guessCanonical(field, label) ?? DEFAULT_VALUE[field];
      if (guess !== undefined && guess !== label) map[label] = guess;
    }
    const fallback = DEFAULT_VALUE[field];
    if (fallback) map["*"] = fallback;
    maps[field] = map;
  }
  return maps;
}

function suggestFor(
  dataset: Dataset,
  headers: string[],
  rows: SampleRows,
  shapes: ReturnType<typeof columnShapes>,
  name: string,
): MappingSuggestion {
  const columns = suggestColumns(dataset, headers, shapes);
  const byField = new Map(columns.map((c) => [c.field, c]));
  const constants = Object.fromEntries(Object.entries(CONSTANTS[dataset] ?? {}).filter(([f]) => !byField.has(f)));
  const required = REQUIRED_FIELDS[dataset];
  const scores = required.map((f) => byField.get(f)?.confidence ?? (f in constants ? 0.3 : 0));
  const dateHeaders = columns.filter((c) => /At$|On$/.test(c.field)).map((c) => c.header);
  const filter = catFilter(headers, rows);
  const profile: DeclarativeProfile = {
    format: "catdata-mapping/1",
    name: `${name}-${dataset}`,
    description: `suggested from the headers: ${headers.slice(0, 8).join(", ")}${headers.length > 8 ? ", …" : ""}`,
    dataset,
    columns: Object.fromEntries(columns.map((c) => [c.field, c.header])),
    constants,
    values: valueMaps(columns, rows),
    dateFormat: dateFormatOf(dateHeaders.flatMap((h) => distinctValues(rows, h))),
    ...(filter ? { filter } : {}),
    dedup: byField.has("animalId") ? ["animalId", DATE_FIELD[dataset]] : [],
  };
  return {
    dataset,
    confidence: Math.round((scores.reduce((a, b) => a + b, 0) / required.length) * 100) / 100,
    columns,
    missing: required.filter((f) => !byField.has(f) && !(f in constants)),
    profile,
  };
}

/** A suggestion per canonical dataset, most confident first. `sampleRows`: the file's first rows. */
export function suggestMapping(
  headers: string[],
  sampleRows: SampleRows,
  options: { name?: string } = {},
): MappingSuggestion[] {
  const slug = (options.name ?? "suggested").toLowerCase().replace(/[^a-z0-9]+/g, "-");
  const name = slug.replace(/^-+|-+$/g, "") || "suggested";
  const rows = sampleRows.slice(0, SAMPLE_LIMIT);
  const shapes = columnShapes(rows);
  return DATASETS.map((d) => suggestFor(d, headers, rows, shapes, name)).sort((a, b) => b.confidence - a.confidence);
}

/** The declarative profile of a suggestion as the JSON text the user confirms (or edits). */
export const renderSuggestion = (suggestion: MappingSuggestion): string =>
  `${JSON.stringify(suggestion.profile, null, 2)}\n`;
