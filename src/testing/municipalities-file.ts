import { writeFileSync } from "node:fs";
import path from "node:path";
import { MUNICIPALITIES_FILE_COLUMNS } from "../config/municipalities-config.js";

/**
 * Test data: a CATDATA_MUNICIPALITIES_FILE in `dir` declaring foreign municipalities (code, names,
 * country and fiscal-year start month); returns its path.
 */
export function writeMunicipalitiesFile(
  dir: string,
  rows: {
    code: string;
    nameJa: string;
    nameEn: string;
    stateJa: string;
    stateEn: string;
    country: string;
    fyStart: number;
  }[],
): string {
  const file = path.join(dir, "municipalities.csv");
  const lines = rows.map((r) => [r.code, r.nameJa, r.nameEn, r.stateJa, r.stateEn, r.country, r.fyStart].join(","));
  writeFileSync(file, `${MUNICIPALITIES_FILE_COLUMNS.join(",")}\n${lines.join("\n")}\n`);
  return file;
}

/** Portland, Oregon: a foreign city with a July fiscal year, as the API and CLI tests declare it. */
export const PORTLAND = {
  code: "us-or-portland",
  nameJa: "ポートランド市",
  nameEn: "Portland",
  stateJa: "オレゴン州",
  stateEn: "Oregon",
  country: "US",
  fyStart: 7,
};

/** Sydney, New South Wales: a foreign city with a July fiscal year, declared in a municipalities file. */
export const SYDNEY = {
  code: "au-nsw-sydney",
  nameJa: "シドニー市",
  nameEn: "Sydney",
  stateJa: "ニューサウスウェールズ州",
  stateEn: "New South Wales",
  country: "AU",
  fyStart: 7,
};
