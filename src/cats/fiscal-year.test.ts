/**
 * Pins: fiscal years are named by their start year; the boundary days (Mar 31 / Apr 1 for Japan,
 * Sep 30 / Oct 1 for Austin, Jun 30 / Jul 1, Dec 31 / Jan 1 for calendar years); date-times count by
 * their date; ranges end on the right day including leap days; the US end-year name; ja/en labels;
 * bad dates and start months are rejected; 年度 labels as written (令和5年度, 平成30年度, 2023年度).
 */
import { describe, expect, it } from "vitest";
import { CatdataError } from "../errors.js";
import {
  fiscalYearEndYear,
  fiscalYearLabel,
  fiscalYearOf,
  fiscalYearRange,
  readFiscalYearLabel,
} from "./fiscal-year.js";

describe("fiscalYearOf", () => {
  it("puts Mar 31 and Apr 1 in different Japanese fiscal years", () => {
    expect(fiscalYearOf("2024-03-31", 4)).toBe(2023);
    expect(fiscalYearOf("2024-04-01", 4)).toBe(2024);
    expect(fiscalYearOf("2023-04-01", 4)).toBe(2023);
  });

  it("puts Sep 30 and Oct 1 in different Austin fiscal years, named by the start year", () => {
    expect(fiscalYearOf("2019-09-30", 10)).toBe(2018);
    expect(fiscalYearOf("2019-10-01", 10)).toBe(2019);
    expect(fiscalYearOf("2020-09-30T23:59:59", 10)).toBe(2019);
  });

  it("handles July and calendar years, and leap days", () => {
    expect(fiscalYearOf("2017-06-30", 7)).toBe(2016);
    expect(fiscalYearOf("2017-07-01", 7)).toBe(2017);
    expect(fiscalYearOf("2023-12-31", 1)).toBe(2023);
    expect(fiscalYearOf("2024-01-01", 1)).toBe(2024);
    expect(fiscalYearOf("2024-02-29", 4)).toBe(2023);
    expect(fiscalYearOf("2024-02-29T12:00:00", 10)).toBe(2023);
  });

  it("rejects what is not a date or a month", () => {
    expect(() => fiscalYearOf("31/03/2024", 4)).toThrow(CatdataError);
    expect(() => fiscalYearOf("2024-13-01", 4)).toThrow(/not an ISO date/);
    expect(() => fiscalYearOf("2024-04-01", 0)).toThrow(/start month/);
    expect(() => fiscalYearOf("2024-04-01", 13)).toThrow(/start month/);
  });
});

describe("fiscalYearRange and fiscalYearEndYear", () => {
  it("gives the first and last day, leap years included", () => {
    expect(fiscalYearRange(2023, 4)).toEqual({ start: "2023-04-01", end: "2024-03-31" });
    expect(fiscalYearRange(2019, 10)).toEqual({ start: "2019-10-01", end: "2020-09-30" });
    expect(fiscalYearRange(2023, 3)).toEqual({ start: "2023-03-01", end: "2024-02-29" });
    expect(fiscalYearRange(2022, 3)).toEqual({ start: "2022-03-01", end: "2023-02-28" });
    expect(fiscalYearRange(2024, 1)).toEqual({ start: "2024-01-01", end: "2024-12-31" });
  });

  it("gives the end-year name US governments use", () => {
    expect(fiscalYearEndYear(2019, 10)).toBe(2020);
    expect(fiscalYearEndYear(2024, 1)).toBe(2024);
  });
});

describe("fiscalYearLabel", () => {
  it("labels in English with the months covered", () => {
    expect(fiscalYearLabel(2023, 4, "en")).toBe("FY2023 (Apr 2023–Mar 2024)");
    expect(fiscalYearLabel(2019, 10, "en")).toBe("FY2019 (Oct 2019–Sep 2020)");
    expect(fiscalYearLabel(2020, 1, "en")).toBe("FY2020 (Jan–Dec 2020)");
  });

  it("labels in Japanese as 年度", () => {
    expect(fiscalYearLabel(2023, 4, "ja")).toBe("2023年度");
    expect(fiscalYearLabel(2016, 7, "ja")).toBe("2016年度（2016年7月〜2017年6月）");
    expect(fiscalYearLabel(2020, 1, "ja")).toBe("2020年");
  });
});

describe("readFiscalYearLabel", () => {
  it.each([
    ["令和5年度", 2023],
    ["平成30年度", 2018],
    ["令和元年度", 2019],
    ["R5年度", 2023],
    ["2023年度", 2023],
    ["２０２３年度", 2023],
  ])("reads %s as FY%i", (text, fiscalYear) => {
    expect(readFiscalYearLabel(text)).toEqual({ ok: true, fiscalYear });
  });

  it("is null for what is not a fiscal-year label and refuses a year that never was", () => {
    for (const text of ["2023", "2023年", "FY2023", "令和5年"]) expect(readFiscalYearLabel(text), text).toBeNull();
    expect(readFiscalYearLabel("昭和65年度")).toMatchObject({ ok: false });
  });
});
