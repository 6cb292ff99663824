/**
 * Pins, in wall-clock time (so it runs alone, after the parallel suite: vitest.timing.config.ts), that a
 * gzipped 50 MB single line is refused as one row in well under a second, later rows load, and the
 * event loop stays responsive meanwhile (was: quadratic re-scan, 146 s frozen).
 */
import { Readable } from "node:stream";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { type CsvRow, readCsv } from "./csv-reader.js";
import { gunzip } from "./detect-format.js";

/** The longest gap between 5 ms timer ticks while `work` runs. */
async function maxTimerGap(work: () => Promise<void>): Promise<number> {
  let last = performance.now();
  let worst = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last);
    last = now;
  }, 5);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return Math.max(worst, performance.now() - last);
}

describe("readCsv in time", () => {
  it("refuses a gzipped 50 MB single line as one row, quickly, without blocking the event loop", async () => {
    const csv = `id,name\n1,${"x".repeat(50 * 1024 * 1024)}\n2,Tama\n3,Mike\n`;
    const gz = gzipSync(Buffer.from(csv));
    expect(gz.length).toBeLessThan(100 * 1024);
    const rows: CsvRow[] = [];
    const started = performance.now();
    const gap = await maxTimerGap(async () => {
      for await (const r of readCsv(gunzip(Readable.from([gz])), { encoding: "utf8" })) rows.push(r);
    });
    const took = performance.now() - started;
    expect(rows.map((r) => [r.row, r.problem !== undefined])).toEqual([
      [1, true],
      [2, false],
      [3, false],
    ]);
    expect(rows[0]?.problem).toMatch(/longer than the 1048576-byte line limit \(CATDATA_MAX_LINE_BYTES\)/);
    expect(JSON.stringify(rows[0]?.values).length).toBeLessThan(1000);
    expect(rows[1]?.values).toEqual({ id: "2", name: "Tama" });
    expect(took).toBeLessThan(5000);
    expect(gap).toBeLessThan(100);
  });
});
