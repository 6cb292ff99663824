/**
 * Pins the DuckDB warehouse on demo data loaded through the real pipeline: mart figures equal the
 * same aggregates computed independently (SQL over the lake tables, and plain TypeScript over the
 * generated records): intakes per month, live-release and euthanasia rates, median stay (with stays
 * recovered from the matching intake), TNR and complaints; the long tables add up to the wide ones.
 * And the switch: a reader during a rebuild always sees the old marts or the new ones, never an
 * error; the previous file survives one rebuild; concurrent rebuilds queue; the current file can be
 * opened read-only by another process while this one reads it.
 */
import { execFile } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LIVE_OUTCOMES } from "../cats/model.js";
import type { DemoData } from "../demo/generate.js";
import { type DemoLake, loadDemoLake } from "../testing/demo-lake.js";
import { DuckDbWarehouse } from "./duckdb-warehouse.js";

let lake: DemoLake;
let warehouse: DuckDbWarehouse;
const dir = () => lake.dataDir.warehouse;

beforeAll(async () => {
  lake = await loadDemoLake(["131041", "231002"]);
  warehouse = new DuckDbWarehouse({ dir: dir() });
});
afterAll(async () => {
  await warehouse.close();
  await lake.runtime.close();
});

const days = (from: string, to: string) => (Date.parse(to.slice(0, 10)) - Date.parse(from.slice(0, 10))) / 86_400_000;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/** The fiscal-year KPIs computed from the generated records, without SQL. */
function expectedFiscalYears(data: DemoData) {
  const out = new Map<
    string,
    { outcomes: number; live: number; euth: number; stays: number[]; tnr: number; subsidy: number; complaints: number }
  >();
  const at = (m: string, fy: number) => {
    const key = `${m}/${fy}`;
    if (!out.has(key)) out.set(key, { outcomes: 0, live: 0, euth: 0, stays: [], tnr: 0, subsidy: 0, complaints: 0 });
    return out.get(key)!;
  };
  for (const o of data.outcomes) {
    const row = at(o.municipality, o.fiscalYear);
    row.outcomes += 1;
    if (LIVE_OUTCOMES.has(o.outcomeType)) row.live += 1;
    if (o.outcomeType === "euthanasia") row.euth += 1;
    const intake = data.intakes
      .filter((i) => i.animalId === o.animalId && i.intakeAt <= o.outcomeAt)
      .sort((a, b) => a.intakeAt.localeCompare(b.intakeAt))
      .at(-1);
    const stay = o.daysInShelter ?? (intake ? days(intake.intakeAt, o.outcomeAt) : null);
    if (stay !== null && stay >= 0) row.stays.push(stay);
  }
  for (const t of data.tnr)
    Object.assign(at(t.municipality, t.fiscalYear), {
      tnr: at(t.municipality, t.fiscalYear).tnr + t.count,
      subsidy: at(t.municipality, t.fiscalYear).subsidy + (t.subsidyAmount ?? 0),
    });
  for (const c of data.complaints) at(c.municipality, c.fiscalYear).complaints += 1;
  return out;
}

