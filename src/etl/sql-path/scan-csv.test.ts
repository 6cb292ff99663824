/**
 * The numbered copy's line flags (scan-csv.ts), which let the SQL skip work on most rows:
 * - LOOSE_FLAG on every line whose cells may hold JS whitespace other than the space (tab, vertical
 *   tab, form feed, any non-ASCII byte such as U+00A0 or U+3000), in whichever chunk the line falls
 * - no LOOSE_FLAG on plain ASCII lines, spaces included (the SQL tests their cells' edges itself)
 * - SHAPE_FLAG kept apart from it (both can be set on one line)
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../../testing/fixtures.js";
import { LOOSE_FLAG, mayBeLoose, numberedCopy, SHAPE_FLAG } from "./scan-csv.js";

/** The flags column of each data line of the numbered copy of `lines`, read in chunks of `chunk` bytes. */
async function flagsOf(lines: string[], chunk: number): Promise<number[]> {
  const bytes = Buffer.from(`${lines.join("\n")}\n`);
  async function* chunks() {
    for (let i = 0; i < bytes.length; i += chunk) yield bytes.subarray(i, i + chunk);
  }
  const file = path.join(tempDir("catdata-scan-"), "numbered.csv");
  const copy = await numberedCopy(chunks(), file, 1 << 20, async () => undefined);
  expect(copy).toMatchObject({ ok: true, rows: lines.length - 1 });
  return readFileSync(file, "utf8")
    .split("\n")
    .slice(1, -1)
    .map((l) => Number(l.split(",")[1]));
}

describe("the numbered copy's line flags", () => {
  it("says which lines may hold JS whitespace other than the space", () => {
    for (const loose of ["a\tb", "a,\vb", "a\f", "x,\u00a0y", "\u3000x", "café"]) {
      expect(mayBeLoose(Buffer.from(loose)), JSON.stringify(loose)).toBe(true);
    }
    for (const plain of ["a,b", " a , b ", '" a ",b', "A1,Some Street in Austin (TX),Cat"]) {
      expect(mayBeLoose(Buffer.from(plain)), JSON.stringify(plain)).toBe(false);
    }
  });

  it("flags the same lines whatever the chunks, and keeps the shape flag apart", async () => {
    const lines = [
      "id,where,what",
      "A1,Main St,Cat",
      "A2,Main\u00a0St,Cat",
      "A3,Main St,\tCat",
      "A4, Main St ,Cat",
      "A5,Lamar\u3000,Cat ",
      "A6,\vx,Cat",
      "A7,x,Cat\f",
      "A8,Main St,Cat",
    ];
    const expected = [0, LOOSE_FLAG, LOOSE_FLAG, 0, LOOSE_FLAG | SHAPE_FLAG, LOOSE_FLAG, LOOSE_FLAG | SHAPE_FLAG, 0];
    for (const chunk of [1, 7, 64, 1 << 16])
      expect(await flagsOf(lines, chunk), `chunks of ${chunk}`).toEqual(expected);
  });
});
