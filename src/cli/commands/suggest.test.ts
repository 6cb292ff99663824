/**
 * Pins `catdata suggest-mapping FILE --preview --json` through the real process (bin/catdata.js) on
 * an Austin-like outcomes export: the whole file is read (labels that appear only after row 500 are
 * listed with their exact counts), Kitten is a cat, the days column is flagged and left unmapped,
 * and the preview's counts per category and month equal an independent count of the generated rows.
 * The text output names the unmapped labels and the doubtful column too.
 */
import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import type { Preview } from "../../etl/preview.js";
import type { MappingSuggestion } from "../../etl/suggest-mapping.js";
import { tempDir } from "../../testing/fixtures.js";
import { type ExportRow, OUTCOME_CONVENTION, outcomesExport, UNKNOWN_OUTCOMES } from "../../testing/outcomes-export.js";

const bin = path.resolve("bin/catdata.js");
let home: string;
let env: NodeJS.ProcessEnv;
const { csv, rows } = outcomesExport(1200, 3);

const catdata = async (...args: string[]) =>
  (await promisify(execFile)(process.execPath, [bin, ...args], { cwd: home, env, maxBuffer: 64 * 1024 * 1024 })).stdout;

beforeAll(() => {
  home = tempDir();
  const { CATDATA_LOG_LEVEL: _level, ...rest } = process.env;
  env = { ...rest, CATDATA_HOME: path.join(home, ".catdata") };
  writeFileSync(path.join(home, "outcomes-2025.csv"), csv);
});

const CONVENTION = OUTCOME_CONVENTION;
const isCat = (r: ExportRow) => r.animalType !== "Dog";
const isUnknown = (r: ExportRow) => (UNKNOWN_OUTCOMES as readonly string[]).includes(r.outcomeType);

describe("catdata suggest-mapping", () => {
  it("--preview --json: every unmapped label counted, the days column flagged, the figures independent", async () => {
    const [best] = JSON.parse(
      await catdata("suggest-mapping", "outcomes-2025.csv", "--preview", "--json"),
    ) as (MappingSuggestion & {
      preview: Preview;
    })[];
    expect(best?.dataset).toBe("outcomes");
    expect(best?.countedRows).toBe(rows.length);
    const cats = rows.filter(isCat);
    expect(new Map(best?.unmapped.map((u) => [u.label, u.rows]))).toEqual(
      new Map(UNKNOWN_OUTCOMES.map((l) => [l, cats.filter((r) => r.outcomeType === l).length])),
    );
    expect(best?.profile.filter?.values).toContain("Kitten");
    expect(best?.doubtful.map((d) => d.column)).toEqual(["Days in Shelter"]);
    expect(best?.profile.columns).not.toHaveProperty("daysInShelter");

    const expected: Record<string, number> = {};
    for (const r of cats.filter((r) => !isUnknown(r))) {
      const key = `${CONVENTION[r.outcomeType]}|${r.outcome.toISOString().slice(0, 7)}`;
      expected[key] = (expected[key] ?? 0) + 1;
    }
    const got = Object.fromEntries(
      best?.preview.byCategoryMonth.map((c) => [`${c.category}|${c.month}`, c.rows]) ?? [],
    );
    expect(got).toEqual(expected);
    expect(best?.preview.quarantined.rows).toBe(cats.filter(isUnknown).length);
    expect(best?.preview.skipped.rows).toBe(rows.length - cats.length);
  }, 60_000);

  it("prints the unmapped labels and the doubtful column, and writes a mapping without `*`", async () => {
    const text = await catdata("suggest-mapping", "outcomes-2025.csv", "-o", "out.mapping.json");
    for (const label of UNKNOWN_OUTCOMES) expect(text).toMatch(new RegExp(`Outcome Type = "${label}": \\d+ rows`));
    expect(text).toMatch(/Doubtful: column Days in Shelter disagrees with the dates/);
    expect(readFileSync(path.join(home, "out.mapping.json"), "utf8")).not.toContain('"*"');
  }, 60_000);
});
