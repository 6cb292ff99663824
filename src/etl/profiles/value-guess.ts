import {
  AGE_CLASS_VALUES,
  COMPLAINT_CATEGORY_VALUES,
  INTAKE_TYPE_VALUES,
  OUTCOME_TYPE_VALUES,
  SEX_VALUES,
  type TemplateColumn,
  type TemplateValue,
  toCanonicalValue,
} from "../../cats/template.js";
import { vocabularyEntry } from "../vocabularies.js";

/**
 * Guesses the canonical value of a source's coded label, for suggested value maps: first the
 * shelter vocabularies (vocabularies.ts: a label needing a decision gets no guess), then
 * catdata's template labels (ja/en and their aliases), then keyword rules for the wording shelters
 * commonly use (Austin, Sonoma, Japanese prefectures). Rules are tried in order; the first wins.
 * There is no catch-all: a label nothing recognises stays unguessed (listed, never silently "other").
 */
type Rule = [RegExp, string];

const RULES: Record<string, readonly Rule[]> = {
  intakeType: [
    [/born|出生/i, "born_in_care"],
    [/return|返戻/i, "return"],
    [/transfer|移入/i, "transfer_in"],
    [/seiz|confisc|impound|cruel|押収|虐待|緊急/i, "seized"],
    [/surrender|relinquish|owner|引取|飼い主/i, "owner_surrender"],
    [/stray|at large|found|迷|拾|野良|所有者不明|負傷/i, "stray"],
  ],
  outcomeType: [
    [/commcat|comm cat|tnr|rtf|return to (field|habitat)|地域猫/i, "return_to_field"],
    [/transfer|rescue|団体/i, "transfer_out"],
    [/return.*owner|^rto\b|reclaim|redempt|redeem|返還/i, "return_to_owner"],
    [/adopt|rehom|譲渡/i, "adoption"],
    [/euth|殺処分|安楽死|処分/i, "euthanasia"],
    // Dead on arrival and disposal of remains are `other` by the convention (docs/data-model.md), never died in care.
    [/\bdoa\b|dead on arrival|disposal|到着時死亡/i, "other"],
    [/died|death|dead|死亡/i, "died_in_care"],
    [/lost|escap|stolen|missing|逸走|脱走/i, "lost"],
  ],
  category: [
    [/fec|faec|urin|odou?r|smell|糞|尿|臭/i, "feces_urine"],
    [/noise|bark|meow|鳴/i, "noise"],
    [/feed|餌/i, "feeding"],
    [/garbage|rubbish|ごみ|ゴミ/i, "garbage"],
    [/trap|捕獲/i, "trapping"],
    [/wander|roam|徘徊/i, "roaming"],
    [/trespass|侵入/i, "trespass"],
    [/injur|dead|死体|負傷/i, "injured_or_dead"],
    [/hoard|多頭/i, "hoarding"],
  ],
  sex: [
    [/female|spayed|メス|雌|^f$/i, "female"],
    [/male|neutered|オス|雄|^m$/i, "male"],
  ],
  ageClass: [
    [/kitten|juvenile|子猫|仔猫|幼/i, "kitten"],
    [/adult|成猫|成獣/i, "adult"],
  ],
  reportType: [
    [/dead|死体/i, "found_dead"],
    [/lost|迷子|逸走/i, "lost"],
    [/found|発見|保護/i, "found"],
    [/adopt|譲渡/i, "adoptable"],
  ],
};

const column = (values: readonly TemplateValue[]): TemplateColumn => ({
  field: "",
  ja: "",
  en: "",
  kind: "enum",
  required: false,
  values,
});
const TEMPLATE_COLUMNS: Readonly<Record<string, TemplateColumn>> = {
  intakeType: column(INTAKE_TYPE_VALUES),
  outcomeType: column(OUTCOME_TYPE_VALUES),
  category: column(COMPLAINT_CATEGORY_VALUES),
  sex: column(SEX_VALUES),
  ageClass: column(AGE_CLASS_VALUES),
};

/** The canonical value a label most likely means, or undefined when neither labels nor rules say. */
export function guessCanonical(field: string, label: string): string | undefined {
  const entry = vocabularyEntry(field, label);
  if (entry) return entry.type ?? undefined;
  const template = TEMPLATE_COLUMNS[field];
  const known = template ? toCanonicalValue(template, label) : undefined;
  if (known) return known;
  const s = label.normalize("NFKC").trim();
  return RULES[field]?.find(([pattern]) => pattern.test(s))?.[1];
}

/** True for fields with coded values that `guessCanonical` knows. */
export const isCodedField = (field: string): boolean => field in RULES;
