/**
 * Pins: 和暦 fiscal-year labels (令和5年度 for FY2023, 令和元年度 for FY2019, 平成30年度 for FY2018,
 * 平成元年度 / 昭和63年度); dates switch era on the day (2019-04-30 平成31年, 2019-05-01 令和元年);
 * era years as written in files parse back (kanji, R/H letters, 元, full-width digits); junk does not.
 */
import { describe, expect, it } from "vitest";
import { parseWarekiYear, warekiFiscalYearLabel, warekiYearOfDate } from "./wareki.js";

describe("warekiFiscalYearLabel", () => {
  it("names fiscal years in 令和 from FY2019 and in 平成 up to FY2018", () => {
    expect(warekiFiscalYearLabel(2023)).toBe("令和5年度");
    expect(warekiFiscalYearLabel(2019)).toBe("令和元年度");
    expect(warekiFiscalYearLabel(2020)).toBe("令和2年度");
    expect(warekiFiscalYearLabel(2018)).toBe("平成30年度");
    expect(warekiFiscalYearLabel(1989)).toBe("平成元年度");
    expect(warekiFiscalYearLabel(1988)).toBe("昭和63年度");
  });

  it("adds the Gregorian year on request and rejects years before 昭和", () => {
    expect(warekiFiscalYearLabel(2023, { withGregorian: true })).toBe("令和5年度（2023年度）");
    expect(() => warekiFiscalYearLabel(1900)).toThrow(/out of range/);
  });
});

describe("warekiYearOfDate", () => {
  it("switches era on the first day of 令和 and of 平成", () => {
    expect(warekiYearOfDate("2019-04-30")).toBe("平成31年");
    expect(warekiYearOfDate("2019-05-01")).toBe("令和元年");
    expect(warekiYearOfDate("2023-04-01T09:00:00")).toBe("令和5年");
    expect(warekiYearOfDate("1989-01-07")).toBe("昭和64年");
    expect(warekiYearOfDate("1989-01-08")).toBe("平成元年");
  });
});

describe("parseWarekiYear", () => {
  it("reads era years as municipalities write them", () => {
    expect(parseWarekiYear("令和5年度")).toBe(2023);
    expect(parseWarekiYear("令和元年度")).toBe(2019);
    expect(parseWarekiYear("平成30年")).toBe(2018);
    expect(parseWarekiYear("R5")).toBe(2023);
    expect(parseWarekiYear("h30年度")).toBe(2018);
    expect(parseWarekiYear("令和５年度")).toBe(2023);
  });

  it("returns null for what is not an era year", () => {
    for (const text of ["2023年度", "大正5年", "令和", "R0", "令和5年度分"])
      expect(parseWarekiYear(text), text).toBeNull();
  });
});
