/**
 * Pins what a job's outcome says about real municipal files (Step 7):
 * - a job that read rows but loaded none fails, naming what was quarantined most (reasons and counts)
 * - a job that quarantined NEEDS_REVIEW_QUARANTINE_SHARE or more of its cat rows (and at least
 *   NEEDS_REVIEW_MIN_QUARANTINED) ends `needs_review`: published, flagged with its top reasons; just
 *   below the share it succeeds
 * - no silent April: a municipality catdata does not know, with a mapping that gives no fiscal-year
 *   start, fails naming the municipality and how to declare it; `fiscalYearStart` declares it;
 *   Japanese codes keep April
 * - a mapped header the file lacks fails the table once, listing the file's headers
 * - a workbook sheet no profile matches is reported as skipped, and the other sheets load
 * - the raw key uses the municipality the mapping declares when the upload names none
 * - the real Brisbane complaints file (../shared/data; skipped without it) with every cat row's period
 *   broken fails naming the reason; with every third one broken it ends needs_review
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { templateHeaders } from "../cats/template.js";
import { silentLogger } from "../log/logger.js";
import { openRuntime, type Runtime } from "../runtime.js";
import { hasSamples, sample, tempConfig, tempDir } from "../testing/fixtures.js";
import { SYDNEY, writeMunicipalitiesFile } from "../testing/municipalities-file.js";
import { ingestFile } from "./ingest.js";
import { NEEDS_REVIEW_MIN_QUARANTINED, NEEDS_REVIEW_QUARANTINE_SHARE } from "./run-job.js";

let runtime: Runtime;
let dir: string;
beforeAll(async () => {
  runtime = await openRuntime(tempConfig(), silentLogger);
  dir = tempDir();
});
afterAll(async () => runtime.close());

const HEADER = "保護日,個体ID,区分,性別,推定年齢";
/** `good` rows that map, then `bad` rows whose 区分 no mapping value covers; ids unique per `tag`. */
function hokenCsv(tag: string, good: number, bad: number, date = "2024/05/10"): string {
  const rows: string[] = [];
  for (let i = 0; i < good; i++) rows.push(`${date},${tag}-${i},迷い猫,オス,子猫`);
  for (let i = 0; i < bad; i++) rows.push(`${date},${tag}-b${i},宇宙,メス,成猫`);
  return `${HEADER}\n${rows.join("\n")}\n`;
}

function writeMapping(name: string, extra: Record<string, unknown> = {}, columns: Record<string, string> = {}) {
  const file = path.join(dir, `${name}.mapping.json`);
  writeFileSync(
    file,
    JSON.stringify({
      format: "catdata-mapping/1",
      name,
      dataset: "intakes",
      species: { declared: "cat" }, // a cat-only file: no species column
      columns: {
        intakeAt: "保護日",
        animalId: "個体ID",
        intakeType: "区分",
        sex: "性別",
        ageClass: "推定年齢",
        ...columns,
      },
      values: {
        intakeType: { 迷い猫: "stray" },
        ageClass: { 子猫: "kitten", 成猫: "adult" },
        sex: { オス: "male", メス: "female" },
      },
      ...extra,
    }),
  );
  return file;
}

const write = (name: string, text: string) => {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
};

