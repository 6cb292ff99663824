/**
 * Pins the pure SQL builders: every mart rendered for every dialect (snapshots under
 * __snapshots__/<dialect>/<mart>.sql, so a reviewer reads the SQL each engine gets), the portable
 * core (no FILTER, no GROUP BY ALL), each engine's median and day difference, and the load/read
 * builders binding every value as a parameter and quoting every identifier.
 */
import { describe, expect, it } from "vitest";
import type { SqlDialect } from "../sql/dialect/dialect.js";
import { duckdbDialect } from "../sql/dialect/dialect-duckdb.js";
import { postgresDialect } from "../sql/dialect/dialect-postgres.js";
import { redshiftDialect } from "../sql/dialect/dialect-redshift.js";
import { buildCreateTableSql, buildInsertBatches, buildSwapSql } from "./build-load-sql.js";
import { buildMartReadSql } from "./build-read-sql.js";
import { getMart, MARTS } from "./marts.js";
import { sourceTables } from "./sql-parts.js";

const DIALECTS: SqlDialect[] = [duckdbDialect, postgresDialect, redshiftDialect];

describe.each(DIALECTS)("marts in $name", (d) => {
  it.each(MARTS.map((m) => [m.name, m] as const))("renders %s", async (name, mart) => {
    const sql = mart.select(d, sourceTables(d, d.name === "duckdb" ? undefined : "lake"));
    await expect(`${sql}\n`).toMatchFileSnapshot(`./__snapshots__/${d.name}/${name}.sql`);
    expect(sql).not.toMatch(/FILTER\s*\(|GROUP BY ALL/i);
  });
});

describe("dialect differences", () => {
  const kpi = (d: SqlDialect) => getMart("mart_kpi_month").select(d, sourceTables(d));
  it("uses each engine's own median and day difference", () => {
    expect(kpi(duckdbDialect)).toContain("median(stay_days)");
    expect(kpi(duckdbDialect)).toContain(
      `date_diff('day', CAST(MAX(i."intake_at") AS DATE), CAST(o."outcome_at" AS DATE))`,
    );
    expect(kpi(postgresDialect)).toContain("percentile_cont(0.5) WITHIN GROUP (ORDER BY stay_days)");
    expect(kpi(postgresDialect)).toContain('(CAST(o."outcome_at" AS DATE) - CAST(MAX(i."intake_at") AS DATE))');
    expect(kpi(redshiftDialect)).toContain("MEDIAN(stay_days)");
    expect(kpi(redshiftDialect)).toContain(
      'DATEDIFF(day, CAST(MAX(i."intake_at") AS DATE), CAST(o."outcome_at" AS DATE))',
    );
  });

  it("maps mart column types per engine", () => {
    const mart = getMart("mart_complaints_by_category");
    expect(buildCreateTableSql(duckdbDialect, mart, "t")).toContain('"category" VARCHAR');
    expect(buildCreateTableSql(postgresDialect, mart, "t", "catdata")).toMatch(
      /^CREATE TABLE "catdata"\."t" .*"category" TEXT/,
    );
    expect(buildCreateTableSql(redshiftDialect, mart, "t")).toContain('"category" VARCHAR(1024)');
  });
});

describe("load and read builders", () => {
  const rows = [
    { municipality: "x'); DROP TABLE t; --", n: 1 },
    { municipality: "b", n: null },
    { municipality: "c", n: 3 },
  ];

  it("binds every value and splits batches by the parameter budget", () => {
    const batches = buildInsertBatches(postgresDialect, ["municipality", "n"], rows, 'we"ird', "catdata", 4);
    expect(batches.map((b) => b.sql)).toEqual([
      'INSERT INTO "catdata"."we""ird" ("municipality", "n") VALUES ($1, $2), ($3, $4)',
      'INSERT INTO "catdata"."we""ird" ("municipality", "n") VALUES ($1, $2)',
    ]);
    expect(batches.map((b) => b.params)).toEqual([
      ["x'); DROP TABLE t; --", 1, "b", null],
      ["c", 3],
    ]);
    expect(buildInsertBatches(postgresDialect, ["n"], [], "t")).toEqual([]);
  });

  it("swaps the new table in by drop and rename", () => {
    expect(buildSwapSql(postgresDialect, "mart_x", "catdata")).toEqual([
      'DROP TABLE IF EXISTS "catdata"."mart_x"',
      'ALTER TABLE "catdata"."mart_x__new" RENAME TO "mart_x"',
    ]);
  });

  it("filters the getters with parameters only", () => {
    const filter = { municipality: "x' OR 1=1 --", fiscalYear: 2023, periodType: "month" as const };
    const read = buildMartReadSql(postgresDialect, "mart_outcomes_by_type", filter, "catdata");
    expect(read.sql).toMatch(/WHERE "municipality" = \$1 AND "fiscal_year" = \$2 AND "period_type" = \$3 ORDER BY/);
    expect(read.sql).not.toContain("OR 1=1");
    expect(read.params).toEqual(["x' OR 1=1 --", 2023, "month"]);
  });
});
