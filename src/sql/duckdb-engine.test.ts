/**
 * Pins the DuckDB engine's own lock-down (behind the read-only check, so tested without it):
 * - the lake's views read their Parquet after external access is disabled and locked
 * - files outside the dataset folders (/etc/passwd, the trail lake, a `..` escape) cannot be read,
 *   not even through a replacement scan (`FROM '/etc/passwd'`)
 * - a COPY or SET smuggled as a second statement through the `SELECT * FROM (…)` wrapper is
 *   refused, and external access stays disabled
 * - a query past its timeout is interrupted with a clear error and the engine keeps working
 * - the row limit cuts the result and says so; columns come back even for zero rows
 */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DataDir } from "../local/data-dir.js";
import { tempDir } from "../testing/fixtures.js";
import { writeTestLake } from "../testing/test-lake.js";
import { DuckDbQueryEngine } from "./duckdb-engine.js";

let engine: DuckDbQueryEngine;
let dataDir: DataDir;
let trailFile: string;

beforeAll(async () => {
  dataDir = new DataDir(tempDir("catdata-engine-"));
  const written = await writeTestLake(dataDir);
  trailFile = written.trailFile;
  engine = await DuckDbQueryEngine.open(written.lake);
});
afterAll(() => engine.close());

describe("DuckDbQueryEngine", () => {
  it("reads the lake through its views after the lock-down", async () => {
    expect(await engine.tables()).toEqual(["intakes"]);
    const r = await engine.query("SELECT animal_id, municipality, fiscal_year FROM intakes ORDER BY 1", {
      maxRows: 2,
    });
    expect(r.rows).toEqual([
      { animal_id: "A1", municipality: "131041", fiscal_year: 2024 },
      { animal_id: "A2", municipality: "131041", fiscal_year: 2024 },
    ]);
    expect(r.truncated).toBe(true);
    const empty = await engine.query("SELECT animal_id FROM intakes WHERE false");
    expect(empty).toMatchObject({ columns: ["animal_id"], rows: [], truncated: false });
  });

  it("cannot read files outside the dataset folders", async () => {
    const dotDot = path.join(dataDir.lake.dataset("intakes"), "..", "trail", "secret.parquet");
    for (const sql of [
      "SELECT * FROM read_csv('/etc/passwd')",
      `SELECT * FROM read_parquet('${trailFile}')`,
      `SELECT * FROM read_parquet('${dotDot}')`,
      "SELECT * FROM glob('/etc/*')",
    ]) {
      await expect(engine.query(sql), sql).rejects.toThrow(/Permission Error: Cannot access file/);
    }
    await expect(engine.query("SELECT * FROM '/etc/passwd'")).rejects.toThrow(/Catalog Error/);
  });

  it("refuses a second statement smuggled through the wrapper", async () => {
    const smuggled = "SELECT 1) AS q; COPY (SELECT 1) TO '/tmp/catdata-evil.csv'; SELECT * FROM (SELECT 1";
    await expect(engine.query(smuggled)).rejects.toThrow(/only one SELECT statement/);
    await expect(engine.query("SELECT 1) AS q; SET lock_configuration = false; SELECT (1")).rejects.toThrow(
      /only one SELECT statement/,
    );
    await expect(engine.query("SELECT current_setting('enable_external_access') AS v")).resolves.toMatchObject({
      rows: [{ v: false }],
    });
  });

  it("interrupts a query at its timeout and keeps working", async () => {
    const started = Date.now();
    await expect(engine.query("SELECT count(*) FROM range(100000000000) a", { timeoutMs: 300 })).rejects.toThrow(
      /stopped after 0.3 s \(its timeout\)/,
    );
    expect(Date.now() - started).toBeLessThan(5_000);
    expect((await engine.query("SELECT 42 AS x")).rows).toEqual([{ x: 42 }]);
  });
});
