import { z } from "zod";
import { readFiscalYearLabel } from "../../cats/fiscal-year.js";
import { AGGREGATE_SPECIES, type AggregateRecord } from "../../cats/model.js";
import { badInput } from "../../errors.js";
import { parseFiscalYear, ValueError } from "../parse-values.js";
import type { MappedRecord, MappingProfile, RowContext } from "./profile.js";
import { recordsOrReject } from "./row-helpers.js";

/**
 * Aggregated (wide) tables: the yearly tables Japanese offices publish (引取り・返還・譲渡 per 年度).
 * One declarative mapping lists several `measures`; every non-empty cell becomes one aggregates
 * record (metric, value, fiscal year, region, species). Periods are either ROWS (`columns.fiscalYear`
 * names the 年度 column, each measure is a column) or COLUMNS (`"periods": "columns"`: every header
 * that reads as a fiscal year — 令和3年度, 2022年度, 2023 — is one period, each row is one measure
 * named by the label column `columns.metric`, mapped through `values.metric`).
 * Cells: blank is "no figure" (nothing loaded, never a zero); a dash (-, －, ―, ‐, —) is zero only when
 * the mapping says `"dashIsZero": true`, otherwise it is a blank; anything else that is not a whole
 * number ≥ 0 (thousands separators allowed) quarantines the whole row, the reason naming the row
 * and the column, so a year is never loaded with some of its figures missing.
 * Totals rows (合計) are removed before this runs, by the TableShaper (header-row.ts).
 */

/** The metrics a wide table may load: the KPI mart's figures (docs/warehouse.md) that aggregates can fill. */
export const AGGREGATE_METRICS = [
  "intakes",
  "returns_to_owner",
  "adoptions",
  "transfers_out",
  "return_to_field",
  "euthanasia",
  "died_in_care",
  "tnr_operations",
  "complaints",
] as const;
export type AggregateMetric = (typeof AGGREGATE_METRICS)[number];

/** The cells that mean "none" in Japanese tables; zero only with `dashIsZero`. */
export const DASHES: readonly string[] = ["-", "－", "―", "‐", "—", "ー"];

export const PERIOD_LAYOUTS = ["rows", "columns"] as const;

/** The zod fields a wide mapping adds to declarativeProfileSchema (spread into it). */
export const wideSpecShape = {
  measures: z
    .array(z.object({ column: z.string().min(1), metric: z.enum(AGGREGATE_METRICS) }))
    .min(1)
    .optional()
    .describe("wide tables: the columns (periods as rows) or row labels (periods as columns) and their metric"),
  periods: z.enum(PERIOD_LAYOUTS).optional().describe("wide tables: fiscal years as rows (default) or as columns"),
  dashIsZero: z.boolean().optional().describe("wide tables: a dash cell (-, －, ―) is 0; default: no figure"),
};

/**
 * The fields of a declarative mapping (declarative-spec.ts's DeclarativeProfile) a wide table reads:
 * structural, so this module need not import that one, which spreads this one's zod fields.
 */
interface WideSpec {
  name: string;
  description: string;
  dataset: string;
  municipality?: string | undefined;
  fiscalYearStartMonth?: number | undefined;
  columns: Record<string, string>;
  constants: Record<string, string | number | boolean>;
  values: Record<string, Record<string, string>>;
  measures?: { column: string; metric: AggregateMetric }[] | undefined;
  periods?: (typeof PERIOD_LAYOUTS)[number] | undefined;
  dashIsZero?: boolean | undefined;
}

/** A mapping that loads a wide table (measures listed or periods as columns). */
export const isWide = (spec: WideSpec): boolean => spec.measures !== undefined || spec.periods !== undefined;

/**
 * Checks a wide mapping beyond its zod shape; returns the aggregates fields it fills itself (so the
 * required-field check skips them). Not a wide mapping → an empty set.
 */
export function validateWide(spec: WideSpec): Set<string> {
  if (!isWide(spec)) return new Set();
  const fix = "see docs/data-model.md, “Yearly tables: several measures in one mapping”";
  if (spec.dataset !== "aggregates")
    throw badInput(`measures/periods are for the aggregates dataset, not ${spec.dataset}`, fix);
  // Species is never assumed: until the mapping's species section exists, the constant states it.
  const species = spec.constants.species;
  if (!AGGREGATE_SPECIES.includes(species as (typeof AGGREGATE_SPECIES)[number]))
    throw badInput(
      `a wide table must state its species: constants.species is ${JSON.stringify(species ?? null)}`,
      `set "constants": {"species": "cat"} (or "dog_and_cat" when the table does not split them)`,
    );
  if ((spec.periods ?? "rows") === "rows") {
    if (!spec.measures) throw badInput("a wide table with periods as rows needs measures", fix);
    if (!spec.columns.fiscalYear)
      throw badInput("a wide table with periods as rows needs columns.fiscalYear (the 年度 column)", fix);
  } else {
    if (!spec.columns.metric)
      throw badInput("a wide table with periods as columns needs columns.metric (the column naming each row)", fix);
    const labels = {
      ...spec.values.metric,
      ...Object.fromEntries((spec.measures ?? []).map((m) => [m.column, m.metric])),
    };
    if (Object.keys(labels).length === 0)
      throw badInput("a wide table with periods as columns maps its row labels: values.metric or measures", fix);
    for (const [label, metric] of Object.entries(labels))
      if (!(AGGREGATE_METRICS as readonly string[]).includes(metric))
        throw badInput(
          `values.metric maps ${JSON.stringify(label)} to ${JSON.stringify(metric)}, which is not a metric`,
          `metrics: ${AGGREGATE_METRICS.join(", ")}`,
        );
  }
  return new Set(["metric", "value", "region", ...(spec.periods === "columns" ? ["fiscalYear"] : [])]);
}

