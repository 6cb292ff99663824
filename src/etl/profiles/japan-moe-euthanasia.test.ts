/**
 * Pins the Japan MoE euthanasia profile:
 * - every fiscal year gives `dogs_and_cats_euthanized` (species dog_and_cat, region JP)
 * - FY2022 and FY2023 also give `cats_euthanized` (9,472 and 6,899); no cat figure is invented for other years
 * - dogs + cats must equal the total, and the year must match the 年度 in the Japanese source text
 * - the real file: all 11 rows loaded, detected from the headers, 13 aggregates
 */
import { describe, expect, it } from "vitest";
import { DuckDb, literal } from "../../duckdb/duckdb.js";
import { silentLogger } from "../../log/logger.js";
import { openRuntime } from "../../runtime.js";
import { hasSamples, sample, tempConfig } from "../../testing/fixtures.js";
import { ingestFile } from "../ingest.js";
import { japanMoeEuthanasia } from "./japan-moe-euthanasia.js";

const ctx = { municipality: "jp", fiscalYearStartMonth: 4, jobId: "j1", fileName: "e.csv", row: 1 };
const row = (year: string, dogs: string, cats: string, total: string, textYear = year) => ({
  year,
  dogs,
  cats,
  total,
  source_text: `環境省「犬・猫の引取り及び負傷動物の収容状況」${textYear}年度の殺処分数`,
  source_url: "https://www.env.go.jp/nature/dobutsu/aigo/2_data/statistics/dog-cat.html",
  claim_id: "c106",
});
const metrics = (r: ReturnType<typeof japanMoeEuthanasia.mapRow>) =>
  r.kind === "records" ? r.records.map((x) => x.dataset === "aggregates" && [x.record.metric, x.record.value]) : r;

describe("japan-moe-euthanasia mapping", () => {
  it("gives the combined series for every year and the cat figure only where the Ministry splits it", () => {
    expect(metrics(japanMoeEuthanasia.mapRow(row("2021", "", "", "14457"), ctx))).toEqual([
      ["dogs_and_cats_euthanized", 14_457],
    ]);
    const split = japanMoeEuthanasia.mapRow(row("2022", "2434", "9472", "11906"), ctx);
    expect(metrics(split)).toEqual([
      ["dogs_and_cats_euthanized", 11_906],
      ["cats_euthanized", 9_472],
    ]);
    expect(split).toMatchObject({
      records: [
        { record: { fiscalYear: 2022, region: "JP", species: "dog_and_cat", outcomeType: "euthanasia" } },
        { record: { species: "cat", metricOriginal: expect.stringContaining("2022年度の殺処分数") } },
      ],
    });
  });

  it("quarantines rows whose parts do not add up or whose year disagrees with the text", () => {
    expect(japanMoeEuthanasia.mapRow(row("2022", "2434", "9000", "11906"), ctx)).toMatchObject({
      kind: "reject",
      reason: "dogs 2434 + cats 9000 is not the total 11906",
    });
    expect(japanMoeEuthanasia.mapRow(row("2022", "", "", "1", "2021"), ctx)).toMatchObject({ kind: "reject" });
  });
});

describe.skipIf(!hasSamples)("ingest of the real Japan MoE file", () => {
  it("loads all 11 fiscal years and the two cat figures", async () => {
    const csv = sample("cats", "japan-moe-national-euthanasia", "euthanasia.csv");
    const db = await DuckDb.open(":memory:");
    const [raw] = await db.all<{ rows: number; split: number }>(
      `SELECT count(*)::INT AS rows, count(cats)::INT AS split FROM read_csv(${literal(csv)}, header = true, all_varchar = true)`,
    );
    db.close();
    expect(raw).toEqual({ rows: 11, split: 2 });
    const runtime = await openRuntime(tempConfig(), silentLogger);
    try {
      const job = await ingestFile(runtime, csv);
      expect(job.profile).toBe("japan-moe-euthanasia");
      expect(job.counts).toEqual({ read: 11, loaded: 11, quarantined: 0, deduplicated: 0, skipped: 0 });
      const cats = await runtime.query.query(
        "SELECT fiscal_year, value::INT AS value FROM aggregates WHERE metric = 'cats_euthanized' ORDER BY 1",
      );
      expect(cats.rows).toEqual([
        { fiscal_year: 2022, value: 9_472 },
        { fiscal_year: 2023, value: 6_899 },
      ]);
      const all = await runtime.query.query("SELECT count(*)::INT AS n, min(fiscal_year) AS first FROM aggregates");
      expect(all.rows[0]).toEqual({ n: (raw?.rows ?? 0) + (raw?.split ?? 0), first: 2013 });
    } finally {
      await runtime.close();
    }
  });
});
