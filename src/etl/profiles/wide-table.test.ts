/**
 * Pins aggregated (wide) tables end to end: a Shift_JIS yearly table (title row, unit note, 年度 ×
 * 引取り/返還/譲渡/殺処分, 平成30年度…令和5年度, a 合計 row) and the periods-as-columns workbook load
 * every figure through ingestFile with ONE mapping; each metric × fiscal year equals the generated
 * value (counted here from the generated rows, never from the code), blank cells load nothing, a dash
 * is zero only when the mapping says so, a non-numeric cell quarantines its row naming row and
 * column, the 合計 row is not loaded. Then the marts (DuckDB, and Postgres when its binaries are
 * here): a municipality with only the yearly table shows its figures in mart_kpi_fiscal_year with
 * basis 'aggregates' and nothing in mart_kpi_month; where records exist they win (the records'
 * count, not the sum), and the basis says so.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ParquetDatasetWriter } from "../../lake/parquet-writer.js";
import { silentLogger } from "../../log/logger.js";
import { openRuntime, type Runtime } from "../../runtime.js";
import { tempConfig, tempDir } from "../../testing/fixtures.js";
import { hasPostgres, postgresSkipReason, startPostgres } from "../../testing/postgres.js";
import {
  YEARLY_MEASURES,
  type YearFigures,
  yearlyColumnsMapping,
  yearlyColumnsXlsx,
  yearlyCsv,
  yearlyFigures,
  yearlyRowsMapping,
} from "../../testing/yearly-table.js";
import { DuckDbWarehouse } from "../../warehouse/duckdb-warehouse.js";
import { PostgresWarehouse } from "../../warehouse/postgres-warehouse.js";
import type { KpiRow } from "../../warehouse/warehouse.js";
import { ingestFile } from "../ingest.js";
import { parseDeclarative } from "./declarative-spec.js";
import { DASHES, readFigure } from "./wide-table.js";

const ONLY_TABLE = "131041"; // the yearly CSV only
const BOTH = "231002"; // the workbook, plus record-level intakes (and outcomes) in some years

let runtime: Runtime;
beforeAll(async () => {
  runtime = await openRuntime(tempConfig(), silentLogger, { rebuildMartsAfterLoad: false });
});
afterAll(async () => runtime.close());

const metricOf = Object.fromEntries(YEARLY_MEASURES) as Record<string, string>;

/** metric|fiscalYear → value, counted from the generated figures (dash → 0 only when asked). */
function expectedFigures(years: YearFigures[], headers: readonly string[], dashIsZero: boolean): Map<string, number> {
  const out = new Map<string, number>();
  for (const y of years)
    for (const h of headers) {
      const v = y.cells[h];
      if (typeof v === "number") out.set(`${metricOf[h]}|${y.fiscalYear}`, v);
      else if (v === "-" && dashIsZero) out.set(`${metricOf[h]}|${y.fiscalYear}`, 0);
    }
  return out;
}

async function loaded(jobId: string): Promise<Map<string, number>> {
  const r = await runtime.query.query(
    `SELECT metric, fiscal_year::INT AS fy, value FROM aggregates WHERE source_job = '${jobId}' ORDER BY 1, 2`,
  );
  return new Map(r.rows.map((row) => [`${row.metric}|${row.fy}`, Number(row.value)]));
}

function writeMapping(name: string, mapping: object): string {
  const file = path.join(tempDir(), `${name}.json`);
  writeFileSync(file, JSON.stringify(mapping));
  return file;
}

const sorted = (m: Map<string, number>) => Object.fromEntries([...m].sort(([a], [b]) => a.localeCompare(b)));
const ALL_HEADERS = YEARLY_MEASURES.map(([h]) => h);

