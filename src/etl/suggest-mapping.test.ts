/**
 * Pins suggested mappings for unknown files and confirmed declarative profiles:
 * - Japanese headers (個体番号, 収容年月日, 収容区分, …) are suggested as intakes with high confidence,
 *   known labels map to canonical values (迷い猫 → stray), an unknown label is left unmapped and
 *   listed with its row count (no `*` → other), and the 動物種 column becomes a cat filter
 * - an Austin-like outcomes export scanned whole: every unmapped label with its exact count, Kitten
 *   a cat, Return to Habitat / Redemption (Offsite) / DOA by the convention, the days column flagged
 * - a confirmed mapping quarantines an unmapped label with "label X of column Y is not mapped";
 *   a `*` the user wrote still applies
 * - the real Sonoma headers suggest outcomes with Outcome Date / Outcome Type and a Type = CAT filter
 * - day-first dates are noticed (dateFormat dmy); a file of unrelated columns gets low confidence;
 *   complaints without a species column claim at most 50% (a date + a category is not cat complaints)
 * - a confirmed suggestion (JSON text) becomes a working MappingProfile: records, skips, quarantine
 *   reasons, dedup keys, 和暦 dates
 * - a malformed mapping fails naming the field that is wrong
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { hasSamples, sample, tempDir } from "../testing/fixtures.js";
import { LATE_FROM_ROW, outcomesExport, UNKNOWN_OUTCOMES } from "../testing/outcomes-export.js";
import { scanFile } from "./sample-file.js";
import {
  profileFromSuggestion,
  renderSuggestion,
  SPECIES_UNKNOWN_MAX_CONFIDENCE,
  suggestMapping,
} from "./suggest-mapping.js";

const JA_HEADERS = ["個体番号", "収容年月日", "収容区分", "動物種", "性別", "発見場所", "備考"];
const JA_ROWS = [
  ["2023-001", "2023/04/03", "迷い猫", "猫", "メス", "中区栄3丁目", ""],
  ["2023-002", "令和5年4月10日", "所有者からの引取り", "猫", "オス", "", "高齢"],
  ["2023-003", "2023/05/01", "野良猫の子", "犬", "不明", "", ""],
  ["2023-004", "2023/05/02", "よくわからない", "ねこ", "オス", "", ""],
].map((cells) => Object.fromEntries(JA_HEADERS.map((h, i) => [h, cells[i] ?? ""])));
const ctx = { municipality: "231002", fiscalYearStartMonth: 4, jobId: "j1", fileName: "x.csv", row: 1 };

describe("suggestMapping", () => {
  it("suggests intakes for a Japanese shelter file, with value maps and a cat filter", () => {
    const [best] = suggestMapping(JA_HEADERS, JA_ROWS, { name: "nagoya" });
    expect(best?.dataset).toBe("intakes");
    expect(best?.confidence).toBeGreaterThan(0.8);
    expect(best?.missing).toEqual([]);
    expect(best?.profile).toMatchObject({
      name: "nagoya-intakes",
      columns: { animalId: "個体番号", intakeAt: "収容年月日", intakeType: "収容区分", sex: "性別" },
      filter: { column: "動物種", values: ["猫", "ねこ"] },
      dedup: ["animalId", "intakeAt"],
    });
    expect(best?.profile.values.intakeType).toEqual({ 迷い猫: "stray", 所有者からの引取り: "owner_surrender" });
    expect(best?.unmapped).toEqual([{ field: "intakeType", column: "収容区分", label: "よくわからない", rows: 1 }]);
  });

  it("notices day-first dates and gives unrelated columns a low confidence", () => {
    const rows = [{ "Date Received": "13/04/2023", Category: "Noise", Suburb: "ASHGROVE" }];
    const suggestions = suggestMapping(["Date Received", "Category", "Suburb"], rows);
    const complaints = suggestions.find((s) => s.dataset === "complaints");
    expect(complaints).toMatchObject({ profile: { dateFormat: "dmy" } });
    // A date and a category alone do not make cat complaints: no species column caps it at 50%.
    expect(complaints?.confidence).toBeLessThanOrEqual(SPECIES_UNKNOWN_MAX_CONFIDENCE);
    expect(complaints?.species).toMatchObject({ known: "not declared", skippedRows: 1 });
    const [other] = suggestMapping(["colour", "weight"], [{ colour: "red", weight: "heavy" }]);
    expect(other?.confidence).toBeLessThan(0.5);
  });

  it.skipIf(!hasSamples)("suggests Sonoma's outcomes from its real headers and first rows", () => {
    const file = sample("cats", "sonoma-county-2013-2019", "Animal_Shelter_Intake_and_Outcome.csv");
    const head = readFileSync(file)
      .subarray(0, 64 * 1024)
      .toString("utf8");
    const rows = parse(head.slice(0, head.lastIndexOf("\n")), { columns: true }) as Record<string, string>[];
    const headers = Object.keys(rows[0] ?? {});
    const outcomes = suggestMapping(headers, rows).find((s) => s.dataset === "outcomes");
    expect(outcomes?.confidence).toBeGreaterThan(0.8);
    expect(outcomes?.profile).toMatchObject({
      columns: { animalId: "Animal ID", outcomeAt: "Outcome Date", outcomeType: "Outcome Type" },
      filter: { column: "Type", values: ["CAT"] },
    });
    expect(outcomes?.profile.values.outcomeType).toMatchObject({ ADOPTION: "adoption", EUTHANIZE: "euthanasia" });
  });
});

describe("profileFromSuggestion", () => {
  const [best] = suggestMapping(JA_HEADERS, JA_ROWS, { name: "nagoya" });
  const profile = profileFromSuggestion(renderSuggestion(best ?? suggestMapping([], [])[0]!));

  it("maps rows of the confirmed mapping, keeping the original labels and reading 和暦 dates", () => {
    expect(profile.match(JA_HEADERS, "x.csv")).toBe(1);
    expect(profile.mapRow(JA_ROWS[1] ?? {}, ctx)).toMatchObject({
      kind: "records",
      records: [
        {
          dataset: "intakes",
          record: {
            municipality: "231002",
            fiscalYear: 2023,
            animalId: "2023-002",
            intakeAt: "2023-04-10T00:00:00",
            intakeType: "owner_surrender",
            intakeTypeOriginal: "所有者からの引取り",
            sex: "male",
            ageClass: "unknown",
            foundLocation: null,
          },
        },
      ],
    });
    expect(profile.mapRow(JA_ROWS[2] ?? {}, ctx).kind).toBe("skip");
  });

  it("quarantines bad dates with the reason and builds dedup keys from the chosen fields", () => {
    const bad = profile.mapRow({ ...JA_ROWS[0], 収容年月日: "2023/13/01" }, ctx);
    expect(bad).toEqual({ kind: "reject", reason: 'date "2023/13/01" has month 13' });
    const ok = profile.mapRow(JA_ROWS[0] ?? {}, ctx);
    if (ok.kind !== "records" || !ok.records[0]) throw new Error("expected a record");
    expect(profile.dedupKey?.(ok.records[0])).toBe("2023-001|2023-04-03T00:00:00");
  });

  it("quarantines a label the mapping does not map, and applies a `*` only when the user wrote it", () => {
    const values = best?.profile.values ?? {};
    const spec = { ...best?.profile, values: { ...values, intakeType: { 迷い猫: "stray" } } };
    const strict = profileFromSuggestion(spec);
    expect(strict.mapRow(JA_ROWS[3] ?? {}, ctx)).toEqual({
      kind: "reject",
      reason: expect.stringMatching(
        /^label "よくわからない" of column "収容区分" is not mapped: add it to values.intakeType/,
      ),
    });
    const lenient = profileFromSuggestion({
      ...spec,
      values: { ...values, intakeType: { 迷い猫: "stray", "*": "other" } },
    });
    expect(lenient.mapRow(JA_ROWS[3] ?? {}, ctx)).toMatchObject({
      kind: "records",
      records: [{ record: { intakeType: "other", intakeTypeOriginal: "よくわからない" } }],
    });
  });

  it("refuses a mapping that is malformed, names an unknown field or leaves a required one out", () => {
    const base = { format: "catdata-mapping/1", name: "x-intakes", dataset: "intakes" };
    expect(() => profileFromSuggestion("{")).toThrow(/not valid JSON/);
    expect(() => profileFromSuggestion({ ...base, dataset: "dogs", columns: {} })).toThrow(/mapping field dataset/);
    expect(() => profileFromSuggestion({ ...base, columns: { colour: "c" } })).toThrow(/field "colour"/);
    expect(() => profileFromSuggestion({ ...base, columns: { animalId: "id", intakeAt: "d" } })).toThrow(
      /no column or constant for intakes.intakeType/,
    );
  });
});

describe("suggestMapping over a whole Austin-like outcomes export", () => {
  const { csv, rows } = outcomesExport(1500);
  const file = path.join(tempDir(), "austin-outcomes-2025.csv");
  writeFileSync(file, csv);
  const cats = rows.filter((r) => r.animalType === "Cat" || r.animalType === "Kitten");
  const countOf = (label: string) => cats.filter((r) => r.outcomeType === label).length;

  it("lists every distinct unmapped label with its exact row count, late ones included", async () => {
    const [scanned] = await scanFile(file);
    if (!scanned) throw new Error("no table");
    expect(scanned.rowCount).toBe(rows.length);
    const [best] = suggestMapping(scanned.headers, scanned.rows, { name: "austin", scan: scanned });
    expect(best?.dataset).toBe("outcomes");
    // The unknown labels first appear after row 500: a 500-row sample cannot see them.
    expect(
      rows.slice(0, LATE_FROM_ROW).some((r) => (UNKNOWN_OUTCOMES as readonly string[]).includes(r.outcomeType)),
    ).toBe(false);
    const expected = UNKNOWN_OUTCOMES.map((label) => ({
      field: "outcomeType",
      column: "Outcome Type",
      label,
      rows: countOf(label),
    })).sort((a, b) => b.rows - a.rows);
    expect(expected.every((u) => u.rows > 0)).toBe(true);
    expect(best?.unmapped).toEqual(expected);
  });

  it("counts Kitten as a cat, skips dogs with their count, and maps no label silently to other", async () => {
    const [scanned] = await scanFile(file);
    const [best] = suggestMapping(scanned?.headers ?? [], scanned?.rows ?? [], { scan: scanned });
    expect(new Set(best?.profile.filter?.values)).toEqual(new Set(["Cat", "Kitten"]));
    expect(best?.skipped).toEqual([
      { column: "Animal Type", label: "Dog", rows: rows.filter((r) => r.animalType === "Dog").length },
    ]);
    for (const map of Object.values(best?.profile.values ?? {})) expect(Object.keys(map)).not.toContain("*");
    expect(best?.profile.values.outcomeType).toEqual({
      Adoption: "adoption",
      "Return to Habitat": "return_to_field",
      "Redemption (Offsite)": "return_to_owner",
      DOA: "other",
      Transfer: "transfer_out",
    });
    // The one label mapped to other is DOA, by the platform's convention, and the suggestion says so.
    expect(best?.notes.find((n) => n.label === "DOA")).toMatchObject({ value: "other", rows: countOf("DOA") });
    expect(best?.notes.find((n) => n.label === "DOA")?.note).toMatch(/dead on arrival.*never died_in_care/);
  });

  it("flags a Days in Shelter counted to the export date and does not map it", async () => {
    const [scanned] = await scanFile(file);
    const [best] = suggestMapping(scanned?.headers ?? [], scanned?.rows ?? [], { scan: scanned });
    const disagree = rows.filter((r) => {
      const day = (d: Date) => Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) / 86_400_000;
      return Math.abs(r.daysInShelter - (day(r.outcome) - day(r.intake))) > 1;
    }).length;
    const pct = Math.round((disagree / rows.length) * 100);
    expect(best?.doubtful).toMatchObject([
      { column: "Days in Shelter", field: "daysInShelter", checkedRows: rows.length },
    ]);
    expect(best?.doubtful[0]?.reason).toBe(
      `column Days in Shelter disagrees with the dates (Outcome Date − Intake Date) in ${pct}% of rows; not mapped`,
    );
    expect(best?.profile.columns).not.toHaveProperty("daysInShelter");
  });
});
