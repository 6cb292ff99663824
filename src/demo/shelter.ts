/**
 * One municipality-year of shelter intakes, and the outcome of each. Kittens arrive in spring and
 * summer (kitten season), adults all year; strays are the most common intake. Each animal leaves after
 * a length of stay that depends on how it leaves (kittens are adopted faster than adults); animals still
 * in care at the end of the demo period have no outcome yet.
 */
import type { AgeClass, IntakeRecord, IntakeType, Sex } from "../cats/model.js";
import { atTime, daysInMonth, fiscalMonths, isoDate } from "./calendar.js";
import { chooseOutcome, type ShelterOutcome } from "./outcome.js";
import type { YearInput } from "./profiles.js";
import { chance, int, pick, poisson, type Random, weighted } from "./random.js";

/** Relative intakes by calendar month (Jan..Dec). */
const KITTEN_SEASON = [0.2, 0.3, 0.7, 1.8, 3.0, 3.0, 2.4, 1.8, 1.1, 0.7, 0.35, 0.2];
const ADULT_SEASON = [0.8, 0.8, 0.9, 1.0, 1.1, 1.1, 1.1, 1.1, 1.0, 1.0, 0.9, 0.8];
const KITTEN_SHARE = 0.6;

type IntakeKind = readonly [IntakeType, string];
const KITTEN_INTAKES: readonly (readonly [IntakeKind, number])[] = [
  [["stray", "所有者不明"], 0.72],
  [["stray", "負傷動物"], 0.04],
  [["owner_surrender", "所有者からの引取り"], 0.16],
  [["born_in_care", "所内出生"], 0.04],
  [["transfer_in", "他施設からの移入"], 0.02],
  [["other", "その他"], 0.02],
];
const ADULT_INTAKES: readonly (readonly [IntakeKind, number])[] = [
  [["stray", "所有者不明"], 0.55],
  [["stray", "負傷動物"], 0.1],
  [["owner_surrender", "所有者からの引取り"], 0.22],
  [["seized", "緊急保護（虐待・多頭飼育崩壊）"], 0.03],
  [["return", "譲渡後の返還"], 0.03],
  [["transfer_in", "他施設からの移入"], 0.04],
  [["other", "その他"], 0.03],
];
const CONDITIONS: readonly (readonly [string, number])[] = [
  ["健康", 0.6],
  ["衰弱", 0.15],
  ["猫風邪", 0.17],
  ["皮膚疾患", 0.08],
];
const PLACES = ["公園", "駐車場", "住宅地", "河川敷", "神社", "商業施設", "学校付近", "空き家"];

export interface ShelterYearInput extends YearInput {
  /** Last day of the demo period: outcomes after it have not happened yet. */
  lastDay: string;
}

function ageOf(random: Random, kitten: boolean, kind: IntakeKind): { ageDays: number | null; ageClass: AgeClass } {
  if (kind[0] === "born_in_care") return { ageDays: int(random, 0, 3), ageClass: "kitten" };
  if (kitten) return { ageDays: chance(random, 0.4) ? int(random, 1, 21) : int(random, 22, 150), ageClass: "kitten" };
  if (chance(random, 0.03)) return { ageDays: null, ageClass: "unknown" };
  return { ageDays: chance(random, 0.3) ? null : int(random, 365, 5000), ageClass: "adult" };
}

function intake(input: ShelterYearInput, date: string, kitten: boolean, seq: number): IntakeRecord {
  const { random, profile } = input;
  const kind = weighted(random, kitten ? KITTEN_INTAKES : ADULT_INTAKES);
  const { ageDays, ageClass } = ageOf(random, kitten, kind);
  const sex: Sex = kitten && chance(random, 0.15) ? "unknown" : chance(random, 0.5) ? "male" : "female";
  const earTipped = profile.tnr === "strong" ? 0.3 : profile.tnr === "modest" ? 0.12 : 0.05;
  const altered = chance(random, 0.08) ? null : !kitten && chance(random, kind[0] === "stray" ? earTipped : 0.3);
  const neonate = ageDays !== null && ageDays <= 21;
  const condition = kind[1] === "負傷動物" ? "負傷" : neonate ? "乳飲み子" : weighted(random, CONDITIONS);
  const found = kind[0] === "stray" || kind[0] === "seized";
  return {
    municipality: input.code,
    fiscalYear: input.fiscalYear,
    sourceJob: "demo",
    sourceRow: 0,
    animalId: `${input.code}-${input.fiscalYear}-C${String(seq).padStart(4, "0")}`,
    intakeAt: atTime(date, int(random, 9, 16), int(random, 0, 59)),
    intakeType: kind[0],
    intakeTypeOriginal: kind[1],
    condition,
    ageDays,
    ageClass,
    sex,
    altered,
    foundLocation: found ? `${pick(random, profile.areas)} ${pick(random, PLACES)}` : null,
  };
}

/** The intakes of one fiscal year, in date order, each with its outcome when it has one. */
export function generateShelterYear(
  input: ShelterYearInput,
): { intake: IntakeRecord; outcome: ShelterOutcome | null }[] {
  const { random, profile, trend: t } = input;
  const kittens = profile.intakesPerYear * KITTEN_SHARE * t.kittens * (0.95 + 0.1 * random());
  const adults = profile.intakesPerYear * (1 - KITTEN_SHARE) * t.adults * (0.95 + 0.1 * random());
  const kittenTotal = KITTEN_SEASON.reduce((a, b) => a + b, 0);
  const adultTotal = ADULT_SEASON.reduce((a, b) => a + b, 0);
  const days: { date: string; kitten: boolean }[] = [];
  for (const { year, month } of fiscalMonths(input.fiscalYear, input.startMonth)) {
    const nKittens = poisson(random, (kittens * KITTEN_SEASON[month - 1]!) / kittenTotal);
    const nAdults = poisson(random, (adults * ADULT_SEASON[month - 1]!) / adultTotal);
    const last = daysInMonth(year, month);
    for (let i = 0; i < nKittens + nAdults; i++) {
      days.push({ date: isoDate(year, month, int(random, 1, last)), kitten: i < nKittens });
    }
  }
  days.sort((a, b) => a.date.localeCompare(b.date));
  return days.map(({ date, kitten }, i) => {
    const record = intake(input, date, kitten, i + 1);
    return { intake: record, outcome: chooseOutcome(random, record, input) };
  });
}