const norm = (s: string) => s.normalize("NFKC").trim().toLowerCase();

/** A cell → its figure, or null for no figure; a ValueError naming row and column otherwise. */
export function readFigure(raw: string, dashIsZero: boolean, row: number, column: string): number | null {
  const s = raw.trim();
  if (s === "") return null;
  if (DASHES.includes(s)) return dashIsZero ? 0 : null;
  const n = Number(s.normalize("NFKC").replaceAll(",", ""));
  if (!Number.isInteger(n) || n < 0)
    throw new ValueError(
      `row ${row}, column ${JSON.stringify(column)}: ${JSON.stringify(s)} is not a whole number ≥ 0 (the row is not loaded; fix the cell, or blank it when there is no figure)`,
    );
  return n;
}

/** The headers that name a fiscal year (令和3年度, 2022年度, 2023), with their year. */
export function periodHeaders(headers: readonly string[]): [string, number][] {
  const out: [string, number][] = [];
  for (const h of headers) {
    const s = h.normalize("NFKC").trim();
    const fy = /^\d{4}$/.test(s) ? { ok: true as const, fiscalYear: Number(s) } : readFiscalYearLabel(s);
    if (fy?.ok) out.push([h, fy.fiscalYear]);
  }
  return out;
}

export function wideProfile(spec: WideSpec): MappingProfile {
  const layout = spec.periods ?? "rows";
  const dashIsZero = spec.dashIsZero ?? false;
  const species = String(spec.constants.species) as AggregateRecord["species"];
  const constantRegion = spec.constants.region === undefined ? undefined : String(spec.constants.region);
  const labelMap = new Map(
    [
      ...Object.entries(spec.values.metric ?? {}),
      ...(spec.measures ?? []).map((m) => [m.column, m.metric] as [string, string]),
    ].map(([label, metric]) => [norm(label), metric]),
  );

  const record = (
    ctx: RowContext,
    values: Record<string, string>,
    metric: string,
    value: number,
    fiscalYear: number,
    original: string,
  ): MappedRecord => {
    const municipality = ctx.municipality || String(spec.constants.municipality ?? "");
    if (!municipality) throw new ValueError("no municipality: upload with --municipality or set it in the mapping");
    const region = spec.columns.region ? (values[spec.columns.region] ?? "").trim() : constantRegion;
    return {
      dataset: "aggregates",
      record: {
        municipality,
        fiscalYear,
        sourceJob: ctx.jobId,
        sourceRow: ctx.row,
        region: region || municipality,
        metric,
        value,
        species,
        outcomeType: null,
        metricOriginal: original,
      },
    };
  };

  const mapRowsLayout = (values: Record<string, string>, ctx: RowContext): MappedRecord[] => {
    const fyHeader = spec.columns.fiscalYear as string;
    const fyCell = (values[fyHeader] ?? "").trim();
    if (fyCell === "") throw new ValueError(`row ${ctx.row}: ${JSON.stringify(fyHeader)} is empty but needs a 年度`);
    const fiscalYear = parseFiscalYear(fyCell);
    const out: MappedRecord[] = [];
    for (const m of spec.measures ?? []) {
      const value = readFigure(values[m.column] ?? "", dashIsZero, ctx.row, m.column);
      if (value !== null) out.push(record(ctx, values, m.metric, value, fiscalYear, m.column));
    }
    return out;
  };

  const mapColumnsLayout = (values: Record<string, string>, ctx: RowContext): MappedRecord[] => {
    const labelHeader = spec.columns.metric as string;
    const label = (values[labelHeader] ?? "").trim();
    const metric = labelMap.get(norm(label));
    if (!metric)
      throw new ValueError(
        `row ${ctx.row}: label ${JSON.stringify(label)} of column ${JSON.stringify(labelHeader)} is not mapped: add it to values.metric in the mapping (one of ${AGGREGATE_METRICS.join(", ")})`,
      );
    const out: MappedRecord[] = [];
    for (const [header, fiscalYear] of periodHeaders(Object.keys(values))) {
      const value = readFigure(values[header] ?? "", dashIsZero, ctx.row, header);
      if (value !== null) out.push(record(ctx, values, metric, value, fiscalYear, label));
    }
    return out;
  };

  return {
    name: spec.name,
    description: spec.description || `wide aggregates table, periods as ${layout}`,
    datasets: ["aggregates"],
    ...(spec.municipality ? { defaultMunicipality: spec.municipality } : {}),
    ...(spec.fiscalYearStartMonth ? { fiscalYearStartMonth: spec.fiscalYearStartMonth } : {}),
    match(headers) {
      const have = new Set(headers.map(norm));
      if (layout === "rows") {
        const wanted = [spec.columns.fiscalYear as string, ...(spec.measures ?? []).map((m) => m.column)];
        return wanted.filter((h) => have.has(norm(h))).length / wanted.length;
      }
      return (have.has(norm(spec.columns.metric as string)) ? 0.5 : 0) + (periodHeaders(headers).length > 0 ? 0.5 : 0);
    },
    mapRow(values, ctx) {
      const result = recordsOrReject(() =>
        layout === "rows" ? mapRowsLayout(values, ctx) : mapColumnsLayout(values, ctx),
      );
      if (result.kind === "records" && result.records.length === 0)
        return { kind: "skip", reason: "no figures (every measure cell is blank)" };
      return result;
    },
    dedupKey: (r) => {
      if (r.dataset !== "aggregates") return "";
      const a = r.record;
      return `${a.municipality}|${a.fiscalYear}|${a.metric}|${a.region}|${a.species}`;
    },
  };
}
