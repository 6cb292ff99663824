/**
 * Pins the Sonoma County shelter profile:
 * - RETURN TO OWNER with subtype COMMCAT is return_to_field; other returns stay return_to_owner
 * - the original type and subtype are kept beside the mapped one
 * - `Location` `95403(38.48, -122.74)` keeps only the ZIP, as the outcome's area
 * - a row with no outcome gives only the intake; an outcome type without a date is quarantined
 * - fiscal years start in July (06/30 and 07/01 fall in different years); Spayed/Neutered → sex + altered
 * - other animals are skipped; unknown intake types are quarantined with the reason
 * - the real file: every cat row accounted for and one outcome per cat row with an outcome,
 *   counted independently with DuckDB's CSV reader; the profile is detected from the headers
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DuckDb, literal } from "../../duckdb/duckdb.js";
import { silentLogger } from "../../log/logger.js";
import { openRuntime, type Runtime } from "../../runtime.js";
import { hasSamples, sample, tempConfig } from "../../testing/fixtures.js";
import { ingestFile } from "../ingest.js";
import type { MapResult } from "./profile.js";
import { sonomaOutcomeType, zipOfLocation } from "./sonoma-codes.js";
import { sonomaShelter } from "./sonoma-shelter.js";

const ctx = { municipality: "us-ca-sonoma", fiscalYearStartMonth: 7, jobId: "j1", fileName: "s.csv", row: 1 };
const row = (over: Record<string, string> = {}): Record<string, string> => ({
  Type: "CAT",
  Sex: "Spayed",
  Size: "SMALL",
  "Date Of Birth": "",
  "Impound Number": "K14-009452",
  "Animal ID": "A306233",
  "Intake Date": "06/24/2014",
  "Outcome Date": "07/01/2014",
  "Days in Shelter": "7",
  "Intake Type": "STRAY",
  "Intake Subtype": "COMM CAT",
  "Outcome Type": "RETURN TO OWNER",
  "Outcome Subtype": "COMMCAT",
  "Intake Condition": "HEALTHY",
  "Intake Jurisdiction": "SANTA ROSA",
  "Outcome Jurisdiction": "COUNTY",
  Location: "95403(38.48, -122.74)",
  ...over,
});
const records = (r: MapResult) => (r.kind === "records" ? r.records : []);

describe("sonoma-shelter mapping", () => {
  it("maps a community-cat return to return_to_field and keeps the original codes", () => {
    const [intake, outcome] = records(sonomaShelter.mapRow(row(), ctx));
    expect(intake).toMatchObject({
      dataset: "intakes",
      record: {
        intakeType: "stray",
        intakeSubtypeOriginal: "COMM CAT",
        fiscalYear: 2013,
        sex: "female",
        altered: true,
      },
    });
    expect(outcome).toMatchObject({
      dataset: "outcomes",
      record: {
        outcomeType: "return_to_field",
        outcomeTypeOriginal: "RETURN TO OWNER",
        outcomeSubtypeOriginal: "COMMCAT",
        outcomeAt: "2014-07-01T00:00:00",
        fiscalYear: 2014,
        daysInShelter: 7,
        area: "95403",
        stayId: "K14-009452",
      },
    });
    expect(sonomaOutcomeType("RETURN TO OWNER", "OVER THE COUNTER_MCHIP")).toBe("return_to_owner");
    expect(sonomaOutcomeType("DISPOSAL", "DOA")).toBe("other");
    expect(zipOfLocation("94952(38.236012, -122.730241)")).toBe("94952");
    expect(zipOfLocation("")).toBeNull();
  });

  it("gives only the intake when the stay has no outcome, and quarantines half an outcome", () => {
    const open = records(sonomaShelter.mapRow(row({ "Outcome Type": "", "Outcome Date": "", Location: "" }), ctx));
    expect(open.map((r) => r.dataset)).toEqual(["intakes"]);
    expect(sonomaShelter.mapRow(row({ "Outcome Date": "" }), ctx)).toEqual({
      kind: "reject",
      reason: "Outcome Type is given but Outcome Date is empty",
    });
  });

  it("puts June 30 and July 1 in different fiscal years and born-here kittens in born_in_care", () => {
    const june = records(sonomaShelter.mapRow(row({ "Intake Date": "06/30/2014" }), ctx))[0];
    const july = records(
      sonomaShelter.mapRow(row({ "Intake Date": "07/01/2014", "Intake Subtype": "BORN_HERE" }), ctx),
    )[0];
    expect(june?.record.fiscalYear).toBe(2013);
    expect(july).toMatchObject({ record: { fiscalYear: 2014, intakeType: "born_in_care" } });
  });

  it("derives age from the birth date, and leaves it unknown when the birth date is after intake", () => {
    const kitten = records(sonomaShelter.mapRow(row({ "Date Of Birth": "05/24/2014" }), ctx))[0];
    expect(kitten).toMatchObject({ record: { ageDays: 31, ageClass: "kitten" } });
    const slip = records(sonomaShelter.mapRow(row({ "Date Of Birth": "07/24/2014", Size: "KITTN" }), ctx))[0];
    expect(slip).toMatchObject({ record: { ageDays: null, ageClass: "kitten" } });
  });

  it("skips other animals and quarantines unknown intake types", () => {
    expect(sonomaShelter.mapRow(row({ Type: "DOG" }), ctx).kind).toBe("skip");
    expect(sonomaShelter.mapRow(row({ "Intake Type": "WILDLIFE" }), ctx)).toEqual({
      kind: "reject",
      reason: 'intake type "WILDLIFE" is not known to this profile',
    });
  });
});

describe.skipIf(!hasSamples)("ingest of the real Sonoma file", () => {
  let runtime: Runtime;
  beforeAll(async () => {
    runtime = await openRuntime(tempConfig(), silentLogger);
  });
  afterAll(async () => runtime.close());

  it("accounts for every cat row and loads one outcome per cat row that has one", async () => {
    const csv = sample("cats", "sonoma-county-2013-2019", "Animal_Shelter_Intake_and_Outcome.csv");
    const db = await DuckDb.open(":memory:");
    const [raw] = await db.all<{ rows: number; cats: number; stays: number; ended: number }>(
      `SELECT count(*)::INT AS rows, count(*) FILTER (WHERE "Type" = 'CAT')::INT AS cats,
              count(DISTINCT "Impound Number") FILTER (WHERE "Type" = 'CAT')::INT AS stays,
              count(*) FILTER (WHERE "Type" = 'CAT' AND "Outcome Type" IS NOT NULL)::INT AS ended
       FROM read_csv(${literal(csv)}, header = true, all_varchar = true)`,
    );
    db.close();
    expect(raw).toEqual({ rows: 16_792, cats: 5_974, stays: 5_974, ended: 5_948 });
    const job = await ingestFile(runtime, csv);
    expect(job.status).toBe("succeeded");
    expect(job.profile).toBe("sonoma-shelter");
    expect(job.counts).toEqual({ read: 16_792, loaded: 5_974, quarantined: 0, deduplicated: 0, skipped: 10_818 });
    expect(job.counts.loaded + job.counts.quarantined + job.counts.deduplicated).toBe(raw?.cats);
    const lake = await runtime.query.query(
      "SELECT (SELECT count(*) FROM intakes)::INT AS intakes, (SELECT count(*) FROM outcomes)::INT AS outcomes, (SELECT count(*) FROM outcomes WHERE outcome_type = 'return_to_field')::INT AS rtf",
    );
    expect(lake.rows[0]).toEqual({ intakes: raw?.stays, outcomes: raw?.ended, rtf: 368 });
  });
});
