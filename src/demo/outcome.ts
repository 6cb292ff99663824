/**
 * How and when a demo animal leaves the shelter. Probabilities depend on age, intake type and the
 * municipality's TNR programme (strong programmes return more cats to the field and euthanise fewer,
 * less each year); the length of stay depends on the outcome: kittens are adopted after a few weeks,
 * adults after months, owners reclaim within days, neonates that die do so early.
 */
import type { IntakeRecord, OutcomeType } from "../cats/model.js";
import { addDays, atTime } from "./calendar.js";
import type { DemoProfile, Trend } from "./profiles.js";
import { exponential, int, pick, type Random, weighted } from "./random.js";

export interface ShelterOutcome {
  type: OutcomeType;
  original: string;
  subtype: string | null;
  outcomeAt: string;
  days: number;
}

const LABEL: Record<OutcomeType, string> = {
  adoption: "譲渡",
  return_to_owner: "返還",
  transfer_out: "団体譲渡",
  return_to_field: "地域猫として元の場所へ",
  euthanasia: "殺処分",
  died_in_care: "所内死亡",
  lost: "逸走",
  other: "その他",
};

const SUBTYPES: Partial<Record<OutcomeType, readonly string[]>> = {
  transfer_out: ["登録譲渡団体", "ミルクボランティア"],
  euthanasia: ["重篤な疾病", "著しい攻撃性", "譲渡不適"],
  died_in_care: ["衰弱", "感染症", "先天性疾患"],
  return_to_field: ["不妊去勢手術後"],
};

type Weights = Partial<Record<OutcomeType, number>>;

function weightsFor(intake: IntakeRecord, profile: DemoProfile, t: Trend): Weights {
  const rtf = profile.tnr === "strong" ? 2.5 / t.euthanasia : profile.tnr === "modest" ? 1 : 0.2;
  const eu = t.euthanasia;
  if (intake.ageClass === "kitten") {
    if (intake.ageDays !== null && intake.ageDays <= 21) {
      return { died_in_care: 0.25, euthanasia: 0.06 * eu, transfer_out: 0.3, adoption: 0.37, other: 0.02 };
    }
    return {
      adoption: 0.62,
      transfer_out: 0.2,
      died_in_care: 0.07,
      euthanasia: 0.04 * eu,
      return_to_field: 0.02 * rtf,
      return_to_owner: 0.02,
      other: 0.03,
    };
  }
  if (intake.intakeType === "owner_surrender" || intake.intakeType === "return") {
    return { adoption: 0.45, transfer_out: 0.2, euthanasia: 0.2 * eu, died_in_care: 0.1, other: 0.05 };
  }
  return {
    return_to_owner: 0.12,
    adoption: 0.28,
    transfer_out: 0.14,
    return_to_field: 0.12 * rtf,
    euthanasia: 0.18 * eu,
    died_in_care: 0.08,
    lost: 0.01,
    other: 0.03,
  };
}

function lengthOfStay(random: Random, type: OutcomeType, kitten: boolean): number {
  switch (type) {
    case "adoption":
      return kitten ? 14 + Math.round(exponential(random, 20)) : 21 + Math.round(exponential(random, 45));
    case "return_to_owner":
      return int(random, 1, 7);
    case "return_to_field":
      return int(random, 2, 10);
    case "transfer_out":
      return int(random, 3, 30);
    case "euthanasia":
      return int(random, 1, 21);
    case "died_in_care":
      return kitten ? int(random, 1, 14) : int(random, 1, 30);
    default:
      return int(random, 1, 60);
  }
}

/** The outcome of this intake, or null when the animal is still in care on `lastDay`. */
export function chooseOutcome(
  random: Random,
  intake: IntakeRecord,
  context: { profile: DemoProfile; trend: Trend; lastDay: string },
): ShelterOutcome | null {
  const weights = Object.entries(weightsFor(intake, context.profile, context.trend)) as [OutcomeType, number][];
  const type = weighted(random, weights);
  const days = lengthOfStay(random, type, intake.ageClass === "kitten");
  const date = addDays(intake.intakeAt, days);
  if (date > context.lastDay) return null;
  const subtypes = SUBTYPES[type];
  return {
    type,
    original: LABEL[type],
    subtype: subtypes ? pick(random, subtypes) : null,
    outcomeAt: atTime(date, int(random, 10, 16), int(random, 0, 59)),
    days,
  };
}
