import { fiscalYearOf } from "../../cats/fiscal-year.js";
import { SCHEMAS } from "../../cats/schema.js";
import { ageClassOf, ValueError } from "../parse-values.js";
import { DATE_FIELD, type DeclarativeProfile, parseDeclarative, REQUIRED_FIELDS } from "./declarative-spec.js";
import { convertCell, ENUM_FIELDS } from "./declarative-values.js";
import { headerScore, type MappedRecord, type MappingProfile } from "./profile.js";
import { recordsOrReject } from "./row-helpers.js";
import { speciesDecider, speciesHeaders, speciesRuleOf } from "./species-rule.js";
import { isWide, wideProfile } from "./wide-table.js";

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
  if (isWide(spec)) return wideProfile(spec);
  const schema = SCHEMAS[spec.dataset];
  const typeOf = new Map(schema.map((c) => [c.field, c.type]));
  const dateField = DATE_FIELD[spec.dataset];
  const rule = speciesRuleOf(spec);
  const isCat = speciesDecider(spec);
  const catLabels = rule && "column" in rule ? new Set(rule.cat.map(norm)) : undefined;
  const hasSpecies =
    typeOf.has("species") &&
    !("species" in spec.columns) &&
    !("species" in spec.constants) &&
    (spec.dataset === "complaints" || rule !== undefined);
  /** Complaints dedup by their request id (+ date) when it is mapped; a row without one is never a repeat. */
  const byRequestId = spec.dedup.length === 0 && spec.dataset === "complaints" && "requestId" in spec.columns;
  const dedup = spec.dedup.length > 0 ? spec.dedup : byRequestId ? ["requestId", "receivedOn"] : [];
  return {
    name: spec.name,
    description: spec.description || `declarative mapping for ${spec.dataset}`,
    datasets: [spec.dataset],
    ...(spec.municipality ? { defaultMunicipality: spec.municipality } : {}),
    ...(spec.fiscalYearStartMonth ? { fiscalYearStartMonth: spec.fiscalYearStartMonth } : {}),
    ...(rule && "column" in rule && catLabels
      ? { speciesFilter: { header: rule.column, accepts: (raw: string) => catLabels.has(norm(raw)) } }
      : {}),
    match: (headers) => headerScore(headers, [...Object.values(spec.columns), ...speciesHeaders(rule)]),
    mapRow(values, ctx) {
      const decision = isCat(values);
      if (!decision.cat) return { kind: "skip", reason: decision.reason, label: decision.label };
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
        // Only cat rows get here (the species rule above), so a dataset with a species column says so.
        if (hasSpecies) fields.species = "cat";
        const record = Object.fromEntries(schema.map((c) => [c.field, fields[c.field] ?? null]));
        return [{ dataset: spec.dataset, record } as unknown as MappedRecord];
      });
    },
    dedupKey: (r) => {
      const rec = r.record as unknown as Record<string, unknown>;
      if (byRequestId && !rec.requestId) return "";
      return dedup.length === 0 ? "" : dedup.map((f) => String(rec[f] ?? "")).join("|");
    },
  };
}
