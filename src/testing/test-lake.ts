import { mkdirSync } from "node:fs";
import path from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { literal } from "../duckdb/duckdb.js";
import type { Lake } from "../lake/lake.js";
import { LocalLake } from "../lake/local-lake.js";
import type { DataDir } from "../local/data-dir.js";

/**
 * Test helper: a tiny curated lake in `dataDir` written by a separate DuckDB, with the Hive layout
 * the engine reads (3 intakes in municipality 131041, FY 2024, one note holding a formula), plus a
 * Parquet file in the trail folder that SQL users must never be able to read. The intakes file is
 * staged and committed as a job commits it, so the catalog lists it.
 */
export async function writeTestLake(dataDir: DataDir): Promise<{ trailFile: string; lake: Lake }> {
  const lake = new LocalLake(dataDir);
  const staging = await lake.openStaging("test");
  const partition = "municipality=131041/fiscal_year=2024";
  mkdirSync(path.join(staging, "intakes", partition), { recursive: true });
  mkdirSync(dataDir.trail.root, { recursive: true });
  const trailFile = path.join(dataDir.trail.root, "secret.parquet");
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    await connection.run(
      `COPY (SELECT * FROM (VALUES ('A1', 'stray', 'ok'), ('A2', 'owner surrender', '=HYPERLINK("http://x")'), ('A3', 'stray', NULL)) AS t(animal_id, intake_type, note))
       TO ${literal(path.join(staging, "intakes", partition, "part-test.parquet"))} (FORMAT parquet)`,
    );
    await connection.run(`COPY (SELECT 'secret-trail-row' AS event) TO ${literal(trailFile)} (FORMAT parquet)`);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  await lake.commitJob("test", { intakes: [`${partition}/part-test.parquet`] });
  return { trailFile, lake };
}
