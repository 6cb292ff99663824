/**
 * Pins sampleFile (what `catdata suggest-mapping` reads): headers and at most `limit` rows of a plain
 * CSV and of the same CSV gzipped; a binary file is refused. scanFile reads every row: label counts
 * over the whole file, the same among the cat rows (Kitten included), shapes from the first rows.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { tempDir } from "../testing/fixtures.js";
import { SHAPE_SAMPLE_ROWS, sampleFile, scanFile } from "./sample-file.js";

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

describe("scanFile", () => {
  it("counts every label of every row, and the same among the cat rows", async () => {
    const dir = tempDir();
    const n = SHAPE_SAMPLE_ROWS * 2 + 7;
    const species = (i: number) => ["Cat", "Kitten", "Dog"][i % 3] ?? "Cat";
    const outcome = (i: number) => (i >= SHAPE_SAMPLE_ROWS + 3 && i % 5 === 0 ? "Late Label" : "Adoption");
    const lines = Array.from({ length: n }, (_, i) => `A${i},${species(i)},${outcome(i)}`);
    writeFileSync(
      path.join(dir, "o.csv.gz"),
      gzipSync(Buffer.from(`Animal ID,Animal Type,Outcome Type\n${lines.join("\n")}\n`)),
    );
    const [t] = await scanFile(path.join(dir, "o.csv.gz"));
    const indices = Array.from({ length: n }, (_, i) => i);
    const late = indices.filter((i) => outcome(i) === "Late Label");
    expect(t?.rowCount).toBe(n);
    expect(t?.rows).toHaveLength(SHAPE_SAMPLE_ROWS);
    expect(t?.speciesColumn).toBe("Animal Type");
    expect(t?.labels["Outcome Type"]?.count("Late Label")).toBe(late.length);
    expect(t?.catLabels?.["Outcome Type"]?.count("Late Label")).toBe(late.filter((i) => species(i) !== "Dog").length);
    expect(t?.labels["Animal ID"]?.freeText).toBe(true);
  });
});
