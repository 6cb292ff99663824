/**
 * Pins sampleFile (what `catdata suggest-mapping` reads): headers and at most `limit` rows of a plain
 * CSV and of the same CSV gzipped; a binary file is refused.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { tempDir } from "../testing/fixtures.js";
import { sampleFile } from "./sample-file.js";

describe("sampleFile", () => {
  it("reads headers and the first rows, plain or gzipped", async () => {
    const dir = tempDir();
    const csv = `保護日,個体ID\n${Array.from({ length: 30 }, (_, i) => `2024/04/0${1 + (i % 9)},N-${i}`).join("\n")}\n`;
    writeFileSync(path.join(dir, "a.csv"), csv);
    writeFileSync(path.join(dir, "a.csv.gz"), gzipSync(Buffer.from(csv)));
    for (const name of ["a.csv", "a.csv.gz"]) {
      const [table] = await sampleFile(path.join(dir, name), 10);
      expect(table?.headers, name).toEqual(["保護日", "個体ID"]);
      expect(table?.rows, name).toHaveLength(10);
      expect(table?.rows[9], name).toEqual({ 保護日: "2024/04/01", 個体ID: "N-9" });
    }
    writeFileSync(path.join(dir, "b.bin"), Buffer.from([0, 1, 2, 3]));
    await expect(sampleFile(path.join(dir, "b.bin"))).rejects.toThrow(/not a CSV/);
  });
});
