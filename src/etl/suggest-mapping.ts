import { DATASETS, type Dataset } from "../cats/model.js";
import type { DoubtfulColumn } from "./doubtful-columns.js";
import type { LabelCounts } from "./label-counts.js";
import {
  type ColumnSuggestion,
  columnShapes,
  distinctValues,
  type SampleRows,
  suggestColumns,
} from "./profiles/column-scoring.js";
import { DATE_FIELD, type DeclarativeProfile, REQUIRED_FIELDS } from "./profiles/declarative-spec.js";
import { type DateFormat, ENUM_FIELDS } from "./profiles/declarative-values.js";
import { headerKey, SPECIES_HEADERS } from "./profiles/header-synonyms.js";
import {
  CAT_WORDS,
  catWordMatcher,
  SPECIES_HINT,
  SPECIES_NOT_DECLARED,
  SPECIES_REQUIRED_DATASETS,
  type SpeciesRule,
} from "./profiles/species-rule.js";
import { guessCanonical, isCodedField } from "./profiles/value-guess.js";
import { isCatSpecies, vocabularyEntry } from "./vocabularies.js";

export type { ColumnSuggestion } from "./profiles/column-scoring.js";
export { profileFromSuggestion } from "./profiles/declarative-profile.js";

/**
 * Suggested mappings for a file no profile matches: for each canonical dataset, the column that
 * fits each field (by header name in English or Japanese and by the shape of sample values, see
 * profiles/column-scoring.ts), value maps for coded fields, the date order, a cat filter and a dedup
 * rule — as a declarative profile (JSON, `catdata-mapping/1`) for the user to check, edit and
 * confirm. `profileFromSuggestion` turns the confirmed JSON into a MappingProfile.
 *
 * It tells the truth about the labels: given a whole-file scan (sample-file.ts `scanFile`), every
 * distinct label of a coded column is counted; a label nothing recognises is left unmapped and
 * listed with its row count (no catch-all `*`: the officer decides), labels the vocabularies map by
 * convention carry a note (DOA → other), species labels that are not cats are listed as skipped,
 * and doubtful columns (a days-in-shelter that disagrees with the dates) are not mapped.
 */

/** A label of a coded column the suggested value map does not cover: its rows would be quarantined. */
export interface UnmappedLabel {
  field: string;
  column: string;
  label: string;
  /** Rows with this label (among the cat rows when there is a cat filter). */
  rows: number;
  /** Why the vocabulary leaves it to the officer, when it knows the label. */
  decision?: string;
}

/** A label mapped by a convention worth knowing (DOA → other, Return to Habitat → return_to_field). */
export interface MappedLabelNote {
  field: string;
  label: string;
  value: string;
  rows: number;
  note: string;
}

/** Rows the cat filter skips, by their species label. */
export interface SkippedLabel {
  column: string;
  label: string;
  rows: number;
}

/** What the scan of the whole file adds to the first rows (sample-file.ts ScannedTable). */
export interface FileLabels {
  rowCount: number;
  labels: Record<string, LabelCounts>;
  catLabels?: Record<string, LabelCounts>;
  doubtful?: DoubtfulColumn[];
}
/**
 * How the suggestion knows species. Without a species column nothing is assumed: the proposed
 * mapping has no species section (for a dataset in SPECIES_REQUIRED_DATASETS every row would be
 * skipped, `skippedRows`), and a derive rule is offered with the rows it would take as cats — it
 * takes effect only once the officer writes it into the mapping as `species`.
 */
export interface SpeciesSuggestion {
  /** "column": the file's species column (the mapping's `filter`); "not declared": none. */
  known: "column" | "not declared";
  /** Rows a load would skip as "species not declared" (0 when species is known or not required). */
  skippedRows: number;
  /** The derive rule on the text column that names a cat most often, when some row names one. */
  derive?: {
    rule: Extract<SpeciesRule, { derive: unknown }>;
    /** Rows whose text names a cat, counted over `countedRows`. */
    cats: number;
    countedRows: number;
    /** Up to SPECIES_EXAMPLES distinct texts that name a cat. */
    examples: string[];
  };
}

/** How many example texts the derive offer lists. */
export const SPECIES_EXAMPLES = 5;
/**
 * The most a dataset that needs species may claim when the file has no species column: a date and
 * a category column alone do not make a file cat complaints.
 */
export const SPECIES_UNKNOWN_MAX_CONFIDENCE = 0.5;

export interface MappingSuggestion {
  dataset: Dataset;
  species: SpeciesSuggestion;
  /** Mean confidence of the dataset's required fields (0 for a required field nothing fills). */
  confidence: number;
  columns: ColumnSuggestion[];
  /** Required fields no column fills (and no constant stands in for). */
  missing: string[];
  profile: DeclarativeProfile;
  /** Rows the labels were counted over (the whole file when scanned, else the sample). */
  countedRows: number;
  unmapped: UnmappedLabel[];
  notes: MappedLabelNote[];
  skipped: SkippedLabel[];
  /** Columns whose meaning is doubtful, left out of `columns`. */
  doubtful: DoubtfulColumn[];
  /** Coded columns with more than MAX_DISTINCT_LABELS labels: free text, not listed label by label. */
  freeText: string[];
}

