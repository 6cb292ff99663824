import { fiscalYearOf } from "../../cats/fiscal-year.js";
import { getMunicipality } from "../../cats/municipalities.js";
import { SCHEMAS } from "../../cats/schema.js";
import {
  findTemplateColumn,
  PERIOD_FIELDS,
  TEMPLATE_DATASETS,
  TEMPLATES,
  type TemplateColumn,
  type TemplateDataset,
  toCanonicalValue,
} from "../../cats/template.js";
import { ageClassOf, parseDateOrPeriod, ValueError } from "../parse-values.js";
import type { MappedRecord, MappingProfile, RowContext } from "./profile.js";

/** The date column of each template dataset: it decides the fiscal year. */
const DATE_FIELD: Record<TemplateDataset, string> = {
  intakes: "intakeAt",
  outcomes: "outcomeAt",
  tnr: "operatedOn",
  complaints: "receivedOn",
};

function cellValue(column: TemplateColumn, raw: string): unknown {
  const s = raw.trim();
  if (s === "") {
    if (column.required) throw new ValueError(`${column.ja} (${column.en}) is empty but required`);
    return null;
  }
  switch (column.kind) {
    case "date": {
      // 和暦 and Gregorian dates; months and 年度 only in a period's fields (PERIOD_FIELDS).
      const period = PERIOD_FIELDS[column.field];
      return parseDateOrPeriod(s, period ? { period } : {}).slice(0, 10);
    }
    case "time": {
      const m = /^(\d{1,2}):(\d{2})(?::\d{2})?$/.exec(s);
      if (!m || Number(m[1]) > 23 || Number(m[2]) > 59)
        throw new ValueError(`${column.ja} ${JSON.stringify(s)} is not a time like 13:05`);
      return `${m[1]?.padStart(2, "0")}:${m[2]}:00`;
    }
    case "integer": {
      const n = Number(s.replaceAll(",", "").replace(/[円頭匹]$/, ""));
      if (!Number.isInteger(n) || n < 0)
        throw new ValueError(`${column.ja} ${JSON.stringify(s)} is not a whole number ≥ 0`);
      return n;
    }
    case "enum":
    case "boolean": {
      const value = toCanonicalValue(column, s);
      if (value === undefined) {
        const allowed = (column.values ?? []).map((v) => v.ja).join(" / ");
        throw new ValueError(`${column.ja} ${JSON.stringify(s)} is not one of: ${allowed}`);
      }
      return column.kind === "boolean" ? (value === "unknown" ? null : value === "true") : value;
    }
    default:
      return s;
  }
}

function mapTemplateRow(dataset: TemplateDataset, values: Record<string, string>, ctx: RowContext): MappedRecord {
  const fields: Record<string, unknown> = {};
  let time: string | null = null;
  for (const [header, raw] of Object.entries(values)) {
    const column = findTemplateColumn(dataset, header);
    if (!column) continue;
    const value = cellValue(column, raw);
    if (column.kind === "time") time = value as string | null;
    else fields[column.field] = value;
    if (column.originalField && raw.trim()) fields[column.originalField] = raw.trim();
  }
  const dateField = DATE_FIELD[dataset];
  const date = fields[dateField] as string | null;
  if (!date) throw new ValueError(`the date column of ${dataset} is missing`);
  if (dataset === "intakes" || dataset === "outcomes") fields[dateField] = `${date}T${time ?? "00:00:00"}`;
  const rowMunicipality = (fields.municipality as string | null) ?? "";
  if (ctx.municipality && rowMunicipality && rowMunicipality !== ctx.municipality) {
    throw new ValueError(`row is for municipality ${rowMunicipality}, but the upload is for ${ctx.municipality}`);
  }
  const municipality = ctx.municipality || rowMunicipality;
  if (!municipality) throw new ValueError("no municipality: fill 市区町村コード or upload with --municipality");
  // A row's own municipality (no upload municipality) must be known: never the template's April by default.
  // The upload's municipality was checked against the deployment's directory, and its start is the job's.
  const known = ctx.fiscalYearStartOf
    ? ctx.fiscalYearStartOf(municipality)
    : getMunicipality(municipality)?.fiscalYearStartMonth;
  if (known === undefined && municipality !== ctx.municipality) {
    throw new ValueError(
      `municipality ${JSON.stringify(municipality)} is not a known code (全国地方公共団体コード or a declared one): upload with --municipality`,
    );
  }
  const fyStart = known ?? ctx.fiscalYearStartMonth;
  if (dataset === "intakes") {
    fields.ageClass ??= ageClassOf((fields.ageDays as number | null) ?? null);
    fields.sex ??= "unknown";
  }
  const record: Record<string, unknown> = Object.fromEntries(
    SCHEMAS[dataset].map((c) => [c.field, fields[c.field] ?? null]),
  );
  Object.assign(record, {
    municipality,
    fiscalYear: fiscalYearOf(String(fields[dateField]), fyStart),
    sourceJob: ctx.jobId,
    sourceRow: ctx.row,
  });
  // Species: the complaints template is catdata's own *cat*-complaints form (its title and every
  // column are about cats), so the template declares every row a cat.
  if (dataset === "complaints") record.species = "cat";
  if (dataset === "intakes" || dataset === "outcomes") {
    const original = dataset === "intakes" ? "intakeTypeOriginal" : "outcomeTypeOriginal";
    record[original] ??= record[dataset === "intakes" ? "intakeType" : "outcomeType"];
  }
  return { dataset, record } as unknown as MappedRecord;
}

function templateProfile(dataset: TemplateDataset): MappingProfile {
  const required = TEMPLATES[dataset].filter((c) => c.required);
  return {
    name: `catdata-template-${dataset}`,
    description: `catdata's upload template for ${dataset} (Japanese or English headers)`,
    datasets: [dataset],
    fiscalYearStartMonth: 4,
    match: (headers) => {
      const found = new Set(headers.map((h) => findTemplateColumn(dataset, h)).filter(Boolean));
      return required.filter((c) => found.has(c)).length / required.length;
    },
    mapRow(values, ctx) {
      try {
        return { kind: "records", records: [mapTemplateRow(dataset, values, ctx)] };
      } catch (error) {
        if (error instanceof ValueError) return { kind: "reject", reason: error.message };
        throw error;
      }
    },
    dedupKey: (r) => {
      const rec = r.record as unknown as Record<string, unknown>;
      return dataset === "intakes" || dataset === "outcomes"
        ? `${rec.municipality}|${rec.animalId}|${rec[DATE_FIELD[dataset]]}`
        : "";
    },
  };
}

/** One profile per template dataset: `catdata-template-intakes`, `-outcomes`, `-tnr`, `-complaints`. */
export const catdataTemplates: MappingProfile[] = TEMPLATE_DATASETS.map(templateProfile);
