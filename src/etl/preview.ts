import type { Dataset } from "../cats/model.js";
import { LabelCounts } from "./label-counts.js";
import { profileFromSuggestion, unmappedLabelOf } from "./profiles/declarative-profile.js";
import { DATE_FIELD, parseDeclarative } from "./profiles/declarative-spec.js";
import type { RowContext } from "./profiles/profile.js";
import { speciesDecider, speciesRuleOf } from "./profiles/species-rule.js";
import { openFileTables } from "./sample-file.js";
import type { UploadTable } from "./tables.js";

/**
 * The figures of a mapping before anything loads: every row of the file goes through the mapping's
 * own `mapRow` (the code a load runs), and the outcome is counted — records per category and month,
 * the rows that would be quarantined (count, the first PREVIEW_EXAMPLES with their reasons), the
 * unmapped labels with their row counts, and the skipped rows by their label: the species cell
 * (a species column), the derive rule's label column (e.g. the request type), or the reason
 * ("species not declared" when the mapping states no species); `cats` is the rows the species rule
 * takes as cats (loaded or quarantined).
 * Nothing is written. `previewTables` takes the tables (the CLI opens a local file, the API an upload).
 */
export const PREVIEW_EXAMPLES = 5;

/** The coded field a dataset's records are counted by in the preview (none: one category, "all"). */
export const CATEGORY_FIELD: Readonly<Partial<Record<Dataset, string>>> = {
  intakes: "intakeType",
  outcomes: "outcomeType",
  complaints: "category",
  aggregates: "metric",
  sightings: "reportType",
};

export interface PreviewCount {
  category: string;
  /** `YYYY-MM` of the record's date field (aggregates: the fiscal year). */
  month: string;
  rows: number;
}

export interface Preview {
  dataset: Dataset;
  mapping: string;
  rows: number;
  /** Rows that would load (records built). */
  loaded: number;
  byCategory: Record<string, number>;
  byCategoryMonth: PreviewCount[];
  quarantined: { rows: number; examples: { table: string; row: number; reason: string }[] };
  unmapped: { field: string; column: string; label: string; rows: number }[];
  skipped: { rows: number; column?: string; labels: { label: string; rows: number }[] };
  /** Rows the mapping's species rule takes as cats (the derived cat count of a derive rule). */
  cats: number;
}

/** The fiscal-year start a preview maps with when none is known; never shown (see previewTables). */
export const PREVIEW_PLACEHOLDER_FY_START = 1;

export interface PreviewOptions {
  /** The upload's municipality; the mapping's own, else a placeholder (the preview loads nothing). */
  municipality?: string;
  fiscalYearStartMonth?: number;
}

/** Runs the mapping over every row of the tables and counts what a load would do. */
export async function previewTables(
  tables: AsyncIterable<UploadTable>,
  mapping: unknown,
  options: PreviewOptions = {},
): Promise<Preview> {
  const spec = parseDeclarative(mapping);
  const profile = profileFromSuggestion(spec);
  const categoryField = CATEGORY_FIELD[spec.dataset];
  const dateField = DATE_FIELD[spec.dataset];
  const cells = new Map<string, PreviewCount>();
  const unmapped = new Map<string, { field: string; column: string; label: string; rows: number }>();
  const skippedLabels = new LabelCounts();
  const rule = speciesRuleOf(spec);
  const species = speciesDecider(spec);
  const labelColumn = rule && "column" in rule ? rule.column : rule && "derive" in rule ? rule.derive.label : undefined;
  const preview: Preview = {
    dataset: spec.dataset,
    mapping: spec.name,
    rows: 0,
    loaded: 0,
    byCategory: {},
    byCategoryMonth: [],
    quarantined: { rows: 0, examples: [] },
    unmapped: [],
    skipped: { rows: 0, ...(labelColumn ? { column: labelColumn } : {}), labels: [] },
    cats: 0,
  };
  const ctx: RowContext = {
    municipality: options.municipality ?? spec.municipality ?? "preview",
    // The mapped records need a fiscal-year start, but no preview figure depends on it: counts are by
    // the date's calendar month (aggregates: the fiscal year the file itself names). So this
    // placeholder never becomes a figure; the load itself refuses an unknown start (run-job.ts).
    fiscalYearStartMonth: options.fiscalYearStartMonth ?? spec.fiscalYearStartMonth ?? PREVIEW_PLACEHOLDER_FY_START,
    jobId: "preview",
    fileName: "",
    row: 0,
  };
  for await (const table of tables) {
    ctx.fileName = table.name;
    let row = 0;
    for await (const { values } of table.rows) {
      row++;
      preview.rows++;
      ctx.row = row;
      const result = profile.mapRow(values, ctx);
      if (result.kind === "skip") {
        preview.skipped.rows++;
        const decision = species(values);
        skippedLabels.add(decision.cat ? result.reason : decision.label);
        continue;
      }
      preview.cats++;
      if (result.kind === "reject") {
        preview.quarantined.rows++;
        if (preview.quarantined.examples.length < PREVIEW_EXAMPLES)
          preview.quarantined.examples.push({ table: table.name, row, reason: result.reason });
        const label = unmappedLabelOf(result.reason);
        if (label) {
          const key = `${label.field}\u0000${label.label}`;
          const entry = unmapped.get(key) ?? { ...label, rows: 0 };
          entry.rows++;
          unmapped.set(key, entry);
        }
        continue;
      }
      preview.loaded++;
      for (const { record } of result.records) {
        const r = record as unknown as Record<string, unknown>;
        const category = categoryField ? String(r[categoryField] ?? "") : "all";
        const month = dateField === "fiscalYear" ? String(r.fiscalYear) : String(r[dateField] ?? "").slice(0, 7);
        const key = `${category}\u0000${month}`;
        const cell = cells.get(key) ?? { category, month, rows: 0 };
        cell.rows++;
        cells.set(key, cell);
        preview.byCategory[category] = (preview.byCategory[category] ?? 0) + 1;
      }
    }
  }
  preview.byCategoryMonth = [...cells.values()].sort((a, b) =>
    a.month === b.month ? a.category.localeCompare(b.category) : a.month.localeCompare(b.month),
  );
  preview.unmapped = [...unmapped.values()].sort((a, b) => b.rows - a.rows);
  preview.skipped.labels = skippedLabels.entries().map(([label, rows]) => ({ label, rows }));
  return preview;
}

/** The preview of a local file (every table) under a mapping. */
export const previewFile = (file: string, mapping: unknown, options: PreviewOptions = {}): Promise<Preview> =>
  previewTables(openFileTables(file), mapping, options);