/** Stand-ins for required fields a file often lacks: a TNR row is one cat, a complaint "other". */
const CONSTANTS: Partial<Record<Dataset, Record<string, string | number>>> = {
  tnr: { count: 1 },
  complaints: { category: "other" },
};
const SAMPLE_LIMIT = 500;

/** Label → rows of a column: from the whole-file scan when there is one, else from the sample. */
type Counter = (header: string, cats: boolean) => { entries: [string, number][]; freeText: boolean };

function counterOf(rows: SampleRows, scan: FileLabels | undefined, species: string | undefined): Counter {
  return (header, cats) => {
    const counts = scan ? ((cats ? scan.catLabels?.[header] : undefined) ?? scan.labels[header]) : undefined;
    if (scan) return { entries: counts?.entries() ?? [], freeText: counts?.freeText ?? false };
    const tally = new Map<string, number>();
    const values = new Set(distinctValues(rows, header));
    for (const r of rows) {
      if (cats && species && !isCatSpecies(r[species] ?? "")) continue;
      const v = (r[header] ?? "").trim();
      if (values.has(v)) tally.set(v, (tally.get(v) ?? 0) + 1);
    }
    return { entries: [...tally].sort((a, b) => b[1] - a[1]), freeText: false };
  };
}

function dateFormatOf(values: string[]): DateFormat {
  for (const v of values) {
    const m = /^(\d{1,2})[/.-](\d{1,2})[/.-]\d{4}/.exec(v);
    if (m && Number(m[1]) > 12) return "dmy";
    if (m && Number(m[2]) > 12) return "mdy";
  }
  return "auto";
}

/** The species column and its cat labels (Cat, Kitten, 猫, 子猫…), with the other labels as skipped rows. */
function catFilter(
  headers: string[],
  count: Counter,
): { filter?: NonNullable<DeclarativeProfile["filter"]>; skipped: SkippedLabel[] } {
  for (const header of headers.filter((h) => SPECIES_HEADERS.includes(headerKey(h)))) {
    const entries = count(header, false).entries;
    const cats = entries.filter(([v]) => isCatSpecies(v)).map(([v]) => v);
    if (cats.length === 0) continue;
    const skipped = entries.filter(([v]) => !isCatSpecies(v)).map(([label, rows]) => ({ column: header, label, rows }));
    return { filter: { column: header, values: cats }, skipped };
  }
  return { skipped: [] };
}

/**
 * The derive rule's offer: the column whose text names a cat in the most rows (whole-file label
 * counts when the column was counted, else the sample), labelled by the category column.
 */
function deriveOffer(
  headers: string[],
  rows: SampleRows,
  scan: FileLabels | undefined,
  label: string | undefined,
): SpeciesSuggestion["derive"] {
  const matches = catWordMatcher(CAT_WORDS);
  let best: NonNullable<SpeciesSuggestion["derive"]> | undefined;
  for (const header of headers) {
    const counted = scan?.labels[header];
    const entries: [string, number][] =
      counted && !counted.freeText
        ? counted.entries()
        : [
            ...rows.reduce(
              (m, r) => m.set(r[header] ?? "", (m.get(r[header] ?? "") ?? 0) + 1),
              new Map<string, number>(),
            ),
          ];
    const hits = entries.filter(([text]) => matches(text));
    const cats = hits.reduce((n, [, k]) => n + k, 0);
    if (cats === 0 || (best && best.cats >= cats)) continue;
    best = {
      rule: { derive: { columns: [header], ...(label && label !== header ? { label } : {}) } },
      cats,
      countedRows: counted && !counted.freeText ? (scan?.rowCount ?? rows.length) : rows.length,
      examples: hits.slice(0, SPECIES_EXAMPLES).map(([text]) => text),
    };
  }
  return best;
}

/** The species lines of `catdata suggest-mapping`: loud when species is not declared. */
export function describeSpecies(s: MappingSuggestion): string {
  if (s.species.known === "column") return "";
  const lines: string[] = [];
  if (s.species.skippedRows > 0)
    lines.push(
      `SPECIES: NOT DECLARED — ${s.species.skippedRows} rows will be skipped ("${SPECIES_NOT_DECLARED}"): the file has no species column and nothing is assumed.`,
      `  To load them, ${SPECIES_HINT}.`,
    );
  const d = s.species.derive;
  if (d)
    lines.push(
      `  Offered (not applied): "species": ${JSON.stringify(d.rule)} — ${d.cats} of ${d.countedRows} rows name a cat, e.g. ${d.examples.map((e) => JSON.stringify(e)).join(", ")}`,
    );
  return lines.length ? `${lines.join("\n")}\n` : "";
}

interface ValueMaps {
  maps: Record<string, Record<string, string>>;
  unmapped: UnmappedLabel[];
  notes: MappedLabelNote[];
  freeText: string[];
}

