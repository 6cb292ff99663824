/**
 * Pins: each dataset's template has unique Japanese and English headers; coded values map to canonical
 * model.ts enums from Japanese, English, canonical and half-width spellings, never ambiguously; headers
 * are found by either language; a Shift_JIS render decodes (iconv-lite) to the Japanese headers and
 * labels with CRLF lines; a UTF-8 render has a BOM and English labels; rendered files parse back to the
 * same canonical values; formula-like cells get an apostrophe; characters Shift_JIS lacks are refused.
 */
import { parse } from "csv-parse/sync";
import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { CatdataError } from "../errors.js";
import { COMPLAINT_CATEGORIES, INTAKE_TYPES, type IntakeRecord, OUTCOME_TYPES } from "./model.js";
import {
  findTemplateColumn,
  neutraliseFormula,
  renderTemplateCsv,
  TEMPLATE_DATASETS,
  TEMPLATES,
  type TemplateColumn,
  templateHeaders,
  toCanonicalValue,
} from "./template.js";

const intake = (over: Partial<IntakeRecord> = {}): IntakeRecord => ({
  municipality: "231002",
  fiscalYear: 2023,
  sourceJob: "test",
  sourceRow: 1,
  animalId: "231002-2023-C0001",
  intakeAt: "2023-05-10T09:30:00",
  intakeType: "stray",
  intakeTypeOriginal: "負傷動物",
  condition: "負傷",
  ageDays: 30,
  ageClass: "kitten",
  sex: "female",
  altered: false,
  foundLocation: "中区 公園",
  ...over,
});

const column = (dataset: (typeof TEMPLATE_DATASETS)[number], en: string): TemplateColumn => {
  const found = findTemplateColumn(dataset, en);
  if (!found) throw new Error(`no column ${en}`);
  return found;
};

describe("template definitions", () => {
  it("gives every dataset unique Japanese and English headers", () => {
    for (const dataset of TEMPLATE_DATASETS) {
      for (const lang of ["ja", "en"] as const) {
        const headers = templateHeaders(dataset, lang);
        expect(new Set(headers).size, `${dataset} ${lang}`).toBe(headers.length);
      }
    }
    expect(templateHeaders("tnr", "ja")).toEqual(["市区町村コード", "実施日", "地区", "性別", "頭数", "助成金額"]);
  });

  it("maps coded values only onto canonical enums, each label to one value", () => {
    const allowed: Record<string, readonly string[]> = {
      intakeType: INTAKE_TYPES,
      outcomeType: OUTCOME_TYPES,
      category: COMPLAINT_CATEGORIES,
      sex: ["male", "female", "unknown"],
      ageClass: ["adult", "kitten", "unknown"],
      altered: ["true", "false", "unknown"],
    };
    for (const dataset of TEMPLATE_DATASETS) {
      for (const col of TEMPLATES[dataset] as readonly TemplateColumn[]) {
        if (!col.values) continue;
        for (const value of col.values) {
          expect(allowed[col.field], col.field).toContain(value.canonical);
          for (const label of [value.ja, value.en, ...(value.aliases ?? [])]) {
            expect(toCanonicalValue(col, label), `${col.field}: ${label}`).toBe(value.canonical);
          }
        }
      }
    }
  });

  it("reads Japanese, English, canonical and half-width spellings", () => {
    expect(toCanonicalValue(column("intakes", "intake_type"), "所有者不明")).toBe("stray");
    expect(toCanonicalValue(column("intakes", "収容区分"), "Owner Surrender")).toBe("owner_surrender");
    expect(toCanonicalValue(column("intakes", "intake_type"), "owner_surrender")).toBe("owner_surrender");
    expect(toCanonicalValue(column("outcomes", "outcome_type"), "地域猫として元の場所へ")).toBe("return_to_field");
    expect(toCanonicalValue(column("outcomes", "outcome_type"), " 殺処分 ")).toBe("euthanasia");
    expect(toCanonicalValue(column("tnr", "sex"), "ｵｽ")).toBe("male");
    expect(toCanonicalValue(column("complaints", "苦情区分"), "ゴミ荒らし")).toBe("garbage");
    expect(toCanonicalValue(column("complaints", "category"), "騒がしい")).toBeUndefined();
  });

  it("finds columns by either header, ignoring width and case", () => {
    expect(findTemplateColumn("intakes", "収容日")?.en).toBe("intake_date");
    expect(findTemplateColumn("intakes", "Intake Date")?.ja).toBe("収容日");
    expect(findTemplateColumn("tnr", "頭数")?.field).toBe("count");
    expect(findTemplateColumn("tnr", "ｺﾒﾝﾄ")).toBeUndefined();
  });
});

