/**
 * Pins the result CSV writer:
 * - numbers stay numbers: negative numbers (values and plain-number strings) are never prefixed
 * - structs and lists are written as JSON, never `[object Object]`; dates as ISO 8601
 * - formulas are neutralised with one leading ' — = + - @, their full-width forms ＝＋－＠, tab and CR
 *   starts, also behind leading invisible characters (zero-width space/joiners, BOM, bidi marks)
 * - property: any string cell written and parsed back by a CSV parser (csv-parse) is the original, or
 *   the original with exactly one leading ' when it is dangerous
 */
import { parse } from "csv-parse/sync";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { csv, isDangerousCell } from "./csv.js";

const roundTrip = (value: unknown): string => {
  const rows = parse(csv([{ a: value, b: "end" }]), { bom: false }) as string[][];
  expect(rows).toHaveLength(2);
  expect(rows[1]?.[1]).toBe("end");
  return rows[1]?.[0] ?? "";
};

describe("csv", () => {
  it("keeps numbers, negative ones included, as numbers", () => {
    expect(csv([{ n: -5, x: -0.25, s: "-12", e: "-1e-3", big: 12n }])).toBe("n,x,s,e,big\r\n-5,-0.25,-12,-1e-3,12\r\n");
    expect(roundTrip("-12.50")).toBe("-12.50");
    expect(roundTrip("-1-1")).toBe("'-1-1");
    expect(roundTrip("-A1")).toBe("'-A1");
  });

  it("writes structs and lists as JSON and dates as ISO 8601", () => {
    const struct = { name: "たま", tags: ["黒", "=1+1"] };
    expect(roundTrip(struct)).toBe(JSON.stringify(struct));
    expect(roundTrip([1, -2])).toBe("[1,-2]");
    expect(roundTrip(new Date("2024-05-01T09:00:00Z"))).toBe("2024-05-01T09:00:00.000Z");
    expect(roundTrip(null)).toBe("");
  });

  it("neutralises ASCII and full-width formula starts, tab and CR, also behind invisible characters", () => {
    const dangerous = [
      "=1+1",
      "+1+1",
      "-1+cmd",
      "@SUM(A1)",
      '＝HYPERLINK("http://x")',
      "＋1",
      "－1",
      "＠SUM(A1)",
      "\t=1",
      "\r=1",
      "\u200b=1+1",
      "\u200c\u200d=1",
      "\ufeff=1",
      "\u200e\u200f@x",
      "\u202e\u2066+1",
      "\u2060－1",
    ];
    for (const cell of dangerous) {
      expect(isDangerousCell(cell), JSON.stringify(cell)).toBe(true);
      expect(roundTrip(cell), JSON.stringify(cell)).toBe(`'${cell}`);
    }
    for (const cell of ["a=1", "猫", " =1", "", "'=1", "12", "-0.5", "\u200bcat"]) {
      expect(isDangerousCell(cell), JSON.stringify(cell)).toBe(false);
      expect(roundTrip(cell), JSON.stringify(cell)).toBe(cell);
    }
  });

  it("round-trips any string cell: the original, or it with one leading ' when dangerous", () => {
    // The test's own idea of "dangerous", written apart from the writer's.
    const invisible = new Set([
      ..."\u00ad\u061c\u180e\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff",
    ]);
    for (let c = 0x202a; c <= 0x202e; c++) invisible.add(String.fromCharCode(c));
    for (let c = 0x2066; c <= 0x2069; c++) invisible.add(String.fromCharCode(c));
    const plainNumber = (cell: string) =>
      cell.trim() === cell && /^-?[0-9.]/.test(cell) && !Number.isNaN(Number(cell)) && !/[xXbBoO_]/.test(cell);
    const dangerous = (cell: string) => {
      const first = [...cell].find((ch) => !invisible.has(ch));
      return first !== undefined && "=+-@＝＋－＠\t\r".includes(first) && !plainNumber(cell);
    };
    const alphabet = fc.constantFrom(
      ..."=+-@＝＋－＠\t\r\n\",' a1.eE\u200b\u200c\u200d\u2060\ufeff\u200e\u200f\u202e\u2066猫",
    );
    const cells = fc.oneof(
      fc.string({ unit: alphabet, maxLength: 12 }),
      fc.string({ unit: "grapheme", maxLength: 12 }),
    );
    fc.assert(
      fc.property(cells, (cell) => {
        expect(roundTrip(cell)).toBe(dangerous(cell) ? `'${cell}` : cell);
      }),
      { numRuns: 3000 },
    );
  });
});
