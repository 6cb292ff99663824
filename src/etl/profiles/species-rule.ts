import { DATASETS, type Dataset } from "../../cats/model.js";

/**
 * How a mapping knows which rows are cats (docs/data-model.md, "Species"). Species is never assumed:
 * - `{ column, cat }`: the file has a species column; a row is a cat when its cell is one of `cat`
 *   (case-, width- and space-insensitive). The old `filter: { column, values }` is this rule.
 * - `{ declared: "cat" }`: the officer declares every row is a cat (a cat-complaints file).
 * - `{ derive: { columns, words?, label? } }`: a row is a cat when the text of one of `columns`
 *   names a cat (`namesCat`, words default CAT_WORDS); `label` is the column skipped rows are
 *   grouped by in the preview (e.g. the request type).
 * A dataset in SPECIES_REQUIRED_DATASETS whose mapping states none of these loads no row: each is
 * skipped with SPECIES_NOT_DECLARED.
 */
export type SpeciesRule =
  | { column: string; cat: string[] }
  | { declared: "cat" }
  | { derive: { columns: string[]; words?: string[]; label?: string } };

/**
 * The words that name a cat in free text. Latin words match whole words only (no letter or digit
 * on either side: "category", "catalog", "bobcat", "cattle", "Catherine" are not cats); Japanese
 * words match anywhere in the text (Japanese has no spaces between words).
 */
export const CAT_WORDS: readonly string[] = ["猫", "ネコ", "ねこ", "cat", "cats", "kitten", "kittens", "feline"];

/** Datasets whose mapping must state species — every one: without a rule no row loads (docs/data-model.md, "Species"). */
export const SPECIES_REQUIRED_DATASETS: readonly Dataset[] = DATASETS;

/** The skip reason of a row whose mapping does not say how species is known. */
export const SPECIES_NOT_DECLARED = "species not declared";

/** How to declare species, for errors and the suggest-mapping report. */
export const SPECIES_HINT =
  'add a species section to the mapping: {"column": "<species column>", "cat": ["Cat"]}, {"declared": "cat"} when every row is a cat, or {"derive": {"columns": ["<text column>"]}} to take the rows whose text names a cat';

/** The skip reason of a row the rule finds is not a cat. */
export const NOT_A_CAT = "not a cat";

const norm = (s: string) => s.normalize("NFKC").trim().toLowerCase();
const LATIN = /^[a-z0-9]+$/;
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** A matcher for `words`: whole-word for Latin words, anywhere for the rest (see CAT_WORDS). */
export function catWordMatcher(words: readonly string[] = CAT_WORDS): (text: string) => boolean {
  const latin = words.map(norm).filter((w) => LATIN.test(w));
  const other = words.map(norm).filter((w) => w !== "" && !LATIN.test(w));
  const pattern = latin.length
    ? new RegExp(`(?<![\\p{L}\\p{N}])(?:${latin.map(escapeRegExp).join("|")})(?![\\p{L}\\p{N}])`, "u")
    : undefined;
  return (text) => {
    const t = norm(text);
    return (pattern?.test(t) ?? false) || other.some((w) => t.includes(w));
  };
}

/** True when `text` names a cat by CAT_WORDS (or `words`). */
export const namesCat = (text: string, words: readonly string[] = CAT_WORDS): boolean => catWordMatcher(words)(text);

export type SpeciesDecision = { cat: true } | { cat: false; reason: string; label: string };

/** The spec fields a species decision reads (a declarative mapping, or a wide-table spec). */
export interface SpeciesSpec {
  dataset?: Dataset;
  species?: SpeciesRule | undefined;
  filter?: { column: string; values: string[] } | undefined;
}

/** The mapping's species rule: `species`, else the `filter` alias, else undefined (not declared). */
export function speciesRuleOf(spec: SpeciesSpec): SpeciesRule | undefined {
  if (spec.species) return spec.species;
  if (spec.filter) return { column: spec.filter.column, cat: spec.filter.values };
  return undefined;
}

/** The headers a species rule reads. */
export function speciesHeaders(rule: SpeciesRule | undefined): string[] {
  if (!rule) return [];
  if ("column" in rule) return [rule.column];
  if ("derive" in rule) return [...rule.derive.columns, ...(rule.derive.label ? [rule.derive.label] : [])];
  return [];
}

/**
 * A pure decider for a spec: given a row's values, is it a cat, and if not why and under what label
 * (the species cell, the derive rule's label column, or the reason itself). A spec with no rule
 * decides every row "not declared" when its dataset requires species (or has no dataset); otherwise
 * every row is a cat (no dataset is exempt today: SPECIES_REQUIRED_DATASETS is every dataset).
 */
export function speciesDecider(spec: SpeciesSpec): (values: Record<string, string>) => SpeciesDecision {
  const rule = speciesRuleOf(spec);
  if (!rule) {
    const required = spec.dataset === undefined || SPECIES_REQUIRED_DATASETS.includes(spec.dataset);
    return required
      ? () => ({ cat: false, reason: SPECIES_NOT_DECLARED, label: SPECIES_NOT_DECLARED })
      : () => ({ cat: true });
  }
  if ("declared" in rule) return () => ({ cat: true });
  if ("column" in rule) {
    const cats = new Set(rule.cat.map(norm));
    return (values) => {
      const raw = values[rule.column] ?? "";
      return cats.has(norm(raw)) ? { cat: true } : { cat: false, reason: NOT_A_CAT, label: raw.trim() };
    };
  }
  const { columns, words, label } = rule.derive;
  const matches = catWordMatcher(words ?? CAT_WORDS);
  return (values) =>
    columns.some((c) => matches(values[c] ?? ""))
      ? { cat: true }
      : { cat: false, reason: NOT_A_CAT, label: label ? (values[label] ?? "").trim() : NOT_A_CAT };
}

/** One decision (see speciesDecider; build the decider once for many rows). */
export const speciesDecision = (spec: SpeciesSpec, values: Record<string, string>): SpeciesDecision =>
  speciesDecider(spec)(values);
