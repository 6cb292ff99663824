/**
 * Pins the Brisbane complaints profile:
 * - a numbered quarter is of the Australian financial year: "1st quarter 2016-17" = 2016-07-01..2016-09-30,
 *   "3rd quarter 2016-17" = 2017-01-01..2017-03-31
 * - month-range file names in every spelling the file uses give the first and last day
 * - a date_range that names no period is quarantined with the reason
 * - Cat and Cat Trapping rows are kept (trapping / roaming / other), with the original labels; other animals skipped
 * - the real file: every cat row accounted for, counted independently with DuckDB; the profile is
 *   detected from the headers; complaints land in the fiscal years of their quarters
 */
import { describe, expect, it } from "vitest";
import { DuckDb, literal } from "../../duckdb/duckdb.js";
import { silentLogger } from "../../log/logger.js";
import { openRuntime } from "../../runtime.js";
import { hasSamples, sample, tempConfig } from "../../testing/fixtures.js";
import { ingestFile } from "../ingest.js";
import { brisbaneComplaints } from "./brisbane-complaints.js";
import { reportingPeriod } from "./brisbane-period.js";

const ctx = { municipality: "au-qld-brisbane", fiscalYearStartMonth: 7, jobId: "j1", fileName: "b.csv", row: 1 };

describe("Brisbane reporting periods", () => {
  it("reads numbered quarters of the July financial year", () => {
    expect(reportingPeriod("1st-quarter-2016-17.csv")).toEqual({ start: "2016-07-01", end: "2016-09-30" });
    expect(reportingPeriod("2nd-quarter-2016-17.csv")).toEqual({ start: "2016-10-01", end: "2016-12-31" });
    expect(reportingPeriod("3rd-quarter-2016-17.csv")).toEqual({ start: "2017-01-01", end: "2017-03-31" });
    expect(reportingPeriod("4th-quarter-2019-2020.csv")).toEqual({ start: "2020-04-01", end: "2020-06-30" });
  });

  it("reads month ranges in each spelling, including a leap-year February", () => {
    expect(reportingPeriod("apr-jun-2019.csv")).toEqual({ start: "2019-04-01", end: "2019-06-30" });
    expect(reportingPeriod("apr-to-jun-2018.csv")).toEqual({ start: "2018-04-01", end: "2018-06-30" });
    expect(reportingPeriod("april-june-2016.csv")).toEqual({ start: "2016-04-01", end: "2016-06-30" });
    expect(reportingPeriod("january-to-march-2017.csv")).toEqual({ start: "2017-01-01", end: "2017-03-31" });
    expect(reportingPeriod("july-to-september-2017.csv")).toEqual({ start: "2017-07-01", end: "2017-09-30" });
    expect(reportingPeriod("cars-srsa-open-data-animal-related-complaints-oct-to-dec-2019.csv")).toEqual({
      start: "2019-10-01",
      end: "2019-12-31",
    });
    expect(reportingPeriod("dec-to-feb-2020.csv")).toEqual({ start: "2019-12-01", end: "2020-02-29" });
  });

  it("rejects names without a period, and quarters of non-consecutive years", () => {
    expect(() => reportingPeriod("complaints.csv")).toThrow(/names no period/);
    expect(() => reportingPeriod("1st-quarter-2016-18.csv")).toThrow(/not consecutive/);
  });
});

describe("brisbane-complaints mapping", () => {
  const row = (animal: string, category: string, range = "1st-quarter-2016-17.csv") => ({
    nature: "Animal",
    animal_type: animal,
    category,
    suburb: "SUNNYBANK",
    date_range: range,
    responsible_office: "NA",
    city: "Brisbane",
  });

  it("maps cat complaints onto canonical categories and keeps the source labels", () => {
    const result = brisbaneComplaints.mapRow(row("Cat", "Wandering"), ctx);
    expect(result).toEqual({
      kind: "records",
      records: [
        {
          dataset: "complaints",
          record: {
            municipality: "au-qld-brisbane",
            fiscalYear: 2016,
            sourceJob: "j1",
            sourceRow: 1,
            receivedOn: "2016-07-01",
            periodEnd: "2016-09-30",
            category: "roaming",
            categoryOriginal: "Cat / Wandering",
            area: "SUNNYBANK",
            location: null,
            // species from the file's own animal_type column; Brisbane's export has no request id
            species: "cat",
            requestId: null,
          },
        },
      ],
    });
    const trap = brisbaneComplaints.mapRow(row("Cat Trapping", "NA", "jan-to-mar-2018.csv"), ctx);
    expect(trap).toMatchObject({
      records: [{ record: { category: "trapping", categoryOriginal: "Cat Trapping", fiscalYear: 2017 } }],
    });
    expect(brisbaneComplaints.mapRow(row("Cat", "NA"), ctx)).toMatchObject({
      records: [{ record: { category: "other" } }],
    });
  });

  it("skips other animals and quarantines a row whose period cannot be read", () => {
    expect(brisbaneComplaints.mapRow(row("Dog", "Fencing Issues"), ctx).kind).toBe("skip");
    expect(brisbaneComplaints.mapRow(row("Cat", "Wandering", "misc.csv"), ctx)).toMatchObject({
      kind: "reject",
      reason: expect.stringMatching(/names no period/),
    });
  });
});

describe.skipIf(!hasSamples)("ingest of the real Brisbane complaints file", () => {
  it("accounts for every cat row and files each quarter under its fiscal year", async () => {
    const csv = sample("cats", "australia-rspca-brisbane", "brisbane_complaints.csv");
    const db = await DuckDb.open(":memory:");
    const [raw] = await db.all<{ rows: number; cats: number; fy2016: number }>(
      `SELECT count(*)::INT AS rows, count(*) FILTER (WHERE animal_type IN ('Cat', 'Cat Trapping'))::INT AS cats,
              count(*) FILTER (WHERE animal_type IN ('Cat', 'Cat Trapping') AND date_range IN
                ('1st-quarter-2016-17.csv', 'october-to-december-2016.csv', 'january-to-march-2017.csv',
                 'april-to-june-2017.csv'))::INT AS fy2016
       FROM read_csv(${literal(csv)}, header = true, all_varchar = true)`,
    );
    db.close();
    expect(raw).toEqual({ rows: 31_330, cats: 4_745, fy2016: 818 });
    const runtime = await openRuntime(tempConfig(), silentLogger);
    try {
      const job = await ingestFile(runtime, csv);
      expect(job.status).toBe("succeeded");
      expect(job.profile).toBe("brisbane-complaints");
      expect(job.counts).toEqual({ read: 31_330, loaded: 4_745, quarantined: 0, deduplicated: 0, skipped: 26_585 });
      expect(job.counts.loaded + job.counts.quarantined + job.counts.deduplicated).toBe(raw?.cats);
      const lake = await runtime.query.query(
        "SELECT count(*)::INT AS n, count(*) FILTER (WHERE fiscal_year = 2016)::INT AS fy2016 FROM complaints",
      );
      expect(lake.rows[0]).toEqual({ n: raw?.cats, fy2016: raw?.fy2016 });
    } finally {
      await runtime.close();
    }
  });
});