describe("a Shift_JIS yearly table, periods as rows", () => {
  const years = yearlyFigures(7, { blank: [[1, "返還"]], dash: [[2, "殺処分"]] });

  it("loads every measure of every year; blank and dash cells load nothing; 合計 is not loaded", async () => {
    const file = path.join(tempDir(), "hikitori.csv");
    writeFileSync(file, yearlyCsv(years));
    const mapping = writeMapping("rows", yearlyRowsMapping(ONLY_TABLE));
    const job = await ingestFile(runtime, file, { mapping, municipality: ONLY_TABLE });
    expect(job.status, job.error ?? undefined).toBe("succeeded");
    expect(job.counts).toMatchObject({ read: years.length, quarantined: 0 });
    const expected = expectedFigures(years, ALL_HEADERS, false);
    expect(expected.size).toBe(years.length * ALL_HEADERS.length - 2);
    expect(sorted(await loaded(job.jobId))).toEqual(sorted(expected));
    // Every fiscal year is one of the six (合計 has none); no value equals a column's total.
    const fys = await runtime.query.query(
      `SELECT DISTINCT fiscal_year::INT AS fy, species, region FROM aggregates WHERE source_job = '${job.jobId}' ORDER BY 1`,
    );
    expect(fys.rows.map((r) => r.fy)).toEqual(years.map((y) => y.fiscalYear));
    expect(new Set(fys.rows.map((r) => `${r.species}/${r.region}`))).toEqual(new Set([`cat/${ONLY_TABLE}`]));
  });

  it("reads a dash as zero when the mapping says dashIsZero", async () => {
    const withDash = yearlyFigures(11, {
      dash: [
        [0, "返還"],
        [5, "殺処分"],
      ],
    });
    const file = path.join(tempDir(), "hikitori-dash.csv");
    writeFileSync(file, yearlyCsv(withDash));
    const mapping = writeMapping("rows-dash", yearlyRowsMapping("012025", { name: "yearly-dash", dashIsZero: true }));
    const job = await ingestFile(runtime, file, { mapping, municipality: "012025" });
    const got = await loaded(job.jobId);
    expect(sorted(got)).toEqual(sorted(expectedFigures(withDash, ALL_HEADERS, true)));
    expect(got.get("returns_to_owner|2018")).toBe(0);
  });

  it("quarantines a row with a non-numeric cell, the reason naming row and column", async () => {
    const file = path.join(tempDir(), "hikitori-bad.csv");
    const text = yearlyCsv(yearlyFigures(13));
    const iconv = (await import("iconv-lite")).default;
    const lines = iconv.decode(text, "cp932").split("\r\n");
    // Row 3 of the data (令和2年度): 譲渡 written as 約100.
    const cells = lines[5]!.split(",");
    cells[3] = "約100";
    lines[5] = cells.join(",");
    writeFileSync(file, iconv.encode(lines.join("\r\n"), "cp932"));
    const mapping = writeMapping("rows-bad", yearlyRowsMapping("011002", { name: "yearly-bad" }));
    const job = await ingestFile(runtime, file, { mapping, municipality: "011002" });
    expect(job.counts).toMatchObject({ read: 6, quarantined: 1 });
    const [q] = await runtime.jobs.readQuarantine(job.jobId);
    expect(q?.reason).toMatch(/row \d+, column "譲渡": "約100" is not a whole number/);
    const fys = new Set([...(await loaded(job.jobId)).keys()].map((k) => k.split("|")[1]));
    expect(fys.has("2020")).toBe(false);
    expect(fys.size).toBe(5);
  });
});

describe("the mapping is checked", () => {
  const base = yearlyRowsMapping(ONLY_TABLE);
  it("refuses a metric outside the vocabulary", () => {
    expect(() => parseDeclarative({ ...base, measures: [{ column: "引取り", metric: "cats_taken" }] })).toThrow(
      /measures\.0\.metric/,
    );
  });
  it("refuses a wide table that does not state its species", () => {
    expect(() => parseDeclarative({ ...base, constants: {} })).toThrow(/must state its species/);
  });
  it("refuses periods as rows without the 年度 column", () => {
    expect(() => parseDeclarative({ ...base, columns: {} })).toThrow(/columns\.fiscalYear/);
  });
  it("reads figures at the limits: 0, thousands separators, full-width digits; refuses -1 and 1.5", () => {
    expect(readFigure("0", false, 1, "c")).toBe(0);
    expect(readFigure("1,336", false, 1, "c")).toBe(1336);
    expect(readFigure("１２", false, 1, "c")).toBe(12);
    expect(readFigure("", true, 1, "c")).toBeNull();
    for (const dash of DASHES) {
      expect(readFigure(dash, false, 1, "c")).toBeNull();
      expect(readFigure(dash, true, 1, "c")).toBe(0);
    }
    expect(() => readFigure("-1", false, 4, "返還")).toThrow(/row 4, column "返還"/);
    expect(() => readFigure("1.5", false, 4, "返還")).toThrow(/not a whole number/);
  });
});

