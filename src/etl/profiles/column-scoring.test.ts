/**
 * Pins header variants with units: `助成金額（円）`, `頭数(頭)`, `Count (cats)` match their field as the
 * bare name does (catdata template header, known synonym), full-width or not; a bracket that is not a
 * unit (`収容区分（詳細）`) is kept, and the unit is split off for the table's metadata.
 */
import { describe, expect, it } from "vitest";
import { splitHeaderUnit } from "../../cats/header-unit.js";
import { findTemplateColumn } from "../../cats/template.js";
import { columnShapes, suggestColumns } from "./column-scoring.js";
import { headerKey } from "./header-synonyms.js";

describe("headers written with a unit", () => {
  it("splits a known unit off, in full- or half-width brackets, and keeps other brackets", () => {
    expect(splitHeaderUnit("助成金額（円）")).toEqual({ name: "助成金額", unit: "円" });
    expect(splitHeaderUnit("頭数(頭)")).toEqual({ name: "頭数", unit: "頭" });
    expect(splitHeaderUnit("Count (cats)")).toEqual({ name: "Count", unit: "cats" });
    expect(splitHeaderUnit("助成金額（千円）")).toEqual({ name: "助成金額", unit: "千円" });
    expect(splitHeaderUnit("収容区分（詳細）")).toEqual({ name: "収容区分（詳細）" });
    expect(splitHeaderUnit("（円）")).toEqual({ name: "（円）" });
    expect(headerKey("Count (cats)")).toBe(headerKey("count"));
  });

  it("matches the template column and the synonyms as the bare header does", () => {
    expect(findTemplateColumn("tnr", "助成金額（円）")?.field).toBe("subsidyAmount");
    expect(findTemplateColumn("tnr", "頭数（頭）")?.field).toBe("count");
    const rows = [{ 実施日: "2023-07-22", "助成金額（円）": "5000", "Count (cats)": "2", 地区: "北区" }];
    const got = suggestColumns("tnr", Object.keys(rows[0] as object), columnShapes(rows));
    const by = Object.fromEntries(got.map((s) => [s.field, s]));
    expect(by.subsidyAmount).toMatchObject({ header: "助成金額（円）", confidence: 1 });
    expect(by.count).toMatchObject({ header: "Count (cats)", confidence: 1 });
    const english = [{ date: "2023-07-22", "Subsidy (yen)": "5000", "Cats (count)": "2" }];
    const en = suggestColumns("tnr", Object.keys(english[0] as object), columnShapes(english));
    expect(en.find((s) => s.field === "subsidyAmount")).toMatchObject({ header: "Subsidy (yen)", confidence: 0.95 });
    expect(en.find((s) => s.field === "count")).toMatchObject({ header: "Cats (count)", confidence: 0.95 });
  });
});
