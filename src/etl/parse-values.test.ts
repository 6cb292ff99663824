/**
 * Pins parseDateTime's fast path (no regular expressions for `MM/DD/YYYY hh:mm:ss AM` and ISO) to
 * the same answers and the same refusals as the general parser; dates and periods as Japanese
 * offices write them (和暦 in every style, era boundaries, months, 年度) read or refused with a
 * reason naming the value and the accepted forms — a month is never silently day 1; the year limits;
 * and a property: any date written in any supported style parses back to itself.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { warekiYearOfDate } from "../cats/wareki.js";
import {
  ACCEPTED_DATES,
  ACCEPTED_MONTHS,
  EARLIEST_YEAR,
  LATEST_YEAR,
  parseDateOrPeriod,
  parseDateTime,
  parseFiscalYear,
  readMonth,
} from "./parse-values.js";

describe("parseDateTime", () => {
  it("reads the common shapes", () => {
    expect(parseDateTime("01/03/2019 04:19:00 PM")).toBe("2019-01-03T16:19:00");
    expect(parseDateTime("01/03/2019 12:05:09 AM")).toBe("2019-01-03T00:05:09");
    expect(parseDateTime("01/03/2019 12:05:09 pm")).toBe("2019-01-03T12:05:09");
    expect(parseDateTime("2024-02-29")).toBe("2024-02-29T00:00:00");
    expect(parseDateTime("2024-02-29 13:05")).toBe("2024-02-29T13:05:00");
    expect(parseDateTime("2024-02-29T13:05:07")).toBe("2024-02-29T13:05:07");
    expect(parseDateTime(" 4/1/2023 ")).toBe("2023-04-01T00:00:00");
    expect(parseDateTime("2023年4月1日")).toBe("2023-04-01T00:00:00");
  });

  it("refuses out-of-range values with the general parser's reasons", () => {
    expect(() => parseDateTime("13/03/2019 04:19:00 PM")).toThrow(/month 13/);
    expect(() => parseDateTime("02/30/2019 04:19:00 PM")).toThrow(/day 30, but that month has 28/);
    expect(() => parseDateTime("01/03/2019 13:19:00 PM")).toThrow(/hour 13 with PM/);
    expect(() => parseDateTime("01/03/2019 00:19:00 AM")).toThrow(/hour 0 with AM/);
    expect(() => parseDateTime("2023-02-29")).toThrow(/day 29/);
    expect(() => parseDateTime("2023-04-01 24:00")).toThrow(/out of range/);
    expect(() => parseDateTime("1899-04-01")).toThrow(/year 1899/);
    expect(() => parseDateTime("01/03/20x9 04:19:00 PM")).toThrow(/not in a known format/);
  });
});

describe("和暦 dates (the 25 the TNR trial refused, and their siblings)", () => {
  it.each([
    ["令和5年7月22日", "2023-07-22T00:00:00"],
    ["R5.8.19", "2023-08-19T00:00:00"],
    ["R5/8/19", "2023-08-19T00:00:00"],
    ["Ｒ５．８．１９", "2023-08-19T00:00:00"],
    ["令和元年5月1日", "2019-05-01T00:00:00"],
    ["平成31年4月30日", "2019-04-30T00:00:00"],
    ["H30.4.1", "2018-04-01T00:00:00"],
    ["昭和64年1月7日", "1989-01-07T00:00:00"],
    ["平成元年1月8日", "1989-01-08T00:00:00"],
    ["令和５年７月２２日", "2023-07-22T00:00:00"],
    ["R5.8.19 13:05", "2023-08-19T13:05:00"],
    ["令和5年7月22日 9:05:07", "2023-07-22T09:05:07"],
    ["２０２３年４月１日", "2023-04-01T00:00:00"],
  ])("reads %s", (raw, iso) => {
    expect(parseDateTime(raw)).toBe(iso);
  });

  it.each([
    ["平成31年5月1日", /outside 平成/],
    ["令和元年4月30日", /outside 令和/],
    ["平成元年1月7日", /outside 平成/],
    ["昭和64年1月8日", /outside 昭和/],
    ["R5.2.29", /day 29, but that month has 28/],
    ["R5.8.19 25:00", /out of range/],
    ["R5.8.19 in the morning", /not in a known format; accepted: /],
    ["大正5年1月1日", /not in a known format; accepted: /],
  ])("refuses %s with a reason", (raw, reason) => {
    expect(() => parseDateTime(raw)).toThrow(reason);
    expect(() => parseDateTime(raw)).toThrow(raw);
  });

  it("names the accepted forms when a date is in no known format", () => {
    expect(() => parseDateTime("next Tuesday")).toThrow(
      `date "next Tuesday" is not in a known format; accepted: ${ACCEPTED_DATES}`,
    );
  });
});

describe("months and fiscal years", () => {
  it.each([
    ["2020年6月", 2020, 6],
    ["令和2年6月", 2020, 6],
    ["R2.6", 2020, 6],
    ["2020/06", 2020, 6],
    ["2020-06", 2020, 6],
    ["2020/6", 2020, 6],
    ["June 2020", 2020, 6],
    ["Jun 2020", 2020, 6],
    ["Jun-2020", 2020, 6],
    ["jun. 2020", 2020, 6],
    ["Sept 2020", 2020, 9],
    ["6/2020", 2020, 6],
    ["12/2020", 2020, 12],
    ["２０２０年６月", 2020, 6],
  ])("reads the month %s", (raw, year, month) => {
    expect(readMonth(raw)).toEqual({ year, month });
    expect(parseDateOrPeriod(raw, { precision: "month" })).toBe(
      `${year}-${String(month).padStart(2, "0")}-01T00:00:00`,
    );
  });

  it("leaves dates and other text to the date parser", () => {
    for (const raw of ["2020-06-01", "R5.8.19", "6/1/2020", "Juno 2020", "Ju 2020", "2020", "令和5年度"])
      expect(readMonth(raw), raw).toBeNull();
  });

  it.each(["2020年6月", "令和2年6月", "2020/06", "2020-06", "June 2020", "Jun 2020", "Jun-2020", "6/2020"])(
    "refuses the month %s where a day is needed, never silently day 1",
    (raw) => {
      const reason = `"${raw}": this is a month, not a date: declare month precision in the mapping`;
      expect(() => parseDateTime(raw)).toThrow(reason);
      expect(() => parseDateOrPeriod(raw)).toThrow(reason);
      expect(() => parseDateOrPeriod(raw, { precision: "day" })).toThrow(ACCEPTED_DATES);
    },
  );

  it("reads a month in a period field as its first day, or its last for the period's end", () => {
    expect(parseDateOrPeriod("令和2年2月", { period: "start" })).toBe("2020-02-01T00:00:00");
    expect(parseDateOrPeriod("令和2年2月", { period: "end" })).toBe("2020-02-29T00:00:00");
    expect(parseDateOrPeriod("Feb 2023", { period: "end" })).toBe("2023-02-28T00:00:00");
    expect(parseDateOrPeriod("2020-06-15", { period: "end" })).toBe("2020-06-15T00:00:00");
  });

  it.each([
    ["令和5年度", "2023-04-01", "2024-03-31"],
    ["平成30年度", "2018-04-01", "2019-03-31"],
    ["令和元年度", "2019-04-01", "2020-03-31"],
    ["2023年度", "2023-04-01", "2024-03-31"],
  ])("reads the fiscal year %s as a period (April–March), and only there", (raw, start, end) => {
    expect(parseDateOrPeriod(raw, { period: "start" })).toBe(`${start}T00:00:00`);
    expect(parseDateOrPeriod(raw, { period: "end" })).toBe(`${end}T00:00:00`);
    expect(() => parseDateOrPeriod(raw, { precision: "month" })).toThrow(
      `"${raw}" is a fiscal year (年度), not a date`,
    );
    expect(() => parseDateTime(raw)).toThrow(/is a fiscal year \(年度\), not a date: map it to fiscalYear/);
  });

  it("reads fiscal-year cells as written and refuses others with the accepted labels", () => {
    expect(parseFiscalYear("令和5年度")).toBe(2023);
    expect(parseFiscalYear("平成30年度")).toBe(2018);
    expect(parseFiscalYear("2023年度")).toBe(2023);
    expect(parseFiscalYear(" 2023 ")).toBe(2023);
    expect(() => parseFiscalYear("FY2023")).toThrow(/"FY2023" is not a year like 2023 or a label like 令和5年度/);
    expect(() => parseFiscalYear("平成32年度")).toThrow(/"平成32年度" is outside 平成/);
  });

  it("refuses months that do not exist, naming the value and the accepted forms", () => {
    expect(() => readMonth("2020/13")).toThrow(`month "2020/13" has month 13; months are written ${ACCEPTED_MONTHS}`);
    expect(() => readMonth("13/2020")).toThrow(/month 13/);
    expect(() => readMonth("平成31年5月")).toThrow(/outside 平成/);
    expect(() => parseDateOrPeriod("Juno 2020", { precision: "month" })).toThrow(`or a month: ${ACCEPTED_MONTHS}`);
  });
});

describe("year limits", () => {
  it(`accepts ${EARLIEST_YEAR}–${LATEST_YEAR} and refuses the year either side`, () => {
    expect(parseDateTime(`${EARLIEST_YEAR}-01-01`)).toBe(`${EARLIEST_YEAR}-01-01T00:00:00`);
    expect(parseDateTime(`${LATEST_YEAR}-12-31`)).toBe(`${LATEST_YEAR}-12-31T00:00:00`);
    expect(() => parseDateTime(`${EARLIEST_YEAR - 1}-12-31`)).toThrow(`has year ${EARLIEST_YEAR - 1}`);
    expect(() => parseDateTime(`${LATEST_YEAR + 1}-01-01`)).toThrow(`has year ${LATEST_YEAR + 1}`);
    expect(readMonth(`${LATEST_YEAR}/12`)).toEqual({ year: LATEST_YEAR, month: 12 });
    expect(() => readMonth(`${LATEST_YEAR + 1}/01`)).toThrow(`has year ${LATEST_YEAR + 1}`);
  });
});

describe("property: a date written in any supported style parses back to itself", () => {
  const LETTER: Record<string, string> = { 令和: "R", 平成: "H", 昭和: "S" };
  const FULL_WIDTH = (s: string) => s.replace(/[0-9A-Za-z./]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
  const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  const LONG = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
  ];
  const p2 = (n: number) => String(n).padStart(2, "0");

  /** Each style writes (y, m, d) independently of the parser: the era from warekiYearOfDate. */
  const styles: Record<string, (y: number, m: number, d: number) => string> = {
    iso: (y, m, d) => `${y}-${p2(m)}-${p2(d)}`,
    slash: (y, m, d) => `${y}/${m}/${d}`,
    kanji: (y, m, d) => `${y}年${m}月${d}日`,
    us: (y, m, d) => `${p2(m)}/${p2(d)}/${y}`,
    warekiKanji: (y, m, d) => `${warekiYearOfDate(`${y}-${p2(m)}-${p2(d)}`)}${m}月${d}日`,
    warekiDot: (y, m, d) => {
      const w = /^(..)(元|\d+)年$/.exec(warekiYearOfDate(`${y}-${p2(m)}-${p2(d)}`))!;
      return `${LETTER[w[1]!]}${w[2] === "元" ? 1 : w[2]}.${m}.${d}`;
    },
    warekiSlash: (y, m, d) => styles.warekiDot!(y, m, d).replaceAll(".", "/"),
    warekiFullWidth: (y, m, d) => FULL_WIDTH(styles.warekiDot!(y, m, d)),
  };
  const monthStyles: Record<string, (y: number, m: number) => string> = {
    kanji: (y, m) => `${y}年${m}月`,
    slash: (y, m) => `${y}/${p2(m)}`,
    dash: (y, m) => `${y}-${p2(m)}`,
    long: (y, m) => `${LONG[m - 1]} ${y}`,
    short: (y, m) => `${MONTHS[m - 1]} ${y}`,
    shortDash: (y, m) => `${MONTHS[m - 1]}-${y}`,
    us: (y, m) => `${m}/${y}`,
    wareki: (y, m) => `${warekiYearOfDate(`${y}-${p2(m)}-28`)}${m}月`,
  };
  // 昭和 starts 1926-12-25; dates from then until LATEST_YEAR have an era.
  const day = fc
    .date({ min: new Date(Date.UTC(1927, 0, 1)), max: new Date(Date.UTC(LATEST_YEAR, 11, 31)), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10));

  it("for days", () => {
    fc.assert(
      fc.property(day, fc.constantFrom(...Object.keys(styles)), (iso, style) => {
        const [y, m, d] = iso.split("-").map(Number) as [number, number, number];
        expect(parseDateTime(styles[style]!(y, m, d))).toBe(`${iso}T00:00:00`);
      }),
      { numRuns: 500 },
    );
  });

  it("for months (where the mapping declares month precision)", () => {
    fc.assert(
      fc.property(day, fc.constantFrom(...Object.keys(monthStyles)), (iso, style) => {
        const [y, m] = iso.split("-").map(Number) as [number, number];
        const text = monthStyles[style]!(y, m);
        expect(parseDateOrPeriod(text, { precision: "month" })).toBe(`${iso.slice(0, 7)}-01T00:00:00`);
        expect(() => parseDateOrPeriod(text)).toThrow(/this is a month, not a date/);
      }),
      { numRuns: 500 },
    );
  });
});
