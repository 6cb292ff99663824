import { fiscalYearOf } from "../../cats/fiscal-year.js";
import { SCHEMAS } from "../../cats/schema.js";
import { ageClassOf, ValueError } from "../parse-values.js";
import { DATE_FIELD, type DeclarativeProfile, parseDeclarative, REQUIRED_FIELDS } from "./declarative-spec.js";
import { convertCell, ENUM_FIELDS } from "./declarative-values.js";
import { headerScore, type MappedRecord, type MappingProfile } from "./profile.js";
import { recordsOrReject } from "./row-helpers.js";

/**
 * Runs a confirmed declarative mapping (declarative-spec.ts): each mapped cell goes through the
 * field's value map, then is converted by the field's lake type; original labels are kept beside
 * coded fields; the date field decides the fiscal year.
 */
const norm = (s: string) => s.normalize("NFKC").trim().toLowerCase();

/** The quarantine reason of a coded label the mapping does not map. */
export const unmappedLabelReason = (label: string, header: string, field: string, allowed: readonly string[]) =>
  `label ${JSON.stringify(label)} of column ${JSON.stringify(header)} is not mapped: add it to values.${field} in the mapping (one of ${allowed.join(", ")})`;

/** The label, column and field of an `unmappedLabelReason`, or undefined for any other reason. */
export function unmappedLabelOf(reason: string): { label: string; column: string; field: string } | undefined {
  const m = /^label ("(?:[^"\\]|\\.)*") of column ("(?:[^"\\]|\\.)*") is not mapped: add it to values\.(\w+) /.exec(
    reason,
  );
  if (!m?.[1] || !m[2] || !m[3]) return undefined;
  return { label: JSON.parse(m[1]) as string, column: JSON.parse(m[2]) as string, field: m[3] };
}

/**
 * Maps a label through the field's value map. `*` (any other label) applies only when the mapping
 * says so; otherwise a coded field's label that is neither mapped nor already canonical is refused
 * (the row is quarantined) — never silently "other".
 */
function mapValue(spec: DeclarativeProfile, field: string, raw: string, header: string): string {
  const map = spec.values[field];
  if (raw.trim() === "") return raw;
  const hit = map && Object.entries(map).find(([label]) => label !== "*" && norm(label) === norm(raw));
  if (hit) return hit[1];
  if (map?.["*"] !== undefined) return map["*"];
  const allowed = ENUM_FIELDS[field];
  if (allowed && !allowed.includes(raw.trim()))
    throw new ValueError(unmappedLabelReason(raw.trim(), header, field, allowed));
  return raw;
}

/** A confirmed declarative mapping (object or JSON text) as a MappingProfile. */
export function profileFromSuggestion(json: unknown): MappingProfile {
  const spec = parseDeclarative(json);
  const schema = SCHEMAS[spec.dataset];
  const typeOf = new Map(schema.map((c) => [c.field, c.type]));
  const dateField = DATE_FIELD[spec.dataset];
  const filterValues = new Set(spec.filter?.values.map(norm));
  return {
    name: spec.name,
    description: spec.description || `declarative mapping for ${spec.dataset}`,
    datasets: [spec.dataset],
    ...(spec.municipality ? { defaultMunicipality: spec.municipality } : {}),
    ...(spec.fiscalYearStartMonth ? { fiscalYearStartMonth: spec.fiscalYearStartMonth } : {}),
    ...(spec.filter
      ? { speciesFilter: { header: spec.filter.column, accepts: (raw: string) => filterValues.has(norm(raw)) } }
      : {}),
    match: (headers) =>
      headerScore(headers, [...Object.values(spec.columns), ...(spec.filter ? [spec.filter.column] : [])]),
    mapRow(values, ctx) {
      if (spec.filter && !filterValues.has(norm(values[spec.filter.column] ?? "")))
        return { kind: "skip", reason: "not a cat" };
      return recordsOrReject(() => {
        const fields: Record<string, unknown> = {};
        for (const [field, value] of Object.entries(spec.constants))
          fields[field] = convertCell(
            field,
            typeOf.get(field) ?? "VARCHAR",
            String(value),
            spec.dateFormat,
            spec.datePrecision,
          );
        for (const [field, header] of Object.entries(spec.columns)) {
          const raw = values[header] ?? "";
          fields[field] = convertCell(
            field,
            typeOf.get(field) ?? "VARCHAR",
            mapValue(spec, field, raw, header),
            spec.dateFormat,
            spec.datePrecision,
          );
          if (typeOf.has(`${field}Original`) && !(`${field}Original` in spec.columns))
            fields[`${field}Original`] = raw.trim() || null;
        }
        if (spec.dataset === "intakes") {
          fields.sex ??= "unknown";
          fields.ageClass ??= ageClassOf((fields.ageDays as number | null | undefined) ?? null);
        }
        for (const field of REQUIRED_FIELDS[spec.dataset]) {
          if (fields[field] === null || fields[field] === undefined)
            throw new ValueError(`${spec.columns[field] ?? field} is empty but ${field} needs a value`);
        }
        const municipality = ctx.municipality || String(fields.municipality ?? "");
        if (!municipality) throw new ValueError("no municipality: upload with --municipality or map a column to it");
        const fiscalYear =
          dateField === "fiscalYear"
            ? fields.fiscalYear
            : fiscalYearOf(String(fields[dateField]), ctx.fiscalYearStartMonth);
        Object.assign(fields, { municipality, fiscalYear, sourceJob: ctx.jobId, sourceRow: ctx.row });
        const record = Object.fromEntries(schema.map((c) => [c.field, fields[c.field] ?? null]));
        return [{ dataset: spec.dataset, record } as unknown as MappedRecord];
      });
    },
    dedupKey: (r) => {
      const rec = r.record as unknown as Record<string, unknown>;
      return spec.dedup.length === 0 ? "" : spec.dedup.map((f) => String(rec[f] ?? "")).join("|");
    },
  };
}
