/**
 * Pins the preview of a suggested mapping on an Austin-like outcomes export (src/testing/outcomes-export.ts),
 * every figure against an independent count over the generated rows:
 * - records per outcome type and month, under the platform's convention (Kitten a cat, Return to
 *   Habitat → return_to_field, Redemption (Offsite) → return to owner, DOA → other)
 * - the rows that would be quarantined (count, the first PREVIEW_EXAMPLES with their reasons), and
 *   the unmapped labels with their counts
 * - the skipped (not cat) rows by their species label
 * - on the real Austin intakes (when ../shared/data is there): 43,684 cats, per intake type and month
 *   equal to a count of the raw CSV, and no cat row quarantined
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { hasSamples, sample, tempDir } from "../testing/fixtures.js";
import { type ExportRow, OUTCOME_CONVENTION, outcomesExport, UNKNOWN_OUTCOMES } from "../testing/outcomes-export.js";
import { PREVIEW_EXAMPLES, previewFile } from "./preview.js";
import { scanFile } from "./sample-file.js";
import { suggestMapping } from "./suggest-mapping.js";

const CONVENTION = OUTCOME_CONVENTION;
const isCat = (r: ExportRow) => r.animalType === "Cat" || r.animalType === "Kitten";
const monthOf = (d: Date) => `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, "0")}`;

/** Independent tally: `category|month` → rows, over the cat rows whose label the convention knows. */
function expectedByCategoryMonth(rows: ExportRow[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of rows.filter(isCat)) {
    const category = CONVENTION[r.outcomeType];
    if (!category) continue;
    const key = `${category}|${monthOf(r.outcome)}`;
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}

describe("previewFile", () => {
  it("counts per category and month, quarantined, unmapped and skipped rows as an independent count does", async () => {
    const { csv, rows } = outcomesExport(1800, 11);
    const file = path.join(tempDir(), "outcomes.csv");
    writeFileSync(file, csv);
    const [scanned] = await scanFile(file);
    const [best] = suggestMapping(scanned?.headers ?? [], scanned?.rows ?? [], { scan: scanned });
    if (!best) throw new Error("no suggestion");
    const preview = await previewFile(file, best.profile, { municipality: "us-tx-austin" });

    const got = Object.fromEntries(preview.byCategoryMonth.map((c) => [`${c.category}|${c.month}`, c.rows]));
    const expected = expectedByCategoryMonth(rows);
    expect(got).toEqual(expected);
    const cats = rows.filter(isCat);
    const unknown = cats.filter((r) => (UNKNOWN_OUTCOMES as readonly string[]).includes(r.outcomeType));
    expect(preview.rows).toBe(rows.length);
    expect(preview.loaded).toBe(cats.length - unknown.length);
    expect(preview.byCategory.return_to_field).toBe(cats.filter((r) => r.outcomeType === "Return to Habitat").length);
    expect(preview.byCategory.died_in_care).toBeUndefined();

    expect(preview.quarantined.rows).toBe(unknown.length);
    expect(preview.quarantined.examples).toHaveLength(PREVIEW_EXAMPLES);
    const firstUnknown = rows.findIndex(
      (r) => isCat(r) && (UNKNOWN_OUTCOMES as readonly string[]).includes(r.outcomeType),
    );
    expect(preview.quarantined.examples[0]).toEqual({
      table: "outcomes.csv",
      row: firstUnknown + 1,
      reason: expect.stringContaining(
        `label "${rows[firstUnknown]?.outcomeType}" of column "Outcome Type" is not mapped`,
      ),
    });
    expect(new Map(preview.unmapped.map((u) => [u.label, u.rows]))).toEqual(
      new Map(UNKNOWN_OUTCOMES.map((label) => [label, unknown.filter((r) => r.outcomeType === label).length])),
    );
    expect(preview.skipped).toEqual({
      rows: rows.length - cats.length,
      column: "Animal Type",
      labels: [{ label: "Dog", rows: rows.length - cats.length }],
    });
  });
});

describe.skipIf(!hasSamples)("previewFile on the real Austin intakes", () => {
  it("previews every cat intake per type and month as the raw CSV counts them", async () => {
    const file = sample("cats", "austin-aac-intakes-2013-2020", "Austin_Animal_Center_Intakes.csv");
    const raw = parse(readFileSync(file), { columns: true }) as Record<string, string>[];
    const TYPE: Record<string, string> = {
      Stray: "stray",
      "Owner Surrender": "owner_surrender",
      "Euthanasia Request": "owner_surrender",
      Abandoned: "stray",
      "Public Assist": "other",
    };
    const expected: Record<string, number> = {};
    for (const r of raw.filter((r) => r["Animal Type"] === "Cat")) {
      const m = /^(\d{2})\/\d{2}\/(\d{4})/.exec(r.DateTime ?? "");
      const key = `${TYPE[r["Intake Type"] ?? ""]}|${m?.[2]}-${m?.[1]}`;
      expected[key] = (expected[key] ?? 0) + 1;
    }
    const [scanned] = await scanFile(file);
    const best = suggestMapping(scanned?.headers ?? [], scanned?.rows ?? [], { scan: scanned }).find(
      (s) => s.dataset === "intakes",
    );
    expect(best?.unmapped).toEqual([]);
    const preview = await previewFile(file, best?.profile, { municipality: "us-tx-austin" });
    expect(preview.loaded).toBe(43_684);
    expect(preview.quarantined.rows).toBe(0);
    expect(Object.fromEntries(preview.byCategoryMonth.map((c) => [`${c.category}|${c.month}`, c.rows]))).toEqual(
      expected,
    );
  }, 120_000);
});