describe("job outcomes", () => {
  it("fails a job that loaded 0 rows, naming what was quarantined most", async () => {
    const mapping = writeMapping("all-bad");
    const job = await ingestFile(runtime, write("all-bad.csv", hokenCsv("AB", 0, 7)), {
      municipality: "131041",
      mapping,
    });
    expect(job.status).toBe("failed");
    expect(job.counts).toMatchObject({ read: 7, loaded: 0, quarantined: 7 });
    expect(job.error).toMatch(
      /none of its 7 rows loaded — 7 were quarantined \(7 × label "…" of column "…" is not mapped: add it to values.intakeType/,
    );
    expect(job.error).toMatch(/catdata quarantine/);
    expect(job.error, "no raw cell text in the job record").not.toContain("宇宙");
    // Its rows stay readable, with their reasons.
    expect(await runtime.jobs.readQuarantine(job.jobId)).toHaveLength(7);
  });

  it("flags a job at the quarantine share as needs_review (published) and succeeds just below it", async () => {
    const mapping = writeMapping("share");
    const bad = NEEDS_REVIEW_MIN_QUARANTINED;
    const atShare = Math.round(bad / NEEDS_REVIEW_QUARANTINE_SHARE); // rows read, bad / read = the share exactly
    const at = await ingestFile(runtime, write("at.csv", hokenCsv("AT", atShare - bad, bad)), {
      municipality: "131041",
      mapping,
    });
    expect(at.status, at.error ?? "").toBe("needs_review");
    expect(at.counts).toMatchObject({ read: atShare, loaded: atShare - bad, quarantined: bad });
    expect(at.error).toMatch(new RegExp(`${bad} of ${atShare} cat rows were quarantined`));
    expect(at.error).toMatch(/label "…" of column "…" is not mapped: add it to values.intakeType/);
    const published = await runtime.query.query("SELECT count(*)::INT AS n FROM intakes WHERE animal_id LIKE 'AT-%'");
    expect(published.rows[0]?.n).toBe(atShare - bad);

    const below = await ingestFile(runtime, write("below.csv", hokenCsv("BL", atShare - bad + 1, bad)), {
      municipality: "131041",
      mapping,
    });
    expect(below.status, below.error ?? "").toBe("succeeded");
    expect(below.error).toBeNull();
  });

  it("never defaults the fiscal year to April for a municipality it does not know", async () => {
    const mapping = writeMapping("no-fy");
    const csv = write("sydney.csv", hokenCsv("SY", 2, 0, "2024/05/10"));
    const refused = await ingestFile(runtime, csv, { municipality: "au-nsw-sydney", mapping });
    expect(refused.status).toBe("failed");
    expect(refused.error).toMatch(/no fiscal-year start is known for municipality "au-nsw-sydney"/);
    expect(refused.error).toMatch(/fiscalYearStartMonth.*--fiscal-year-start/);

    const declared = await ingestFile(runtime, csv, { municipality: "au-nsw-sydney", mapping, fiscalYearStart: 7 });
    expect(declared.status, declared.error ?? "").toBe("succeeded");
    const jp = await ingestFile(runtime, write("tokyo.csv", hokenCsv("TK", 2, 0, "2024/05/10")), {
      municipality: "131041",
      mapping,
    });
    expect(jp.status, jp.error ?? "").toBe("succeeded");
    const fy = await runtime.query.query(
      "SELECT municipality, min(fiscal_year)::INT AS fy FROM intakes WHERE animal_id LIKE 'SY-%' OR animal_id LIKE 'TK-%' GROUP BY 1 ORDER BY 1",
    );
    // 10 May 2024: FY 2023 when the year starts in July; FY 2024 under Japan's April rule.
    expect(fy.rows).toEqual([
      { municipality: "131041", fy: 2024 },
      { municipality: "au-nsw-sydney", fy: 2023 },
    ]);
    await expect(
      ingestFile(runtime, csv, { municipality: "au-nsw-sydney", mapping, fiscalYearStart: 13 }),
    ).rejects.toThrow(/not a month 1–12/);
  });

  it("takes a foreign municipality's fiscal year from the deployment's municipalities file", async () => {
    const file = writeMunicipalitiesFile(dir, [SYDNEY]);
    const withFile = await openRuntime(tempConfig({ CATDATA_MUNICIPALITIES_FILE: file }), silentLogger);
    try {
      const job = await ingestFile(withFile, write("sydney-file.csv", hokenCsv("SF", 2, 0, "2024/05/10")), {
        municipality: "au-nsw-sydney",
        mapping: writeMapping("no-fy-file"),
      });
      expect(job.status, job.error ?? "").toBe("succeeded");
      const fy = await withFile.query.query("SELECT DISTINCT fiscal_year::INT AS fy FROM intakes");
      // 10 May 2024 in a July–June year (the file's 7): FY 2023, not April's 2024.
      expect(fy.rows).toEqual([{ fy: 2023 }]);
    } finally {
      await withFile.close();
    }
  });

  it("gives a template row naming a directory municipality that municipality's fiscal year (no upload municipality)", async () => {
    const file = writeMunicipalitiesFile(dir, [SYDNEY]);
    const row = (id: string, date: string) => `au-nsw-sydney,${id},${date},10:30,所有者不明,子猫,,メス,未,良好,中央`;
    const csv = write(
      "sydney-template.csv",
      [templateHeaders("intakes", "ja").join(","), row("SY-1", "2024-05-10"), row("SY-2", "2024-08-01")].join("\n"),
    );
    // Without the directory the code is not known: quarantined, never April by default.
    const plain = await ingestFile(runtime, csv, {});
    expect(plain.counts).toMatchObject({ loaded: 0, quarantined: 2 });
    const withFile = await openRuntime(tempConfig({ CATDATA_MUNICIPALITIES_FILE: file }), silentLogger);
    try {
      const job = await ingestFile(withFile, csv, {});
      expect(job.status, job.error ?? "").toBe("succeeded");
      expect(job.counts).toMatchObject({ loaded: 2, quarantined: 0 });
      const fy = await withFile.query.query(
        "SELECT animal_id, fiscal_year::INT AS fy FROM intakes WHERE municipality = 'au-nsw-sydney' ORDER BY 1",
      );
      // A July–June year: 10 May 2024 is FY 2023, 1 Aug 2024 is FY 2024 (April would give 2024 for both).
      expect(fy.rows).toEqual([
        { animal_id: "SY-1", fy: 2023 },
        { animal_id: "SY-2", fy: 2024 },
      ]);
    } finally {
      await withFile.close();
    }
  });

  it("fails the table once when the mapping names a column the file does not have", async () => {
    const mapping = writeMapping("missing-col", {}, { foundLocation: "発見場所" });
    const job = await ingestFile(runtime, write("missing.csv", hokenCsv("MC", 3, 0)), {
      municipality: "131041",
      mapping,
    });
    expect(job.status).toBe("failed");
    expect(job.error).toContain(
      `the mapping missing-col names column "発見場所", which missing.csv does not have (its headers: ${HEADER.split(",").join(", ")})`,
    );
    expect(job.counts.quarantined).toBe(0);
    expect(await runtime.jobs.readQuarantine(job.jobId)).toEqual([]);
  });

  it("skips a workbook sheet no profile matches, names it, and loads the others", async () => {
    const wb = new ExcelJS.Workbook();
    const summary = wb.addWorksheet("集計");
    summary.addRow(["年度", "合計"]);
    summary.addRow(["2024", "55"]);
    const intakes = wb.addWorksheet("収容");
    intakes.addRow(templateHeaders("intakes", "ja"));
    intakes.addRow(["131041", "WB-1", "2024-05-01", "10:30", "所有者不明", "子猫", "", "メス", "未", "良好", "新宿区"]);
    const file = path.join(dir, "with-summary.xlsx");
    await wb.xlsx.writeFile(file);
    const job = await ingestFile(runtime, file, { municipality: "131041" });
    expect(job.status, job.error ?? "").toBe("succeeded");
    expect(job.tables.map((t) => [t.name, t.profile, t.skipped ?? null])).toEqual([
      ["集計", "", expect.stringMatching(/no mapping profile matches with-summary\.xlsx \(sheet 集計\)/)],
      ["収容", "catdata-template-intakes", null],
    ]);
    expect(job.counts).toMatchObject({ read: 1, loaded: 1, quarantined: 0 });
  });

  it("stores the upload under the municipality the mapping declares", async () => {
    const mapping = writeMapping("portland", { municipality: "us-or-portland", fiscalYearStartMonth: 7 });
    const job = await ingestFile(runtime, write("portland.csv", hokenCsv("PD", 2, 0)), { mapping });
    expect(job.status, job.error ?? "").toBe("succeeded");
    expect(job.key).toMatch(/^raw\/us-or-portland\/\d{4}-\d{2}-\d{2}\/portland\.csv$/);
    expect(job.municipality).toBe("us-or-portland");
    // A named profile's municipality likewise; the upload's own --municipality wins over both.
    const kc = "Animal_ID,Record_Type,Animal_Type\n";
    const named = await ingestFile(runtime, write("kc.csv", kc), { profile: "king-county-lost-found" });
    expect(named.key).toMatch(/^raw\/us-wa-king\//);
    const own = await ingestFile(runtime, write("portland2.csv", hokenCsv("PO", 1, 0)), {
      mapping,
      municipality: "131041",
    });
    expect(own.key).toMatch(/^raw\/131041\//);
  });
});

describe.skipIf(!hasSamples)("job outcomes on the real Brisbane complaints file", () => {
  /** The real file, with the `date_range` of every `every`-th cat row replaced by a name with no period. */
  function broken(every: number): { file: string; cats: number; bad: number } {
    const lines = readFileSync(sample("cats", "australia-rspca-brisbane", "brisbane_complaints.csv"), "utf8").split(
      /\r?\n/,
    );
    let cats = 0;
    let bad = 0;
    const out = lines.map((line, i) => {
      if (i === 0 || !/^"[^"]*","Cat( Trapping)?",/.test(line)) return line;
      cats += 1;
      if ((cats - 1) % every !== 0) return line;
      bad += 1;
      return line.replace(/"[^"]*\.csv"/, '"complaints-export.csv"');
    });
    return { file: write(`brisbane-every-${every}.csv`, out.join("\n")), cats, bad };
  }

  it("fails when every cat row is quarantined, and flags a third quarantined as needs_review", async () => {
    const all = broken(1);
    expect(all.bad).toBe(all.cats);
    const failed = await ingestFile(runtime, all.file);
    expect(failed.status).toBe("failed");
    expect(failed.counts).toMatchObject({ loaded: 0, quarantined: all.cats });
    expect(failed.error).toMatch(
      new RegExp(`none of its \\d+ rows loaded — ${all.cats} were quarantined \\(${all.cats} × `),
    );

    const third = broken(3);
    const flagged = await ingestFile(runtime, third.file);
    expect(flagged.status, flagged.error ?? "").toBe("needs_review");
    expect(flagged.counts).toMatchObject({ loaded: third.cats - third.bad, quarantined: third.bad });
    expect(flagged.error).toMatch(new RegExp(`^${third.bad} of ${third.cats} cat rows were quarantined`));
  }, 60_000);
});
