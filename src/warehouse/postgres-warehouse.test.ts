/**
 * Pins the Postgres warehouse against a real PostgreSQL on 127.0.0.1 (a throwaway cluster,
 * src/testing/postgres.ts): every mart equals the DuckDB warehouse's row for row; the Postgres
 * dialect's SQL, run inside Postgres over a copy of the lake, gives the same marts again; a second
 * rebuild replaces and never duplicates; a municipality code that looks like SQL injection is
 * stored and found as data; queries are read-only; the password never reaches the logs.
 */
import { Writable } from "node:stream";
import pg from "pg";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SCHEMAS } from "../cats/schema.js";
import { ParquetDatasetWriter } from "../lake/parquet-writer.js";
import { postgresDialect as d } from "../sql/dialect/dialect-postgres.js";
import { type DemoLake, loadDemoLake } from "../testing/demo-lake.js";
import { hasPostgres, postgresSkipReason, startPostgres, type TestPostgres } from "../testing/postgres.js";
import { buildInsertBatches } from "./build-load-sql.js";
import { DuckDbWarehouse } from "./duckdb-warehouse.js";
import { MARTS } from "./marts.js";
import { PostgresWarehouse } from "./postgres-warehouse.js";
import { SOURCE_DATASETS, sourceTables } from "./sql-parts.js";

const EVIL = "x'); DROP TABLE catdata.mart_kpi_month; --";
const PG_TYPES: Record<string, string> = { VARCHAR: "TEXT", DOUBLE: "DOUBLE PRECISION" };

let server: TestPostgres;
let lake: DemoLake;
let duck: DuckDbWarehouse;
let warehouse: PostgresWarehouse;
let logs = "";

const ordered = (name: string, schema?: string) => {
  const mart = MARTS.find((m) => m.name === name)!;
  return `SELECT ${mart.columns.map((c) => d.ident(c.name)).join(", ")} FROM ${d.table(name, schema)} ORDER BY ${mart.key.map(d.ident).join(", ")}`;
};

describe.skipIf(!hasPostgres)(
  `Postgres warehouse${postgresSkipReason ? ` (skipped: ${postgresSkipReason})` : ""}`,
  () => {
    beforeAll(async () => {
      [server, lake] = await Promise.all([startPostgres(), loadDemoLake(["131041", "231002"])]);
      const writer = await ParquetDatasetWriter.open(await lake.lake.openStaging("evil"), "intakes", "evil");
      await writer.append({
        municipality: EVIL,
        fiscalYear: 2023,
        sourceJob: "evil",
        sourceRow: 1,
        animalId: "e1",
        intakeAt: "2023-05-01T10:00:00",
        intakeType: "stray",
        intakeTypeOriginal: "x",
        condition: null,
        ageDays: null,
        ageClass: "adult",
        sex: "male",
        altered: null,
        foundLocation: null,
      });
      await lake.lake.commitJob("evil", { intakes: await writer.finish() });
      const logger = pino(
        { level: "info" },
        new Writable({
          write: (chunk, _enc, done) => {
            logs += chunk.toString();
            done();
          },
        }),
      );
      warehouse = new PostgresWarehouse({ url: server.url, logger });
      duck = new DuckDbWarehouse({ dir: lake.dataDir.warehouse });
      await duck.rebuild(lake.lake);
    });
    afterAll(async () => {
      await Promise.all([warehouse?.close(), duck?.close(), lake?.runtime.close()]);
      await server?.stop();
    });

    it("returns no rows before the first rebuild and refuses raw queries", async () => {
      expect(await warehouse.kpis({ period: "fiscal_year" })).toEqual([]);
      await expect(warehouse.query("SELECT * FROM catdata.mart_kpi_month")).rejects.toMatchObject({
        code: "UNAVAILABLE",
      });
    });

    it("loads every mart row for row as the DuckDB warehouse has it, and again without duplicates", async () => {
      for (let round = 0; round < 2; round++) {
        const summary = await warehouse.rebuild(lake.lake);
        for (const mart of MARTS) {
          const expected = await duck.query(ordered(mart.name));
          expect(expected.length, mart.name).toBe(summary.marts[mart.name]);
          expect(await warehouse.query(ordered(mart.name, "catdata")), mart.name).toEqual(expected);
        }
      }
      const tables = await warehouse.query(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1",
        ["catdata"],
      );
      expect(tables.map((t) => t.table_name)).toEqual([...MARTS.map((m) => m.name), "rebuild_lock"].sort());
    });

    it("computes the same marts inside Postgres with the Postgres dialect", async () => {
      const client = new pg.Client({ connectionString: server.url });
      await client.connect();
      try {
        await client.query("CREATE SCHEMA lake");
        for (const dataset of SOURCE_DATASETS) {
          const cols = SCHEMAS[dataset];
          await client.query(
            `CREATE TABLE lake.${dataset} (${cols.map((c) => `${d.ident(c.column)} ${PG_TYPES[c.type] ?? c.type}`).join(", ")})`,
          );
          // A dataset the lake does not hold (no aggregates here) is an empty table, as the rebuild reads it.
          const present = (await lake.runtime.query.tables()).includes(dataset);
          const rows = present
            ? await lake.runtime.query.query(`SELECT * FROM ${dataset}`, { maxRows: 100_000 })
            : { rows: [] };
          const names = cols.map((c) => c.column);
          for (const b of buildInsertBatches(d, names, rows.rows, dataset, "lake")) await client.query(b.sql, b.params);
        }
        for (const mart of MARTS) {
          const inPostgres = await client.query(
            `SELECT * FROM (${mart.select(d, sourceTables(d, "lake"))}) AS q ORDER BY ${mart.key.map(d.ident).join(", ")}`,
          );
          expect(inPostgres.rows, mart.name).toEqual(await duck.query(ordered(mart.name)));
        }
      } finally {
        await client.end();
      }
    });

    it("keeps an injection-looking municipality code as data", async () => {
      const rows = await warehouse.kpis({ period: "fiscal_year", municipality: EVIL });
      expect(rows).toEqual([expect.objectContaining({ municipality: EVIL, fiscalYear: 2023, intakes: 1 })]);
      expect((await warehouse.kpis({ period: "month" })).length).toBeGreaterThan(20);
    });

    it("runs queries read-only and never logs the password", async () => {
      await expect(warehouse.query("DELETE FROM catdata.mart_kpi_month")).rejects.toThrow(/read-only/);
      expect((await warehouse.kpis({ period: "month" })).length).toBeGreaterThan(20);
      expect(logs).toContain("warehouse rebuilt");
      expect(logs).toContain("catdata:***@127.0.0.1");
      expect(logs).not.toContain(server.password);
      expect(logs).not.toContain(encodeURIComponent(server.password));
    });
  },
);
