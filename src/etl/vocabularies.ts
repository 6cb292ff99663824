import type { IntakeType, OutcomeType } from "../cats/model.js";

/**
 * The words shelters commonly write for species and outcomes (Austin, Sonoma, RSPCA, Japanese
 * prefectures), and what they mean under the platform's convention (docs/data-model.md, "Category
 * lists": Shelter Animals Count). Labels are compared after `vocabularyKey` (width, case, spaces).
 * A label the convention has no place for is a *decision*: a suggestion leaves it unmapped and says
 * why, so the officer chooses.
 */
export const vocabularyKey = (label: string): string =>
  label.normalize("NFKC").trim().toLowerCase().replace(/\s+/g, " ");

/** Species labels that mean a cat (any age): `Kitten` and 子猫 as much as `Cat` and 猫. */
export const CAT_SPECIES = new Set(
  [
    "cat",
    "cats",
    "kitten",
    "kittens",
    "feline",
    "domestic cat",
    "dead cat",
    "猫",
    "ねこ",
    "ネコ",
    "子猫",
    "仔猫",
    "成猫",
    "子ねこ",
    "猫(成猫)",
    "猫(子猫)",
  ].map(vocabularyKey),
);

export const isCatSpecies = (label: string): boolean => CAT_SPECIES.has(vocabularyKey(label));

/** What a known label means: a canonical type, or a decision (`type: null`) with the reason. */
export interface VocabularyEntry<T extends string = OutcomeType> {
  type: T | null;
  note?: string;
}

const DOA_NOTE =
  "dead on arrival: not an outcome of a live intake; the convention (docs/data-model.md) keeps it in other, never died_in_care";

const OUTCOMES: Readonly<Record<string, VocabularyEntry>> = {
  adoption: { type: "adoption" },
  adopted: { type: "adoption" },
  "adoption (offsite)": { type: "adoption" },
  "return to owner": { type: "return_to_owner" },
  rto: { type: "return_to_owner" },
  "rto-adopt": { type: "return_to_owner", note: "adopted back by its owner: counted as return to owner" },
  reclaim: { type: "return_to_owner" },
  redemption: { type: "return_to_owner", note: "the owner redeemed (reclaimed) the animal; check it is not a fee" },
  "redemption (offsite)": {
    type: "return_to_owner",
    note: "the owner redeemed (reclaimed) the animal away from the shelter; check it is not a fee",
  },
  "return to habitat": { type: "return_to_field", note: "a community cat returned where it was found (TNR / RTF)" },
  "return to field": { type: "return_to_field" },
  rtf: { type: "return_to_field" },
  "tnr return": { type: "return_to_field" },
  transfer: { type: "transfer_out" },
  euthanasia: { type: "euthanasia" },
  euthanized: { type: "euthanasia" },
  died: { type: "died_in_care" },
  "died in care": { type: "died_in_care" },
  doa: { type: "other", note: DOA_NOTE },
  "dead on arrival": { type: "other", note: DOA_NOTE },
  disposal: { type: "other", note: "disposal of remains (usually dead on arrival): other, as Sonoma DISPOSAL" },
  missing: { type: "lost" },
  lost: { type: "lost" },
  stolen: { type: "lost" },
  escaped: { type: "lost" },
  relocate: {
    type: null,
    note: "released somewhere else (usually wildlife): the convention has no type for it — choose return_to_field, transfer_out or other",
  },
  foster: {
    type: null,
    note: "moved to a foster home: not an outcome in the convention (the stay goes on) — leave it out or choose other",
  },
};

/** The vocabulary's entry for an outcome label, or undefined when the vocabulary does not know it. */
export const outcomeVocabulary = (label: string): VocabularyEntry | undefined => OUTCOMES[vocabularyKey(label)];

/** Intake labels the keyword rules would miss, as the shipped Austin profile reads them (austin-intakes.ts). */
const INTAKES: Readonly<Record<string, VocabularyEntry<IntakeType>>> = {
  abandoned: { type: "stray", note: "an abandoned animal found by others: stray, as the Austin profile counts it" },
  "euthanasia request": {
    type: "owner_surrender",
    note: "the owner brought it in to be euthanised: owner surrender, as the Austin profile counts it",
  },
  "public assist": { type: "other", note: "brought in to help the public (not a stray): other, as the Austin profile" },
};

/** The vocabulary's entry for an intake label, or undefined. */
export const intakeVocabulary = (label: string): VocabularyEntry<IntakeType> | undefined =>
  INTAKES[vocabularyKey(label)];

/** The vocabulary entry of a coded field's label (outcome and intake types), or undefined. */
export function vocabularyEntry(field: string, label: string): VocabularyEntry<string> | undefined {
  if (field === "outcomeType") return outcomeVocabulary(label);
  if (field === "intakeType") return intakeVocabulary(label);
  return undefined;
}
