/**
 * Pins the marts file's integrity at rest (marts-pointer.ts, marts-file-reader.ts):
 * - a rebuild publishes its file 0600 in a 0700 folder and records its SHA-256 and size in the pointer
 * - a marts file with a flipped byte is never read: queries fail with INTEGRITY naming the file and
 *   saying to rebuild; a rebuild serves correct figures again
 * - a pointer written before digests were recorded (one line) is still read
 */
import { readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import { LocalLake } from "../lake/local-lake.js";
import { ParquetDatasetWriter } from "../lake/parquet-writer.js";
import { DataDir } from "../local/data-dir.js";
import { digestFile } from "../local/file-digest.js";
import { tempDir } from "../testing/fixtures.js";
import { flipMiddleByteOfFile } from "../testing/flip-byte.js";
import { DuckDbWarehouse } from "./duckdb-warehouse.js";
import { pointerFile, readPointerEntry } from "./marts-pointer.js";

let warehouse: DuckDbWarehouse | undefined;
afterEach(async () => warehouse?.close());

async function built() {
  const dataDir = new DataDir(tempDir("catdata-marts-"));
  const lake = new LocalLake(dataDir);
  const writer = await ParquetDatasetWriter.open(await lake.openStaging("j"), "intakes", "j");
  for (const animalId of ["A1", "A2", "A3"]) {
    await writer.append({
      municipality: "131041",
      fiscalYear: 2024,
      sourceJob: "j",
      sourceRow: 1,
      animalId,
      intakeAt: "2024-05-01T10:00:00",
      intakeType: "stray",
      intakeTypeOriginal: "stray",
      ageClass: "adult",
      sex: "female",
    });
  }
  await lake.commitJob("j", { intakes: await writer.finish() });
  warehouse = new DuckDbWarehouse({ dir: dataDir.warehouse });
  await warehouse.rebuild(lake);
  return { dataDir, lake, warehouse, file: (await warehouse.currentFile())! };
}

describe("marts file integrity", () => {
  it("publishes the marts file 0600 in a 0700 folder with its digest in the pointer", async () => {
    const { dataDir, file } = await built();
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(dataDir.warehouse).mode & 0o777).toBe(0o700);
    expect(statSync(pointerFile(dataDir.warehouse)).mode & 0o777).toBe(0o600);
    expect((await readPointerEntry(dataDir.warehouse))?.digest).toEqual(await digestFile(file));
  });

  it("refuses to read a marts file with a flipped byte, and a rebuild heals it", async () => {
    const { lake, warehouse, file } = await built();
    const kpis = () => warehouse.kpis({ period: "fiscal_year" });
    const before = await kpis();
    expect(before.map((k) => [k.municipality, k.intakes])).toEqual([["131041", 3]]);
    await sleep(20); // a later write: file-system timestamps tick coarsely
    await flipMiddleByteOfFile(file);
    await expect(kpis()).rejects.toMatchObject({
      code: "INTEGRITY",
      message: expect.stringContaining(path.basename(file)),
      hint: expect.stringContaining("catdata marts rebuild"),
    });
    await warehouse.rebuild(lake);
    expect(await kpis()).toEqual(before);
  });

  it("still reads a pointer written before digests were recorded", async () => {
    const { dataDir, warehouse, file } = await built();
    writeFileSync(pointerFile(dataDir.warehouse), path.basename(file));
    expect(readFileSync(pointerFile(dataDir.warehouse), "utf8")).not.toContain("sha256");
    expect((await readPointerEntry(dataDir.warehouse))?.digest).toBeUndefined();
    expect((await warehouse.query("SELECT 1 AS one")).length).toBe(1);
  });
});
