/**
 * Pins the King County lost/found profile (→ sightings):
 * - LOST / FOUND / ADOPTABLE become report types; a FOUND `Dead Cat` is found_dead
 * - the obfuscated block address is kept as the location, with city, state and ZIP; the
 *   `JURISDICTION` placeholder is not an area
 * - dogs, birds and other animals are skipped; an unknown Record_Type is quarantined
 * - the real file: 108 cat rows (Cat + Dead Cat) accounted for, counted independently; detected from the headers
 */
import { describe, expect, it } from "vitest";
import { DuckDb, literal } from "../../duckdb/duckdb.js";
import { silentLogger } from "../../log/logger.js";
import { openRuntime } from "../../runtime.js";
import { hasSamples, sample, tempConfig } from "../../testing/fixtures.js";
import { ingestFile } from "../ingest.js";
import { kingCountyLostFound } from "./king-county-lost-found.js";

const ctx = { municipality: "us-wa-king", fiscalYearStartMonth: 1, jobId: "j1", fileName: "k.csv", row: 3 };
const row = (over: Record<string, string> = {}) => ({
  impound_no: "K20-126923",
  Animal_ID: "A612264",
  Record_Type: "FOUND",
  animal_type: "Cat",
  Age: "1 WEEK",
  Animal_Gender: "Female",
  Animal_Breed: "Domestic Shorthair",
  Animal_Color: "Black",
  Date: "05/08/2020 12:00:00 AM",
  Date_Type: "Received on",
  Obfuscated_Address: "25400 98TH AVE S",
  City: "KENT",
  State: "WA",
  Zip: "98030",
  jurisdiction: "KENT",
  ...over,
});

describe("king-county-lost-found mapping", () => {
  it("keeps the obfuscated address as the location and the city as the area", () => {
    expect(kingCountyLostFound.mapRow(row(), ctx)).toMatchObject({
      records: [
        {
          dataset: "sightings",
          record: {
            seenAt: "2020-05-08T00:00:00",
            fiscalYear: 2020,
            location: "25400 98TH AVE S, KENT, WA 98030",
            area: "KENT",
            reportType: "found",
            animalId: "A612264",
            note: "Female, 1 WEEK, Domestic Shorthair, Black",
          },
        },
      ],
    });
  });

  it("marks a found dead cat, and ignores the JURISDICTION placeholder", () => {
    const dead = kingCountyLostFound.mapRow(
      row({ animal_type: "Dead Cat", City: "", State: "", Zip: "", jurisdiction: "JURISDICTION" }),
      ctx,
    );
    expect(dead).toMatchObject({
      records: [{ record: { reportType: "found_dead", reportTypeOriginal: "FOUND (Dead Cat)", area: null } }],
    });
  });

  it("skips other animals and quarantines unknown report types", () => {
    expect(kingCountyLostFound.mapRow(row({ animal_type: "Dog" }), ctx).kind).toBe("skip");
    expect(kingCountyLostFound.mapRow(row({ Record_Type: "STOLEN" }), ctx)).toMatchObject({ kind: "reject" });
  });
});

describe.skipIf(!hasSamples)("ingest of the real King County file", () => {
  it("accounts for every cat row as a sighting", async () => {
    const csv = sample("cats", "king-county-lost-found-2020", "Lost__found__adoptable_pets.csv");
    const db = await DuckDb.open(":memory:");
    const [raw] = await db.all<{ rows: number; cats: number; dead: number }>(
      `SELECT count(*)::INT AS rows, count(*) FILTER (WHERE animal_type IN ('Cat', 'Dead Cat'))::INT AS cats,
              count(*) FILTER (WHERE animal_type = 'Dead Cat')::INT AS dead
       FROM read_csv(${literal(csv)}, header = true, all_varchar = true)`,
    );
    db.close();
    expect(raw).toEqual({ rows: 188, cats: 108, dead: 13 });
    const runtime = await openRuntime(tempConfig(), silentLogger);
    try {
      const job = await ingestFile(runtime, csv);
      expect(job.profile).toBe("king-county-lost-found");
      expect(job.counts).toEqual({ read: 188, loaded: 108, quarantined: 0, deduplicated: 0, skipped: 80 });
      expect(job.counts.loaded + job.counts.quarantined + job.counts.deduplicated).toBe(raw?.cats);
      const lake = await runtime.query.query(
        "SELECT count(*)::INT AS n, count(*) FILTER (WHERE report_type = 'found_dead')::INT AS dead FROM sightings",
      );
      expect(lake.rows[0]).toEqual({ n: raw?.cats, dead: raw?.dead });
    } finally {
      await runtime.close();
    }
  });
});
