/**
 * Pins a city hall's TNR workbook loaded end to end (ingest → job → lake) with catdata's Japanese TNR
 * template headers under a title, a note and a two-row merged header, 和暦 dates in three styles, a 合計
 * row, a ※ footnote, an instructions sheet and a summary sheet: every cat loads (counts per month equal
 * an independent count of the generated rows), `助成金額（円）` loads into subsidyAmount, the total row is
 * not loaded, and the instructions and summary sheets are skipped by content.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentLogger } from "../log/logger.js";
import { openRuntime, type Runtime } from "../runtime.js";
import { tempConfig, tempDir } from "../testing/fixtures.js";
import { tnrRows, tnrWorkbook } from "../testing/office-workbook.js";
import { ingestFile } from "./ingest.js";

let runtime: Runtime;
beforeAll(async () => {
  runtime = await openRuntime(tempConfig(), silentLogger);
});
afterAll(async () => runtime.close());

describe("a city hall's TNR workbook", () => {
  it("loads every cat, month by month, with its subsidy", async () => {
    const generated = tnrRows(155);
    const file = path.join(tempDir(), "令和5年度TNR実施記録.xlsx");
    writeFileSync(file, await tnrWorkbook(generated, { municipality: "131041", layout: "template" }));
    const job = await ingestFile(runtime, file, { municipality: "131041" });
    expect(job.status, job.error ?? "").toBe("succeeded");
    expect(job.counts).toMatchObject({ read: generated.length, loaded: generated.length, quarantined: 0 });
    expect(job.tables.map((t) => [t.name, t.profile, t.skipped === undefined])).toEqual([
      ["記入方法", "", false],
      ["実施記録", "catdata-template-tnr", true],
      ["集計", "", false],
    ]);

    const want = new Map<string, { cats: number; subsidy: number; rows: number }>();
    for (const r of generated) {
      const m = want.get(r.date.slice(0, 7)) ?? { cats: 0, subsidy: 0, rows: 0 };
      want.set(r.date.slice(0, 7), { cats: m.cats + r.count, subsidy: m.subsidy + r.subsidy, rows: m.rows + 1 });
    }
    const got = await runtime.query.query(
      "SELECT strftime(operated_on, '%Y-%m') AS month, sum(count)::INT AS cats, sum(subsidy_amount)::INT AS subsidy, count(*)::INT AS rows FROM tnr GROUP BY 1 ORDER BY 1",
    );
    expect(got.rows).toEqual([...want].sort(([a], [b]) => a.localeCompare(b)).map(([month, m]) => ({ month, ...m })));
    for (const sex of ["male", "female"] as const) {
      const n = await runtime.query.query("SELECT count(*)::INT AS n FROM tnr WHERE sex = $1", { params: [sex] });
      expect(n.rows[0]?.n, sex).toBe(generated.filter((r) => (r.sex === "オス") === (sex === "male")).length);
    }
    const fy = await runtime.query.query("SELECT DISTINCT fiscal_year FROM tnr");
    expect(fy.rows).toEqual([{ fiscal_year: 2023 }]);
  });
});