/** Value maps of the coded fields: every counted label guessed, or listed as unmapped. No `*`. */
function valueMaps(columns: ColumnSuggestion[], count: Counter, cats: boolean): ValueMaps {
  const out: ValueMaps = { maps: {}, unmapped: [], notes: [], freeText: [] };
  for (const { field, header } of columns.filter((c) => ENUM_FIELDS[c.field] && isCodedField(c.field))) {
    const map: Record<string, string> = {};
    const { entries, freeText } = count(header, cats);
    if (freeText) out.freeText.push(header);
    for (const [label, rows] of entries) {
      const guess = guessCanonical(field, label);
      const vocabulary = vocabularyEntry(field, label);
      if (guess === undefined) {
        out.unmapped.push({
          field,
          column: header,
          label,
          rows,
          ...(vocabulary?.note ? { decision: vocabulary.note } : {}),
        });
        continue;
      }
      if (guess !== label) map[label] = guess;
      if (vocabulary?.note) out.notes.push({ field, label, value: guess, rows, note: vocabulary.note });
    }
    out.maps[field] = map;
  }
  return out;
}

function suggestFor(
  dataset: Dataset,
  headers: string[],
  rows: SampleRows,
  shapes: ReturnType<typeof columnShapes>,
  name: string,
  scan: FileLabels | undefined,
): MappingSuggestion {
  const proposed = suggestColumns(dataset, headers, shapes);
  const doubtful = (scan?.doubtful ?? []).filter((d) =>
    proposed.some((c) => c.header === d.column && c.field === d.field),
  );
  const columns = proposed.filter((c) => !doubtful.some((d) => d.column === c.header && d.field === c.field));
  const byField = new Map(columns.map((c) => [c.field, c]));
  const constants = Object.fromEntries(Object.entries(CONSTANTS[dataset] ?? {}).filter(([f]) => !byField.has(f)));
  const required = REQUIRED_FIELDS[dataset];
  const scores = required.map((f) => byField.get(f)?.confidence ?? (f in constants ? 0.3 : 0));
  const speciesRequired = SPECIES_REQUIRED_DATASETS.includes(dataset);
  const dateHeaders = columns.filter((c) => /At$|On$/.test(c.field)).map((c) => c.header);
  const all = counterOf(rows, scan, undefined);
  const { filter, skipped } = catFilter(headers, all);
  const count = counterOf(rows, scan, filter?.column);
  const values = valueMaps(columns, count, filter !== undefined);
  const profile: DeclarativeProfile = {
    format: "catdata-mapping/1",
    name: `${name}-${dataset}`,
    description: `suggested from the headers: ${headers.slice(0, 8).join(", ")}${headers.length > 8 ? ", …" : ""}`,
    dataset,
    columns: Object.fromEntries(columns.map((c) => [c.field, c.header])),
    constants,
    values: values.maps,
    dateFormat: dateFormatOf(dateHeaders.flatMap((h) => distinctValues(rows, h))),
    ...(filter ? { filter } : {}),
    dedup: byField.has("animalId") ? ["animalId", DATE_FIELD[dataset]] : [],
  };
  const countedRows = scan?.rowCount ?? rows.length;
  const derive = filter ? undefined : deriveOffer(headers, rows, scan, byField.get("category")?.header);
  const species: SpeciesSuggestion = {
    known: filter ? "column" : "not declared",
    skippedRows: filter || !speciesRequired ? 0 : countedRows,
    ...(derive ? { derive } : {}),
  };
  const mean = scores.reduce((a, b) => a + b, 0) / required.length;
  const confidence = filter || !speciesRequired ? mean : Math.min(mean, SPECIES_UNKNOWN_MAX_CONFIDENCE);
  return {
    dataset,
    species,
    confidence: Math.round(confidence * 100) / 100,
    columns,
    missing: required.filter((f) => !byField.has(f) && !(f in constants)),
    profile,
    countedRows,
    unmapped: values.unmapped,
    notes: values.notes,
    skipped,
    doubtful,
    freeText: values.freeText,
  };
}

/**
 * A suggestion per canonical dataset, most confident first. `sampleRows`: the file's first rows
 * (for the columns' shapes); `options.scan`: the whole file's label counts (scanFile) — without it
 * labels are counted in the sample only.
 */
export function suggestMapping(
  headers: string[],
  sampleRows: SampleRows,
  options: { name?: string; scan?: FileLabels } = {},
): MappingSuggestion[] {
  const slug = (options.name ?? "suggested").toLowerCase().replace(/[^a-z0-9]+/g, "-");
  const name = slug.replace(/^-+|-+$/g, "") || "suggested";
  const rows = sampleRows.slice(0, SAMPLE_LIMIT);
  const shapes = columnShapes(rows);
  return DATASETS.map((d) => suggestFor(d, headers, rows, shapes, name, options.scan)).sort(
    (a, b) => b.confidence - a.confidence,
  );
}

/** The declarative profile of a suggestion as the JSON text the user confirms (or edits). */
export const renderSuggestion = (suggestion: MappingSuggestion): string =>
  `${JSON.stringify(suggestion.profile, null, 2)}\n`;
