import { mkdirSync } from "node:fs";
import path from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { LakeCatalog } from "../catalog/lake-catalog.js";
import { lakePaths } from "../lake/layout.js";
import { literal } from "./duckdb.js";

/**
 * Test helper: a tiny curated lake under `<home>/lake` written by a separate DuckDB, with the Hive
 * layout the engine reads (3 intakes in municipality 131041, FY 2024, one note holding a formula),
 * plus a Parquet file in the trail folder that SQL users must never be able to read. The intakes file
 * is listed in the catalog, as a job's commit would list it.
 */
export async function writeTestLake(home: string): Promise<{ trailFile: string }> {
  const paths = lakePaths(home);
  const partition = path.join(paths.dataset("intakes"), "municipality=131041", "fiscal_year=2024");
  mkdirSync(partition, { recursive: true });
  mkdirSync(paths.trail, { recursive: true });
  const trailFile = path.join(paths.trail, "secret.parquet");
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    await connection.run(
      `COPY (SELECT * FROM (VALUES ('A1', 'stray', 'ok'), ('A2', 'owner surrender', '=HYPERLINK("http://x")'), ('A3', 'stray', NULL)) AS t(animal_id, intake_type, note))
       TO ${literal(path.join(partition, "part-test.parquet"))} (FORMAT parquet)`,
    );
    await connection.run(`COPY (SELECT 'secret-trail-row' AS event) TO ${literal(trailFile)} (FORMAT parquet)`);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  // Committed the way a job commits: the catalog lists the file.
  await new LakeCatalog(home).commitJob("test", { intakes: [path.join(partition, "part-test.parquet")] });
  return { trailFile };
}
