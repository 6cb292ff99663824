import { z } from "zod";
import { DATASETS, type Dataset } from "../../cats/model.js";
import { SCHEMAS } from "../../cats/schema.js";
import { badInput } from "../../errors.js";
import { DATE_FORMATS, DATE_PRECISIONS } from "./declarative-values.js";
import { validateWide, wideSpecShape } from "./wide-table.js";

/**
 * Declarative mapping profiles: a JSON document (format `catdata-mapping/1`, see docs/data-model.md)
 * that says which column fills which canonical field, how coded values map, the date order, which
 * rows are cats and what makes two rows the same record. `suggestMapping` proposes one for an
 * unknown file; once the user confirms it, `profileFromSuggestion` turns it into a MappingProfile.
 */
export const REQUIRED_FIELDS: Record<Dataset, readonly string[]> = {
  intakes: ["animalId", "intakeAt", "intakeType"],
  outcomes: ["animalId", "outcomeAt", "outcomeType"],
  tnr: ["operatedOn", "count"],
  complaints: ["receivedOn", "category"],
  aggregates: ["fiscalYear", "region", "metric", "value"],
  sightings: ["seenAt"],
};

/** The field whose date decides a record's fiscal year. */
export const DATE_FIELD: Record<Dataset, string> = {
  intakes: "intakeAt",
  outcomes: "outcomeAt",
  tnr: "operatedOn",
  complaints: "receivedOn",
  aggregates: "fiscalYear",
  sightings: "seenAt",
};

const LINEAGE = new Set(["sourceJob", "sourceRow"]);

/** The `species` section (species-rule.ts SpeciesRule): a species column, declared, or derived from text. */
const speciesSchema = z.union([
  z.strictObject({ column: z.string().min(1), cat: z.array(z.string().min(1)).min(1) }),
  z.strictObject({ declared: z.literal("cat") }),
  z.strictObject({
    derive: z.strictObject({
      columns: z.array(z.string().min(1)).min(1),
      words: z.array(z.string().min(1)).min(1).optional(),
      label: z.string().min(1).optional(),
    }),
  }),
]);

export const declarativeProfileSchema = z.object({
  format: z.literal("catdata-mapping/1").describe("version of this JSON format"),
  name: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, "kebab-case, e.g. nagoya-intakes"),
  description: z.string().default(""),
  dataset: z.enum(DATASETS),
  municipality: z.string().min(2).optional().describe("used when the upload names none"),
  fiscalYearStartMonth: z.number().int().min(1).max(12).optional(),
  columns: z.record(z.string(), z.string().min(1)).describe("canonical field → header in the file"),
  constants: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
  values: z
    .record(z.string(), z.record(z.string(), z.string()))
    .default({})
    .describe("field → label → canonical; * = any other"),
  dateFormat: z.enum(DATE_FORMATS).default("auto"),
  datePrecision: z
    .enum(DATE_PRECISIONS)
    .optional()
    .describe("month: date fields also take a month alone (2020/06, 令和2年6月) as its first day; default day"),
  filter: z
    .object({ column: z.string().min(1), values: z.array(z.string()).min(1) })
    .optional()
    .describe("the species column and its cat labels: an alias of species {column, cat}"),
  species: speciesSchema.optional().describe("how the mapping knows which rows are cats (species-rule.ts)"),
  dedup: z.array(z.string()).default([]),
  // Aggregated (wide) tables: several measures per mapping, periods as rows or columns (wide-table.ts).
  ...wideSpecShape,
});
export type DeclarativeProfile = z.infer<typeof declarativeProfileSchema>;

/** Validates a declarative mapping (object or JSON text); errors name the field that is wrong. */
export function parseDeclarative(json: unknown): DeclarativeProfile {
  let input = json;
  if (typeof json === "string") {
    try {
      input = JSON.parse(json);
    } catch (error) {
      throw badInput(`the mapping is not valid JSON: ${(error as Error).message}`);
    }
  }
  const parsed = declarativeProfileSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw badInput(
      `mapping field ${issue?.path.join(".") || "(root)"}: ${issue?.message}`,
      "fix the JSON and confirm again",
    );
  }
  const spec = parsed.data;
  if (spec.species && spec.filter)
    throw badInput(
      "the mapping has both filter and species",
      "keep one: filter {column, values} is the same as species {column, cat}",
    );
  const known = new Set(SCHEMAS[spec.dataset].map((c) => c.field).filter((f) => !LINEAGE.has(f)));
  for (const field of [
    ...Object.keys(spec.columns),
    ...Object.keys(spec.constants),
    ...Object.keys(spec.values),
    ...spec.dedup,
  ]) {
    if (!known.has(field))
      throw badInput(
        `mapping names field ${JSON.stringify(field)}, which ${spec.dataset} does not have`,
        `fields: ${[...known].join(", ")}`,
      );
  }
  const wideFilled = validateWide(spec);
  for (const field of REQUIRED_FIELDS[spec.dataset]) {
    if (wideFilled.has(field)) continue;
    if (!(field in spec.columns) && !(field in spec.constants)) {
      throw badInput(
        `mapping gives no column or constant for ${spec.dataset}.${field}`,
        "map a column to it or set a constant",
      );
    }
  }
  return spec;
}