describe("periods as columns (.xlsx) and the marts", () => {
  const years = yearlyFigures(5).slice(3); // 2021年度, 令和4年度, 令和5年度
  const measures = ["引取り", "返還", "譲渡"];
  let columnsJob = "";
  const recordIntakes: Record<number, number> = { 2022: 3, 2023: 2 }; // record-level intakes of BOTH
  const recordOutcomes: Record<number, number> = { 2023: 4 }; // adoptions, so 2023 has records for both

  beforeAll(async () => {
    const file = path.join(tempDir(), "hikitori-columns.xlsx");
    writeFileSync(file, await yearlyColumnsXlsx(years, measures));
    const mapping = writeMapping("columns", yearlyColumnsMapping(BOTH));
    const job = await ingestFile(runtime, file, { mapping, municipality: BOTH });
    expect(job.status, job.error ?? undefined).toBe("succeeded");
    columnsJob = job.jobId;
    const lake = runtime.lake;
    const jobId = "records-both";
    const intakes = await ParquetDatasetWriter.open(await lake.openStaging(jobId), "intakes", jobId);
    const outcomes = await ParquetDatasetWriter.open(await lake.openStaging(jobId), "outcomes", jobId);
    let row = 0;
    for (const [fy, n] of Object.entries(recordIntakes))
      for (let i = 0; i < n; i++)
        await intakes.append({
          municipality: BOTH,
          fiscalYear: Number(fy),
          sourceJob: jobId,
          sourceRow: ++row,
          animalId: `a${row}`,
          intakeAt: `${fy}-06-01T10:00:00`,
          intakeType: "stray",
          intakeTypeOriginal: "stray",
          condition: null,
          ageDays: null,
          ageClass: "adult",
          sex: "male",
          altered: null,
          foundLocation: null,
        });
    for (const [fy, n] of Object.entries(recordOutcomes))
      for (let i = 0; i < n; i++)
        await outcomes.append({
          municipality: BOTH,
          fiscalYear: Number(fy),
          sourceJob: jobId,
          sourceRow: ++row,
          animalId: `a${row}`,
          outcomeAt: `${fy}-07-01T10:00:00`,
          outcomeType: "adoption",
          outcomeTypeOriginal: "adoption",
          outcomeSubtypeOriginal: null,
          daysInShelter: 10,
          stayId: null,
          jurisdiction: null,
          area: null,
        });
    await lake.commitJob(jobId, { intakes: await intakes.finish(), outcomes: await outcomes.finish() });
  });

  it("loads every row label × fiscal-year column; the 合計 row is not loaded", async () => {
    expect(sorted(await loaded(columnsJob))).toEqual(sorted(expectedFigures(years, measures, false)));
  });

  /** The fiscal-year rows the marts must show, worked out here from the generated figures and records. */
  function expectedMart(): Map<string, Partial<KpiRow>> {
    const out = new Map<string, Partial<KpiRow>>();
    const table = yearlyFigures(7, { blank: [[1, "返還"]], dash: [[2, "殺処分"]] });
    const n = (v: number | null | "-" | undefined) => (typeof v === "number" ? v : 0);
    for (const y of table)
      out.set(`${ONLY_TABLE}/${y.fiscalYear}`, {
        intakes: n(y.cells["引取り"]),
        returnsToOwner: n(y.cells["返還"]),
        adoptions: n(y.cells["譲渡"]),
        euthanasia: n(y.cells["殺処分"]),
        outcomes: n(y.cells["返還"]) + n(y.cells["譲渡"]) + n(y.cells["殺処分"]),
        basis: "aggregates",
        basisAggregates: "intakes outcomes",
      });
    for (const y of years) {
      const intakes = recordIntakes[y.fiscalYear];
      const adoptions = recordOutcomes[y.fiscalYear];
      out.set(`${BOTH}/${y.fiscalYear}`, {
        intakes: intakes ?? n(y.cells["引取り"]),
        adoptions: adoptions ?? n(y.cells["譲渡"]),
        returnsToOwner: adoptions === undefined ? n(y.cells["返還"]) : 0,
        basis: intakes === undefined ? "aggregates" : adoptions === undefined ? "mixed" : "both→records",
        basisAggregates: [intakes === undefined ? "intakes" : "", adoptions === undefined ? "outcomes" : ""]
          .filter(Boolean)
          .join(" "),
      });
    }
    return out;
  }

  function checkFiscalYears(rows: KpiRow[]) {
    const expected = expectedMart();
    const got = new Map(rows.map((r) => [`${r.municipality}/${r.fiscalYear}`, r]));
    for (const [key, want] of expected) expect({ key, ...got.get(key) }).toMatchObject({ key, ...want });
  }

  it("DuckDB: aggregates fill mart_kpi_fiscal_year with their basis; records win; never in months", async () => {
    const duck = new DuckDbWarehouse({ dir: path.join(tempDir(), "wh") });
    try {
      await duck.rebuild(runtime.lake);
      checkFiscalYears(await duck.kpis({ period: "fiscal_year" }));
      const months = await duck.kpis({ period: "month" });
      expect(months.filter((r) => r.municipality === ONLY_TABLE)).toEqual([]);
      // BOTH's months hold the records only: 3 + 2 intakes, 4 adoptions.
      const sum = (k: "intakes" | "adoptions") =>
        months.filter((r) => r.municipality === BOTH).reduce((s, r) => s + r[k], 0);
      expect(sum("intakes")).toBe(5);
      expect(sum("adoptions")).toBe(4);
    } finally {
      await duck.close();
    }
  });

  describe.skipIf(!hasPostgres)(`Postgres${postgresSkipReason ? ` (skipped: ${postgresSkipReason})` : ""}`, () => {
    it("the same figures and basis in PostgreSQL, row for row as DuckDB", async () => {
      const server = await startPostgres("catdata_wide");
      const pgw = new PostgresWarehouse({ url: server.url });
      const duck = new DuckDbWarehouse({ dir: path.join(tempDir(), "wh2") });
      try {
        await pgw.rebuild(runtime.lake);
        await duck.rebuild(runtime.lake);
        const rows = await pgw.kpis({ period: "fiscal_year" });
        checkFiscalYears(rows);
        expect(rows).toEqual(await duck.kpis({ period: "fiscal_year" }));
      } finally {
        await Promise.all([pgw.close(), duck.close()]);
        await server.stop();
      }
    }, 120_000);
  });
});
