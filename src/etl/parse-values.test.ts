/**
 * Pins parseDateTime's fast path (no regular expressions for `MM/DD/YYYY hh:mm:ss AM` and ISO) to
 * the same answers and the same refusals as the general parser.
 */
import { describe, expect, it } from "vitest";
import { parseDateTime } from "./parse-values.js";

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
