/**
 * Pins: the check-digit algorithm reproduces the official codes given as examples; every Japanese
 * code in the table carries a valid check digit and any other last digit is rejected; malformed codes
 * are rejected; lookups by code; fiscal-year start months of Japan and of the foreign sample sources.
 */
import { describe, expect, it } from "vitest";
import { getMunicipality, isValidLocalGovCode, listMunicipalities, localGovCheckDigit } from "./municipalities.js";

const OFFICIAL_EXAMPLES = ["011002", "131041", "141003", "231002", "261009", "271004", "281000", "401307", "472018"];

describe("全国地方公共団体コード check digit", () => {
  it("computes the check digit of the official examples", () => {
    for (const code of OFFICIAL_EXAMPLES) expect(localGovCheckDigit(code.slice(0, 5))).toBe(Number(code[5]));
  });

  it("accepts every Japanese code in the table and rejects each of its other last digits", () => {
    const japanese = listMunicipalities().filter((m) => /^\d{6}$/.test(m.code));
    expect(japanese.length).toBeGreaterThanOrEqual(20);
    for (const { code } of japanese) {
      expect(isValidLocalGovCode(code), code).toBe(true);
      for (let d = 0; d <= 9; d++) {
        const other = `${code.slice(0, 5)}${d}`;
        if (other !== code) expect(isValidLocalGovCode(other), other).toBe(false);
      }
    }
  });

  it("rejects malformed codes", () => {
    for (const code of ["13104", "1310411", "13104a", " 131041", "", "us-tx-austin"]) {
      expect(isValidLocalGovCode(code), code).toBe(false);
    }
    expect(() => localGovCheckDigit("1310")).toThrow(RangeError);
  });
});

describe("municipality table", () => {
  it("finds a municipality by code with its names and prefecture", () => {
    expect(getMunicipality("231002")).toEqual({
      code: "231002",
      nameJa: "名古屋市",
      nameEn: "Nagoya",
      prefectureJa: "愛知県",
      prefectureEn: "Aichi",
      country: "JP",
      fiscalYearStartMonth: 4,
    });
    expect(getMunicipality("999999")).toBeUndefined();
  });

  it("has unique codes", () => {
    const codes = listMunicipalities().map((m) => m.code);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it("starts the fiscal year in April for Japan and as each foreign source reports", () => {
    const start = (code: string) => getMunicipality(code)?.fiscalYearStartMonth;
    for (const m of listMunicipalities().filter((x) => x.country === "JP")) expect(m.fiscalYearStartMonth).toBe(4);
    expect(start("jp")).toBe(4);
    expect(start("us-tx-austin")).toBe(10);
    expect(start("us-ca-sonoma")).toBe(7);
    expect(start("au-qld-brisbane")).toBe(7);
    expect(start("au")).toBe(7);
    expect(start("us-wa-king")).toBe(1);
  });
});
