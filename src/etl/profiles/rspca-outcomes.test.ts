/**
 * Pins the RSPCA outcomes profile (wide → long):
 * - one aggregate per (year, outcome, state) cell of a cat row, region = state, `Total` → region AU
 * - an `NA` cell is left out, the row's other cells are kept
 * - outcomes carry their Shelter Animals Count category (Rehomed → adoption); stock counts carry none
 * - other animals are skipped; a figure that is not a count quarantines the row
 * - the real file (quoted, CRLF): 114 cat rows loaded, one aggregate per non-NA cell, counted with DuckDB's UNPIVOT
 */
import { describe, expect, it } from "vitest";
import { DuckDb, literal } from "../../duckdb/duckdb.js";
import { silentLogger } from "../../log/logger.js";
import { openRuntime } from "../../runtime.js";
import { hasSamples, sample, tempConfig } from "../../testing/fixtures.js";
import { ingestFile } from "../ingest.js";
import { rspcaOutcomes } from "./rspca-outcomes.js";

const ctx = { municipality: "au", fiscalYearStartMonth: 7, jobId: "j1", fileName: "o.csv", row: 7 };
const STATES = ["ACT", "NSW", "NT", "QLD", "SA", "TAS", "VIC", "WA", "Total"];
const row = (animal: string, outcome: string, cells: string[]) => ({
  year: "2005",
  animal_type: animal,
  outcome,
  ...Object.fromEntries(STATES.map((s, i) => [s, cells[i] ?? ""])),
});

describe("rspca-outcomes mapping", () => {
  it("turns a wide cat row into one aggregate per state, leaving NA cells out", () => {
    const result = rspcaOutcomes.mapRow(
      row("Cats", "In Stock", ["45", "399", "NA", "474", "96", "52", "218", "52", "1336"]),
      ctx,
    );
    if (result.kind !== "records") throw new Error(result.reason);
    expect(result.records.map((r) => r.dataset === "aggregates" && [r.record.region, r.record.value])).toEqual([
      ["ACT", 45],
      ["NSW", 399],
      ["QLD", 474],
      ["SA", 96],
      ["TAS", 52],
      ["VIC", 218],
      ["WA", 52],
      ["AU", 1336],
    ]);
    expect(result.records[0]?.record).toMatchObject({
      fiscalYear: 2005,
      metric: "cats_in_stock",
      metricOriginal: "In Stock",
      species: "cat",
      outcomeType: null,
    });
  });

  it("maps outcomes onto Shelter Animals Count categories", () => {
    const rehomed = rspcaOutcomes.mapRow(row("Cats", "Rehomed", ["1442"]), ctx);
    expect(rehomed).toMatchObject({
      records: [{ record: { region: "ACT", metric: "cats_rehomed", outcomeType: "adoption", value: 1442 } }],
    });
    const reclaimed = rspcaOutcomes.mapRow(row("Cats", "Reclaimed", ["1"]), ctx);
    expect(reclaimed).toMatchObject({ records: [{ record: { outcomeType: "return_to_owner" } }] });
  });

  it("skips other animals and quarantines unreadable figures and unknown outcomes", () => {
    expect(rspcaOutcomes.mapRow(row("Dogs", "Rehomed", ["1"]), ctx).kind).toBe("skip");
    expect(rspcaOutcomes.mapRow(row("Cats", "Rehomed", ["12a"]), ctx)).toMatchObject({
      kind: "reject",
      reason: expect.stringMatching(/ACT \(Rehomed\) "12a" is not a whole number/),
    });
    expect(rspcaOutcomes.mapRow(row("Cats", "Rehomed", ["NA", "NA"]), ctx)).toMatchObject({ kind: "reject" });
    expect(rspcaOutcomes.mapRow(row("Cats", "Eaten", ["1"]), ctx)).toMatchObject({ kind: "reject" });
  });
});

describe.skipIf(!hasSamples)("ingest of the real RSPCA outcomes file", () => {
  it("loads every cat row as one aggregate per reported state", async () => {
    const csv = sample("cats", "australia-rspca-brisbane", "animal_outcomes.csv");
    const db = await DuckDb.open(":memory:");
    const source = `read_csv(${literal(csv)}, header = true, all_varchar = true)`;
    const [raw] = await db.all<{ rows: number; cats: number; cells: number }>(
      `SELECT (SELECT count(*) FROM ${source})::INT AS rows,
              (SELECT count(*) FROM ${source} WHERE animal_type = 'Cats')::INT AS cats,
              (SELECT count(*) FROM (UNPIVOT (SELECT * FROM ${source} WHERE animal_type = 'Cats')
                 ON ${STATES.join(", ")} INTO NAME region VALUE v) WHERE v <> 'NA')::INT AS cells`,
    );
    db.close();
    expect(raw).toEqual({ rows: 664, cats: 114, cells: 1_024 });
    const runtime = await openRuntime(tempConfig(), silentLogger);
    try {
      const job = await ingestFile(runtime, csv);
      expect(job.profile).toBe("rspca-outcomes");
      expect(job.counts).toEqual({ read: 664, loaded: 114, quarantined: 0, deduplicated: 0, skipped: 550 });
      expect(job.counts.loaded + job.counts.quarantined + job.counts.deduplicated).toBe(raw?.cats);
      const lake = await runtime.query.query(
        "SELECT count(*)::INT AS n, sum(value) FILTER (WHERE fiscal_year = 1999 AND metric = 'cats_rehomed' AND region = 'NSW')::INT AS nsw1999 FROM aggregates",
      );
      expect(lake.rows[0]).toEqual({ n: raw?.cells, nsw1999: 3_913 });
    } finally {
      await runtime.close();
    }
  });
});