describe("renderTemplateCsv", () => {
  it("writes Shift_JIS that decodes to the Japanese headers and labels, CRLF", () => {
    const bytes = renderTemplateCsv("intakes", [intake()], { lang: "ja", encoding: "shift_jis" });
    expect(bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(false);
    expect(bytes.includes(iconv.encode("収容区分", "Shift_JIS"))).toBe(true);
    const text = iconv.decode(bytes, "Shift_JIS");
    const lines = text.split("\r\n");
    expect(lines[0]).toBe(templateHeaders("intakes", "ja").join(","));
    expect(lines[1]).toBe("231002,231002-2023-C0001,2023-05-10,09:30,負傷動物,子猫,30,メス,未,負傷,中区 公園");
    expect(lines[2]).toBe("");
    expect(text.replaceAll("\r\n", "")).not.toMatch(/[\r\n]/);
  });

  it("writes UTF-8 with a BOM and English labels", () => {
    const bytes = renderTemplateCsv("intakes", [intake({ altered: null, intakeTypeOriginal: "所有者不明" })], {
      lang: "en",
      encoding: "utf8",
    });
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [header, row] = bytes.subarray(3).toString("utf8").split("\r\n");
    expect(header).toBe(templateHeaders("intakes", "en").join(","));
    expect(row).toBe("231002,231002-2023-C0001,2023-05-10,09:30,stray,kitten,30,female,unknown,負傷,中区 公園");
  });

  it("parses back to the same canonical values", () => {
    const records = [
      intake(),
      intake({ intakeType: "owner_surrender", intakeTypeOriginal: "", sex: "male", altered: true }),
    ];
    const text = iconv.decode(
      renderTemplateCsv("intakes", records, { lang: "ja", encoding: "shift_jis" }),
      "Shift_JIS",
    );
    const rows: Record<string, string>[] = parse(text, { columns: true });
    const canonical = (row: Record<string, string>, header: string) =>
      toCanonicalValue(column("intakes", header), row[header] ?? "");
    expect(rows.map((r) => [canonical(r, "収容区分"), canonical(r, "性別"), canonical(r, "不妊去勢")])).toEqual([
      ["stray", "female", "false"],
      ["owner_surrender", "male", "true"],
    ]);
  });

  it("neutralises cells that Excel would run as formulas, and quotes what needs quoting", () => {
    const evil = intake({
      foundLocation: '=HYPERLINK("http://x.example","click")',
      condition: "@SUM(A1)",
      animalId: "+81-3",
    });
    const text = iconv.decode(renderTemplateCsv("intakes", [evil], { lang: "ja", encoding: "shift_jis" }), "Shift_JIS");
    const row = text.split("\r\n")[1] ?? "";
    expect(row).toContain(`'+81-3`);
    expect(row).toContain(`'@SUM(A1)`);
    expect(row).toContain(`"'=HYPERLINK(""http://x.example"",""click"")"`);
    const [parsed] = parse(text, { columns: true }) as Record<string, string>[];
    expect(parsed?.発見場所).toBe(`'=HYPERLINK("http://x.example","click")`);
    expect(neutraliseFormula("-1+2")).toBe("'-1+2");
    expect(neutraliseFormula("公園")).toBe("公園");
    const multiline = renderTemplateCsv("intakes", [intake({ foundLocation: "北区,\r\n公園" })], {
      lang: "en",
      encoding: "utf8",
    });
    expect(multiline.toString("utf8")).toContain('"北区,\r\n公園"');
  });

  it("refuses characters that Shift_JIS cannot hold, naming them", () => {
    const cat = intake({ condition: "元気😺" });
    expect(() => renderTemplateCsv("intakes", [cat], { lang: "ja", encoding: "shift_jis" })).toThrow(CatdataError);
    expect(() => renderTemplateCsv("intakes", [cat], { lang: "ja", encoding: "shift_jis" })).toThrow(/😺/);
    expect(renderTemplateCsv("intakes", [cat], { lang: "ja", encoding: "utf8" }).toString("utf8")).toContain("元気😺");
  });
});
