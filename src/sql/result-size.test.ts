/**
 * Pins the result byte cap's serialisers:
 * - jsonWithin writes exactly what JSON.stringify writes (property, any JSON value, dates, undefined)
 * - at the cap: a result of exactly maxBytes UTF-8 bytes passes, one byte less of cap is 400 BAD_INPUT
 *   with a hint to narrow the query; multi-byte characters are counted as bytes, not characters
 * - it stops early: past the cap, later rows are never read (nothing giant is built first)
 * - linesWithin joins lines within the cap and stops pulling lines at the first past it
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { jsonWithin, linesWithin } from "./result-size.js";

describe("jsonWithin", () => {
  it("writes what JSON.stringify writes", () => {
    const values = fc.oneof(
      fc.jsonValue(),
      fc.array(
        fc.dictionary(fc.string(), fc.oneof(fc.string({ maxLength: 40_000 }), fc.double(), fc.constant(undefined))),
      ),
      fc.array(fc.date({ noInvalidDate: true })),
    );
    fc.assert(
      fc.property(values, (value) => {
        expect(jsonWithin(value, 256 * 1024 ** 2)).toBe(JSON.stringify(value));
      }),
      { numRuns: 300 },
    );
    const big = {
      rows: Array.from({ length: 3 }, (_, i) => ({ i, t: "x".repeat(70_000), d: new Date(0) })),
      u: undefined,
    };
    expect(jsonWithin(big, 1024 ** 2)).toBe(JSON.stringify(big));
  });

  it("passes a result of exactly the cap and refuses one byte more, counting UTF-8 bytes", () => {
    const value = { rows: [{ name: "猫".repeat(100) }] };
    const bytes = Buffer.byteLength(JSON.stringify(value));
    expect(bytes).toBe(JSON.stringify(value).length + 200);
    expect(jsonWithin(value, bytes)).toBe(JSON.stringify(value));
    expect(() => jsonWithin(value, bytes - 1)).toThrow(
      expect.objectContaining({ code: "BAD_INPUT", status: 400, hint: expect.stringMatching(/add a LIMIT/) }),
    );
    expect(() => jsonWithin("x".repeat(5000), 1024)).toThrow(/larger than 1,024 bytes/);
  });

  it("stops reading rows at the first piece past the cap", () => {
    let read = 0;
    const rows = Array.from({ length: 100_000 }, () => ({
      get t() {
        read += 1;
        return "y".repeat(1000);
      },
    }));
    expect(() => jsonWithin({ rows }, 64 * 1024)).toThrow(/larger than 65,536 bytes/);
    expect(read).toBeLessThan(1000);
  });
});

describe("linesWithin", () => {
  it("joins lines within the cap and stops at the first past it", () => {
    let pulled = 0;
    function* lines() {
      for (let i = 0; i < 1_000_000; i++) {
        pulled += 1;
        yield "0123456789\r\n";
      }
    }
    expect(linesWithin(["ab\r\n", "cd\r\n"], 8)).toBe("ab\r\ncd\r\n");
    expect(() => linesWithin(["ab\r\n", "cd\r\n"], 7)).toThrow(/larger than 7 bytes/);
    expect(() => linesWithin(lines(), 1200)).toThrow(/larger than 1,200 bytes/);
    expect(pulled).toBe(101);
  });
});
