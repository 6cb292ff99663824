/**
 * How each demo municipality behaves: its shelter volume, its TNR (地域猫) programme, its complaints,
 * its spay/neuter subsidy and its districts (real ward / district names). One municipality runs a strong
 * programme (rising TNR, falling intakes and euthanasia); others run a modest one or none.
 */
import { type Random, subSeed } from "./random.js";

/** strong: a growing municipal TNR programme; modest: a steady one; none: volunteers only. */
export type TnrProgramme = "strong" | "modest" | "none";

export interface DemoProfile {
  /** Cats taken in during the first demo year. */
  intakesPerYear: number;
  tnr: TnrProgramme;
  /** Cats operated on in the first demo year. */
  tnrPerYear: number;
  complaintsPerYear: number;
  /** Yen per cat by sex, or null when the municipality pays no subsidy. */
  subsidy: { female: number; male: number } | null;
  areas: readonly string[];
}

export const DEFAULT_DEMO_MUNICIPALITIES = ["011002", "131041", "141003", "231002", "271004", "401307", "472018"];

const PROFILES: Readonly<Record<string, DemoProfile>> = {
  "011002": {
    intakesPerYear: 380,
    tnr: "modest",
    tnrPerYear: 150,
    complaintsPerYear: 180,
    subsidy: { female: 8000, male: 5000 },
    areas: ["中央区", "北区", "東区", "白石区", "厚別区", "豊平区", "清田区", "南区", "西区", "手稲区"],
  },
  "131041": {
    intakesPerYear: 90,
    tnr: "modest",
    tnrPerYear: 120,
    complaintsPerYear: 150,
    subsidy: { female: 10000, male: 6000 },
    areas: ["四谷", "箪笥町", "榎町", "若松町", "大久保", "戸塚", "落合第一", "落合第二", "柏木", "角筈"],
  },
  "141003": {
    intakesPerYear: 520,
    tnr: "none",
    tnrPerYear: 40,
    complaintsPerYear: 260,
    subsidy: null,
    areas: ["鶴見区", "神奈川区", "西区", "中区", "南区", "港南区", "保土ケ谷区", "旭区", "磯子区", "金沢区"],
  },
  "231002": {
    intakesPerYear: 560,
    tnr: "strong",
    tnrPerYear: 700,
    complaintsPerYear: 280,
    subsidy: { female: 10000, male: 5000 },
    areas: ["千種区", "東区", "北区", "西区", "中村区", "中区", "昭和区", "瑞穂区", "熱田区", "中川区", "港区", "南区"],
  },
  "271004": {
    intakesPerYear: 600,
    tnr: "none",
    tnrPerYear: 30,
    complaintsPerYear: 300,
    subsidy: null,
    areas: ["北区", "都島区", "福島区", "此花区", "中央区", "西区", "港区", "大正区", "天王寺区", "浪速区", "生野区"],
  },
  "401307": {
    intakesPerYear: 360,
    tnr: "modest",
    tnrPerYear: 160,
    complaintsPerYear: 170,
    subsidy: { female: 7000, male: 4000 },
    areas: ["東区", "博多区", "中央区", "南区", "城南区", "早良区", "西区"],
  },
  "472018": {
    intakesPerYear: 240,
    tnr: "none",
    tnrPerYear: 25,
    complaintsPerYear: 110,
    subsidy: null,
    areas: ["那覇", "首里", "真和志", "小禄"],
  },
};

const GENERIC_AREAS = ["中央地区", "北地区", "東地区", "南地区", "西地区"];

/** The profile of a demo municipality; one derived from its code when it has none of its own. */
export function demoProfile(code: string): DemoProfile {
  const own = PROFILES[code];
  if (own) return own;
  const h = subSeed(0, code);
  return {
    intakesPerYear: 150 + (h % 200),
    tnr: "none",
    tnrPerYear: 20 + (h % 20),
    complaintsPerYear: 80 + (h % 80),
    subsidy: null,
    areas: GENERIC_AREAS,
  };
}

/** Multipliers on the first demo year's volumes and rates. */
export interface Trend {
  kittens: number;
  adults: number;
  euthanasia: number;
  tnr: number;
  complaints: number;
}

/** Year-on-year multipliers by programme, for year index i (0 = first demo year). */
export function trend(tnr: TnrProgramme, i: number): Trend {
  switch (tnr) {
    case "strong":
      return { kittens: 0.82 ** i, adults: 0.93 ** i, euthanasia: 0.6 ** i, tnr: 1.4 ** i, complaints: 0.92 ** i };
    case "modest":
      return { kittens: 0.97 ** i, adults: 0.99 ** i, euthanasia: 0.92 ** i, tnr: 1.05 ** i, complaints: 0.98 ** i };
    case "none":
      return { kittens: 1.02 ** i, adults: 1.01 ** i, euthanasia: 1, tnr: 1, complaints: 1.01 ** i };
  }
}

/** What each per-year generator (shelter, TNR, complaints) is given for one municipality and fiscal year. */
export interface YearInput {
  random: Random;
  code: string;
  profile: DemoProfile;
  trend: Trend;
  fiscalYear: number;
  startMonth: number;
}
