/**
 * The species rule (species-rule.ts): whole-word cat words for Latin text (trap words are not cats),
 * anywhere for Japanese; the `filter` alias; no rule on any dataset → "species not declared".
 */
import { describe, expect, it } from "vitest";
import { DATASETS } from "../../cats/model.js";
import { profileFromSuggestion } from "./declarative-profile.js";
import { parseDeclarative } from "./declarative-spec.js";
import {
  CAT_WORDS,
  namesCat,
  SPECIES_NOT_DECLARED,
  SPECIES_REQUIRED_DATASETS,
  speciesDecision,
  speciesRuleOf,
} from "./species-rule.js";

describe("namesCat", () => {
  it("finds every cat word, in any case and width, as a whole word", () => {
    for (const w of CAT_WORDS) expect(namesCat(`a ${w} here`), w).toBe(true);
    for (const t of ["CAT", "Cats!", "stray cat.", "cat's bowl", "(kitten)", "ＣＡＴ", "野良猫", "子ネコ", "ねこ"])
      expect(namesCat(t), t).toBe(true);
  });
  it("does not take trap words for cats", () => {
    for (const t of [
      "category",
      "catalog",
      "bobcat",
      "cattle",
      "Catherine St",
      "scatter",
      "concatenate",
      "wildcats",
      "cat5",
    ])
      expect(namesCat(t), t).toBe(false);
  });
  it("uses the mapping's own words when given", () => {
    expect(namesCat("a moggy", ["moggy"])).toBe(true);
    expect(namesCat("a cat", ["moggy"])).toBe(false);
  });
});

describe("speciesDecision", () => {
  const complaints = { dataset: "complaints" as const };
  it("says not declared for a complaints spec with no rule, and for a spec without a dataset", () => {
    expect(SPECIES_REQUIRED_DATASETS).toContain("complaints");
    expect(speciesDecision(complaints, { Note: "a cat" })).toEqual({
      cat: false,
      reason: SPECIES_NOT_DECLARED,
      label: SPECIES_NOT_DECLARED,
    });
    expect(speciesDecision({}, {})).toMatchObject({ cat: false, reason: SPECIES_NOT_DECLARED });
  });

  it("requires species of every dataset: a mapping without a rule takes no row as a cat", () => {
    expect([...SPECIES_REQUIRED_DATASETS].sort()).toEqual([...DATASETS].sort());
    for (const dataset of DATASETS) {
      expect(speciesDecision({ dataset }, { 種類: "猫" }), dataset).toMatchObject({
        cat: false,
        reason: SPECIES_NOT_DECLARED,
      });
      expect(speciesDecision({ dataset, species: { declared: "cat" } }, {}), dataset).toEqual({ cat: true });
    }
  });
  it("takes declared, column (and the filter alias) and derive rules", () => {
    expect(speciesDecision({ ...complaints, species: { declared: "cat" } }, {})).toEqual({ cat: true });
    const column = { ...complaints, species: { column: "Animal Type", cat: ["Cat", "猫"] } };
    expect(speciesDecision(column, { "Animal Type": " cat " })).toEqual({ cat: true });
    expect(speciesDecision(column, { "Animal Type": "Dog" })).toEqual({
      cat: false,
      reason: "not a cat",
      label: "Dog",
    });
    const alias = { ...complaints, filter: { column: "Animal Type", values: ["Cat"] } };
    expect(speciesRuleOf(alias)).toEqual({ column: "Animal Type", cat: ["Cat"] });
    const derive = { ...complaints, species: { derive: { columns: ["Description", "Note"], label: "Type" } } };
    expect(speciesDecision(derive, { Description: "", Note: "kitten" })).toEqual({ cat: true });
    expect(speciesDecision(derive, { Description: "bobcat", Note: "", Type: "Noise" })).toEqual({
      cat: false,
      reason: "not a cat",
      label: "Noise",
    });
  });
});

describe("the species section of a mapping", () => {
  const base = {
    format: "catdata-mapping/1",
    name: "x-complaints",
    dataset: "complaints",
    columns: { receivedOn: "Date" },
    constants: { category: "other" },
  };
  it("accepts the three forms and the old filter, and refuses both at once or an unknown form", () => {
    for (const species of [{ declared: "cat" }, { column: "Type", cat: ["Cat"] }, { derive: { columns: ["Note"] } }])
      expect(parseDeclarative({ ...base, species }).species).toEqual(species);
    expect(parseDeclarative({ ...base, filter: { column: "Type", values: ["Cat"] } }).filter).toBeDefined();
    expect(() =>
      parseDeclarative({ ...base, species: { declared: "cat" }, filter: { column: "Type", values: ["Cat"] } }),
    ).toThrow(/both filter and species/);
    expect(() => parseDeclarative({ ...base, species: { declared: "dog" } })).toThrow(/species/);
    expect(() => parseDeclarative({ ...base, species: { derive: { columns: [] } } })).toThrow(/species/);
  });
});

describe("a complaints mapping with a request id", () => {
  const profile = profileFromSuggestion({
    format: "catdata-mapping/1",
    name: "x-complaints",
    dataset: "complaints",
    municipality: "au-qld-brisbane",
    columns: { receivedOn: "Date", requestId: "Id" },
    constants: { category: "other" },
    species: { declared: "cat" },
  });
  const ctx = { municipality: "au-qld-brisbane", fiscalYearStartMonth: 7, jobId: "j", fileName: "f", row: 1 };
  const keyOf = (values: Record<string, string>) => {
    const result = profile.mapRow(values, ctx);
    if (result.kind !== "records" || !result.records[0]) throw new Error(JSON.stringify(result));
    expect(result.records[0].record).toMatchObject({ species: "cat", requestId: values.Id || null });
    return profile.dedupKey?.(result.records[0]);
  };
  it("dedups by request id and date by default; a row without a request id is never a repeat", () => {
    expect(keyOf({ Date: "2024-01-02", Id: "SR-1" })).toBe(keyOf({ Date: "2024-01-02", Id: "SR-1" }));
    expect(keyOf({ Date: "2024-01-02", Id: "SR-1" })).not.toBe(keyOf({ Date: "2024-01-02", Id: "SR-2" }));
    expect(keyOf({ Date: "2024-01-02", Id: "" })).toBe("");
  });
});
