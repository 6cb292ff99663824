/**
 * Pins the declarative mappings' date conversion (convertCell / parseDateIn) for dates and periods as
 * Japanese offices write them: 和暦 in every style; a month alone only where the mapping declares
 * `"datePrecision": "month"` or the field is a period's (complaints receivedOn / periodEnd), and
 * refused otherwise with "this is a month, not a date"; 年度 labels in period fields and in
 * `fiscalYear`; and the same through a confirmed mapping's mapRow.
 */
import { describe, expect, it } from "vitest";
import { profileFromSuggestion } from "./declarative-profile.js";
import { parseDeclarative } from "./declarative-spec.js";
import { convertCell, parseDateIn } from "./declarative-values.js";

const ctx = { municipality: "131041", fiscalYearStartMonth: 4, jobId: "j1", fileName: "x.csv", row: 1 };

describe("convertCell dates", () => {
  it.each([
    ["令和5年7月22日", "2023-07-22"],
    ["R5.8.19", "2023-08-19"],
    ["R5/8/19", "2023-08-19"],
    ["Ｒ５．８．１９", "2023-08-19"],
    ["令和元年5月1日", "2019-05-01"],
    ["平成31年4月30日", "2019-04-30"],
    ["H30.4.1", "2018-04-01"],
    ["昭和64年1月7日", "1989-01-07"],
    ["2023.4.1", "2023-04-01"],
  ])("reads the date %s in a day field", (raw, iso) => {
    expect(convertCell("operatedOn", "DATE", raw, "auto")).toBe(iso);
    expect(convertCell("intakeAt", "TIMESTAMP", raw, "auto")).toBe(`${iso}T00:00:00`);
  });

  it("refuses a date outside its era", () => {
    expect(() => convertCell("operatedOn", "DATE", "平成31年5月1日", "auto")).toThrow(
      /"平成31年5月1日" \(2019-05-01\) is outside 平成/,
    );
  });

  it.each(["2020年6月", "令和2年6月", "2020/06", "2020-06", "June 2020", "Jun 2020", "Jun-2020", "6/2020"])(
    "reads the month %s only with month precision or in a period field",
    (raw) => {
      expect(() => convertCell("operatedOn", "DATE", raw, "auto")).toThrow(
        `"${raw}": this is a month, not a date: declare month precision in the mapping`,
      );
      expect(() => convertCell("intakeAt", "TIMESTAMP", raw, "mdy", "day")).toThrow(/this is a month, not a date/);
      expect(convertCell("operatedOn", "DATE", raw, "auto", "month")).toBe("2020-06-01");
      expect(convertCell("seenAt", "TIMESTAMP", raw, "dmy", "month")).toBe("2020-06-01T00:00:00");
      expect(convertCell("receivedOn", "DATE", raw, "auto")).toBe("2020-06-01");
      expect(convertCell("periodEnd", "DATE", raw, "auto")).toBe("2020-06-30");
    },
  );

  it("reads 年度 labels as periods in period fields and as fiscalYear, and refuses them as a day", () => {
    expect(convertCell("receivedOn", "DATE", "令和5年度", "auto")).toBe("2023-04-01");
    expect(convertCell("periodEnd", "DATE", "令和5年度", "auto")).toBe("2024-03-31");
    expect(convertCell("fiscalYear", "INTEGER", "令和5年度", "auto")).toBe(2023);
    expect(convertCell("fiscalYear", "INTEGER", "平成30年度", "auto")).toBe(2018);
    expect(convertCell("fiscalYear", "INTEGER", "2023年度", "auto")).toBe(2023);
    expect(convertCell("fiscalYear", "INTEGER", "2023", "auto")).toBe(2023);
    expect(() => convertCell("operatedOn", "DATE", "令和5年度", "auto", "month")).toThrow(
      /"令和5年度" is a fiscal year \(年度\), not a date/,
    );
  });

  it("keeps the mapping's day order for full dates", () => {
    expect(parseDateIn("1/4/2023", "dmy")).toBe("2023-04-01T00:00:00");
    expect(parseDateIn("4/1/2023", "mdy")).toBe("2023-04-01T00:00:00");
    expect(parseDateIn("4/2023", "dmy", { precision: "month" })).toBe("2023-04-01T00:00:00");
  });
});

describe("datePrecision in a mapping", () => {
  const mapping = (extra: Record<string, unknown>) => ({
    format: "catdata-mapping/1",
    name: "tnr-monthly",
    dataset: "tnr",
    species: { declared: "cat" }, // a cat-only file: no species column
    columns: { operatedOn: "実施月", count: "頭数" },
    ...extra,
  });

  it("is day unless declared, and only day or month", () => {
    expect(parseDeclarative(mapping({})).datePrecision).toBeUndefined();
    expect(parseDeclarative(mapping({ datePrecision: "month" })).datePrecision).toBe("month");
    expect(() => parseDeclarative(mapping({ datePrecision: "year" }))).toThrow(/mapping field datePrecision/);
  });

  it("turns a month into the first of the month only when declared", () => {
    const row = { 実施月: "令和2年6月", 頭数: "3" };
    const byDay = profileFromSuggestion(mapping({})).mapRow(row, ctx);
    expect(byDay).toEqual({
      kind: "reject",
      reason: expect.stringContaining(
        '"令和2年6月": this is a month, not a date: declare month precision in the mapping',
      ),
    });
    const byMonth = profileFromSuggestion(mapping({ datePrecision: "month" })).mapRow(row, ctx);
    expect(byMonth).toMatchObject({
      kind: "records",
      records: [{ record: { operatedOn: "2020-06-01", fiscalYear: 2020 } }],
    });
  });
});
