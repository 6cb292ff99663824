/**
 * Pins suggested mappings for unknown files and confirmed declarative profiles:
 * - Japanese headers (個体番号, 収容年月日, 収容区分, …) are suggested as intakes with high confidence,
 *   known labels map to canonical values (迷い猫 → stray), others fall back to `*` → other,
 *   and the 動物種 column becomes a cat filter
 * - the real Sonoma headers suggest outcomes with Outcome Date / Outcome Type and a Type = CAT filter
 * - day-first dates are noticed (dateFormat dmy); a file of unrelated columns gets low confidence
 * - a confirmed suggestion (JSON text) becomes a working MappingProfile: records, skips, quarantine
 *   reasons, dedup keys, 和暦 dates
 * - a malformed mapping fails naming the field that is wrong
 */
import { readFileSync } from "node:fs";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { hasSamples, sample } from "../testing/fixtures.js";
import { profileFromSuggestion, renderSuggestion, suggestMapping } from "./suggest-mapping.js";

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
    expect(best?.profile.values.intakeType).toMatchObject({
      迷い猫: "stray",
      所有者からの引取り: "owner_surrender",
      よくわからない: "other",
      "*": "other",
    });
  });

  it("notices day-first dates and gives unrelated columns a low confidence", () => {
    const rows = [{ "Date Received": "13/04/2023", Category: "Noise", Suburb: "ASHGROVE" }];
    const [best] = suggestMapping(["Date Received", "Category", "Suburb"], rows);
    expect(best).toMatchObject({ dataset: "complaints", profile: { dateFormat: "dmy" } });
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