describe("DuckDB warehouse", () => {
  it("reports nothing before the first rebuild, then counts what it read and wrote", async () => {
    expect(await warehouse.kpis({ period: "month" })).toEqual([]);
    await expect(warehouse.query("SELECT 1")).rejects.toMatchObject({ code: "UNAVAILABLE" });
    const summary = await warehouse.rebuild(lake.lake);
    expect(summary.sources).toEqual({
      intakes: lake.data.intakes.length,
      outcomes: lake.data.outcomes.length,
      tnr: lake.data.tnr.length,
      complaints: lake.data.complaints.length,
      // This lake holds no aggregates dataset: the rebuild reads it as empty.
      aggregates: 0,
    });
    expect(summary.marts.mart_kpi_fiscal_year).toBeGreaterThanOrEqual(2);
    expect(summary.target).toBe(await warehouse.currentFile());
  });

  it("counts intakes per month as plain SQL over the lake does", async () => {
    const lakeCounts = await lake.runtime.query.query(
      "SELECT municipality, strftime(intake_at, '%Y-%m') AS month, count(*)::INT AS n FROM intakes GROUP BY ALL ORDER BY ALL",
      { maxRows: 1000 },
    );
    const marts = (await warehouse.kpis({ period: "month" })).filter((r) => r.intakes > 0);
    expect(marts.map((r) => ({ municipality: r.municipality, month: r.month, n: r.intakes }))).toEqual(lakeCounts.rows);
  });

  it("computes rates, median stay, TNR and complaints per fiscal year as the records say", async () => {
    const expected = expectedFiscalYears(lake.data);
    const rows = await warehouse.kpis({ period: "fiscal_year" });
    expect(rows.map((r) => `${r.municipality}/${r.fiscalYear}`).sort()).toEqual([...expected.keys()].sort());
    for (const row of rows) {
      const e = expected.get(`${row.municipality}/${row.fiscalYear}`)!;
      expect(row).toMatchObject({
        outcomes: e.outcomes,
        liveOutcomes: e.live,
        euthanasia: e.euth,
        tnrOperations: e.tnr,
      });
      expect(row.liveReleaseRate).toBeCloseTo(e.live / e.outcomes, 12);
      expect(row.euthanasiaRate).toBeCloseTo(e.euth / e.outcomes, 12);
      expect(row.staysMeasured).toBe(e.stays.length);
      expect(row.medianStayDays).toBe(median(e.stays));
      expect(row.tnrSubsidy).toBe(e.subsidy);
      expect(row.complaints).toBe(e.complaints);
    }
    expect(lake.data.outcomes.some((o) => o.daysInShelter === null)).toBe(true);
  });

  it("keeps the long tables consistent with the wide ones", async () => {
    const kpis = await warehouse.kpis({ period: "fiscal_year", municipality: "131041" });
    const intakes = await warehouse.breakdown({ breakdown: "intakes", period: "fiscal_year", municipality: "131041" });
    const outcomes = await warehouse.breakdown({
      breakdown: "outcomes",
      period: "fiscal_year",
      municipality: "131041",
    });
    const complaints = await warehouse.breakdown({ breakdown: "complaints", period: "month", municipality: "131041" });
    const sum = (rows: { count: number }[]) => rows.reduce((a, r) => a + r.count, 0);
    expect(sum(intakes)).toBe(kpis.reduce((a, r) => a + r.intakes, 0));
    expect(sum(intakes.filter((r) => r.group === "kitten"))).toBe(kpis.reduce((a, r) => a + r.intakesKitten, 0));
    expect(sum(outcomes.filter((r) => r.group === "live"))).toBe(kpis.reduce((a, r) => a + r.liveOutcomes, 0));
    expect(sum(complaints)).toBe(lake.data.complaints.filter((c) => c.municipality === "131041").length);
    expect(new Set(outcomes.map((r) => r.periodType))).toEqual(new Set(["fiscal_year"]));
  });

  it("switches atomically: readers during a rebuild see old or new marts, never an error", async () => {
    const before = await warehouse.currentFile();
    await lake.add(["401307"]);
    const reader = new DuckDbWarehouse({ dir: dir() });
    const seen = new Set<string>();
    let done = false;
    const rebuilt = warehouse.rebuild(lake.lake).finally(() => {
      done = true;
    });
    expect(await warehouse.currentFile()).toBe(before);
    while (!done) {
      const rows = await reader.kpis({ period: "fiscal_year" });
      seen.add([...new Set(rows.map((r) => r.municipality))].join(","));
    }
    await rebuilt;
    seen.add([...new Set((await reader.kpis({ period: "fiscal_year" })).map((r) => r.municipality))].join(","));
    expect([...seen].every((s) => s === "131041,231002" || s === "131041,231002,401307")).toBe(true);
    expect(seen).toContain("131041,231002"); // read while the rebuild ran
    expect(seen).toContain("131041,231002,401307");
    expect(existsSync(before!)).toBe(true); // the previous file survives one rebuild
    await warehouse.rebuild(lake.lake);
    expect(existsSync(before!)).toBe(false);
    await reader.close();
  });

  it("queues concurrent rebuilds and leaves the current and previous files only", async () => {
    const other = new DuckDbWarehouse({ dir: dir() });
    const summaries = await Promise.all([
      warehouse.rebuild(lake.lake),
      other.rebuild(lake.lake),
      warehouse.rebuild(lake.lake),
    ]);
    expect(new Set(summaries.map((s) => s.target)).size).toBe(3);
    const files = readdirSync(dir()).filter((f) => f.endsWith(".duckdb"));
    expect(files).toHaveLength(2);
    expect(files).toContain(path.basename((await warehouse.currentFile())!));
    expect(readdirSync(dir())).not.toContain("rebuild.lock");
    expect((await other.kpis({ period: "fiscal_year" })).length).toBe(3);
    await other.close();
  });

  it("holds no lock that stops another process from reading the current file", async () => {
    await warehouse.kpis({ period: "month" }); // this process has the file open now
    const script = `import { DuckDBInstance } from "@duckdb/node-api";
      const db = await DuckDBInstance.create(process.argv[1], { access_mode: "READ_ONLY" });
      const r = await (await db.connect()).runAndReadAll("SELECT count(*)::INT AS n FROM mart_kpi_fiscal_year");
      console.log(JSON.stringify(r.getRowObjectsJson()));`;
    const child = await promisify(execFile)(
      process.execPath,
      ["--input-type=module", "-e", script, (await warehouse.currentFile())!],
      { cwd: process.cwd() },
    );
    expect(JSON.parse(child.stdout)).toEqual([{ n: 3 }]);
    await expect(warehouse.query("DELETE FROM mart_kpi_month")).rejects.toThrow(/read-only/i);
  });
});
