/**
 * Pins the shelter vocabularies as suggestions use them (guessCanonical):
 * - Kitten, Feline, 子猫, ネコ, 成猫 are cats; Dog is not
 * - Return to Habitat → return_to_field, Redemption (Offsite) → return_to_owner, DOA / Disposal →
 *   other (the convention: never died_in_care), Died → died_in_care
 * - Relocate and Foster need a decision: no guess, and the reason says so
 */
import { describe, expect, it } from "vitest";
import { guessCanonical } from "./profiles/value-guess.js";
import { isCatSpecies, outcomeVocabulary } from "./vocabularies.js";

describe("shelter vocabularies", () => {
  it("knows every common word for a cat, kittens included", () => {
    for (const label of ["Cat", "Kitten", "kittens", "Feline", "猫", "ネコ", "ﾈｺ", "子猫", "成猫", "猫（成猫）"])
      expect(isCatSpecies(label), label).toBe(true);
    for (const label of ["Dog", "Other", "犬", "Bird"]) expect(isCatSpecies(label), label).toBe(false);
  });

  it("maps shelter outcomes by the platform's convention, DOA to other", () => {
    const expected: Record<string, string> = {
      Adoption: "adoption",
      "Return to Habitat": "return_to_field",
      "Return to Field": "return_to_field",
      "Redemption (Offsite)": "return_to_owner",
      "Rto-Adopt": "return_to_owner",
      Transfer: "transfer_out",
      Euthanasia: "euthanasia",
      Died: "died_in_care",
      DOA: "other",
      "Dead on arrival": "other",
      Disposal: "other",
      Missing: "lost",
    };
    for (const [label, type] of Object.entries(expected))
      expect(guessCanonical("outcomeType", label), label).toBe(type);
  });

  it("leaves labels the convention has no place for to the officer, with the reason", () => {
    for (const label of ["Relocate", "Foster"]) {
      expect(guessCanonical("outcomeType", label), label).toBeUndefined();
      expect(outcomeVocabulary(label)?.note, label).toMatch(/choose/);
    }
  });
});
