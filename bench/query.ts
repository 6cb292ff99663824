import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadConfig } from "../src/config/config.js";
import { DuckDb, literal } from "../src/duckdb/duckdb.js";
import { LocalLake } from "../src/lake/local-lake.js";
import { listParquet } from "../src/lake/parquet-writer.js";
import { DataDir } from "../src/local/data-dir.js";
import { DuckDbQueryEngine } from "../src/sql/duckdb-engine.js";
import { openWarehouse } from "../src/warehouse/index.js";

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

async function timed(fn: () => Promise<unknown>, runs = 7): Promise<number> {
  await fn(); // warm
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return median(times);
}

/**
 * Query latency of a mart query (the warehouse's monthly KPIs of one municipality) against the same
 * aggregate computed from the raw curated Parquet, at `rows` synthetic intakes spread over 20
 * municipalities and 5 fiscal years, written straight into the lake's staging and committed to the catalog.
 */
export async function benchQuery(rows: number): Promise<Record<string, number>> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "catdata-bench-query-"));
  const home = path.join(dir, "home");
  const dataDir = new DataDir(home);
  const lake = new LocalLake(dataDir);
  const target = path.join(await lake.openStaging("bench"), "intakes");
  mkdirSync(target, { recursive: true });
  const db = await DuckDb.open(":memory:");
  let t0 = performance.now();
  await db.run(
    `COPY (
      SELECT printf('%06d', 100000 + (i % 20)) AS municipality,
             2019 + (i % 5)::INTEGER AS fiscal_year,
             'A' || i AS animal_id,
             TIMESTAMP '2019-04-01' + INTERVAL (i % 1826) DAY + INTERVAL (i % 86400) SECOND AS intake_at,
             (['stray','owner_surrender','seized','born_in_care','return','transfer_in','other'])[1 + (i % 7)::INTEGER] AS intake_type,
             'x' AS intake_type_original, 'normal' AS condition, (i % 3000)::INTEGER AS age_days,
             CASE WHEN i % 3000 < 150 THEN 'kitten' ELSE 'adult' END AS age_class,
             CASE WHEN i % 2 = 0 THEN 'male' ELSE 'female' END AS sex, i % 4 = 0 AS altered,
             NULL::VARCHAR AS found_location, 'bench' AS source_job, i::INTEGER AS source_row
      FROM range(${rows}) t(i)
    ) TO ${literal(target)} (FORMAT parquet, PARTITION_BY (municipality, fiscal_year), FILENAME_PATTERN 'part-bench-{i}')`,
  );
  const writeSeconds = (performance.now() - t0) / 1000;
  db.close();
  const staged = (await listParquet(target)).map((file) => path.relative(target, file));
  await lake.commitJob("bench", { intakes: staged });
  const config = loadConfig({
    CATDATA_HOME: home,
    CATDATA_KEY_FILE: path.join(dir, "key"),
    CATDATA_LOG_LEVEL: "silent",
  });
  const warehouse = openWarehouse(config, dataDir);
  t0 = performance.now();
  await warehouse.rebuild(lake);
  const rebuildSeconds = (performance.now() - t0) / 1000;
  const engine = await DuckDbQueryEngine.open(lake);
  const martMs = await timed(() => warehouse.kpis({ period: "month", municipality: "100007" }));
  const rawMs = await timed(() =>
    engine.query(
      "SELECT strftime(intake_at, '%Y-%m') AS month, count(*) AS intakes, count(*) FILTER (WHERE age_class = 'kitten') AS kittens FROM intakes WHERE municipality = $1 GROUP BY 1 ORDER BY 1",
      { params: ["100007"], maxRows: 100_000 },
    ),
  );
  await engine.close();
  await warehouse.close();
  rmSync(dir, { recursive: true, force: true });
  return {
    rows,
    writeSeconds,
    rebuildSeconds,
    martQueryMs: martMs,
    rawAggregateMs: rawMs,
    ratioRawToMart: rawMs / martMs,
  };
}
