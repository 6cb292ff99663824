/**
 * Pins: 和暦 fiscal-year labels (令和5年度 for FY2023, 令和元年度 for FY2019, 平成30年度 for FY2018,
 * 平成元年度 / 昭和63年度); dates switch era on the day (2019-04-30 平成31年, 2019-05-01 令和元年);
 * era years as written in files parse back (kanji, R/H letters, 元, full-width digits); junk does not.
 * readWareki: 和暦 dates and months in every style offices write, each era's first and last day
 * accepted and the day beyond refused with a reason; readWarekiFiscalYear: 年度 labels.
 */
import { describe, expect, it } from "vitest";
import {
  parseWarekiYear,
  readWareki,
  readWarekiFiscalYear,
  warekiFiscalYearLabel,
  warekiYearOfDate,
} from "./wareki.js";

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

describe("readWareki", () => {
  const ok = (year: number, month: number, day: number | null, rest = "") => ({ ok: true, year, month, day, rest });
  it.each([
    ["令和5年7月22日", ok(2023, 7, 22)],
    ["R5.8.19", ok(2023, 8, 19)],
    ["R5/8/19", ok(2023, 8, 19)],
    ["r5-8-19", ok(2023, 8, 19)],
    ["Ｒ５．８．１９", ok(2023, 8, 19)],
    ["令和元年5月1日", ok(2019, 5, 1)],
    ["平成31年4月30日", ok(2019, 4, 30)],
    ["H30.4.1", ok(2018, 4, 1)],
    ["昭和64年1月7日", ok(1989, 1, 7)],
    ["平成元年1月8日", ok(1989, 1, 8)],
    ["昭和元年12月25日", ok(1926, 12, 25)],
    ["令和 5 年 7 月 22 日", ok(2023, 7, 22)],
    ["R5.8.19 13:05", ok(2023, 8, 19, "13:05")],
    ["令和2年6月", ok(2020, 6, null)],
    ["R2.6", ok(2020, 6, null)],
    ["令和元年5月", ok(2019, 5, null)],
    ["平成31年4月", ok(2019, 4, null)],
  ])("reads %s", (text, expected) => {
    expect(readWareki(text)).toEqual(expected);
  });

  it.each([
    ["平成31年5月1日", /2019-05-01\) is outside 平成 \(1989-01-08–2019-04-30\)/],
    ["令和元年4月30日", /2019-04-30\) is outside 令和 \(since 2019-05-01\)/],
    ["平成元年1月7日", /1989-01-07\) is outside 平成/],
    ["昭和64年1月8日", /1989-01-08\) is outside 昭和 \(1926-12-25–1989-01-07\)/],
    ["昭和元年12月24日", /outside 昭和/],
    ["平成31年5月", /month "平成31年5月" \(2019-05\) is outside 平成/],
    ["令和元年4月", /outside 令和/],
    ["R0.1.1", /era year 0: the first year of an era is 元年/],
    ["令和5年13月1日", /month 13/],
  ])("refuses %s with a reason naming it and the eras", (text, reason) => {
    const r = readWareki(text);
    expect(r).toMatchObject({ ok: false });
    const message = r && !r.ok ? r.reason : "";
    expect(message).toMatch(reason);
    expect(message).toContain(text);
  });

  it("leaves text that is not 和暦 to other parsers", () => {
    for (const text of ["2023-04-01", "大正5年1月1日", "June 2020", "令和", "Rain 5.8.19"])
      expect(readWareki(text), text).toBeNull();
  });
});

describe("readWarekiFiscalYear", () => {
  it("reads 年度 labels, 平成31年度 as FY2019 like 令和元年度, and refuses years past the era", () => {
    expect(readWarekiFiscalYear("令和5年度")).toEqual({ ok: true, fiscalYear: 2023 });
    expect(readWarekiFiscalYear("平成30年度")).toEqual({ ok: true, fiscalYear: 2018 });
    expect(readWarekiFiscalYear("令和元年度")).toEqual({ ok: true, fiscalYear: 2019 });
    expect(readWarekiFiscalYear("平成31年度")).toEqual({ ok: true, fiscalYear: 2019 });
    expect(readWarekiFiscalYear("R５年度")).toEqual({ ok: true, fiscalYear: 2023 });
    expect(readWarekiFiscalYear("平成32年度")).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/平成32年度.*outside 平成/),
    });
    expect(readWarekiFiscalYear("令和5年")).toBeNull();
  });
});
