/**
 * Pins the crawler's formats and the catalog:
 * - an Excel workbook with one sheet per dataset loads every sheet with its own profile; formula cells
 *   are never evaluated (their cached result is used) and an unknown sheet is refused with its name
 * - gzip-compressed CSV loads; a truncated gzip fails with a clear reason
 * - JSON lines load; a broken line is quarantined
 * - a second upload of the same source with a changed header records schema drift
 * - committed files are listed in the catalog, per dataset and partition
 * - a file no profile matches fails with a hint; with a confirmed declarative mapping it loads
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { templateHeaders } from "../cats/template.js";
import { silentLogger } from "../log/logger.js";
import { openRuntime, type Runtime } from "../runtime.js";
import { tempConfig, tempDir } from "../testing/fixtures.js";
import { ingestFile } from "./ingest.js";

let runtime: Runtime;
let dir: string;
beforeAll(async () => {
  runtime = await openRuntime(tempConfig(), silentLogger);
  dir = tempDir();
});
afterAll(async () => runtime.close());

const intakeRow = (id: string, date: string) => [
  "131041",
  id,
  date,
  "10:30",
  "所有者不明",
  "子猫",
  "",
  "メス",
  "未",
  "良好",
  "新宿区西新宿",
];

describe("upload formats", () => {
  it("loads every sheet of a workbook with its own profile and never runs formulas", async () => {
    const wb = new ExcelJS.Workbook();
    const intakes = wb.addWorksheet("収容");
    intakes.addRow(templateHeaders("intakes", "ja"));
    intakes.addRow(intakeRow("X-1", "2024-05-01"));
    const r = intakes.addRow(intakeRow("X-2", "2024-05-02"));
    r.getCell(11).value = { formula: 'HYPERLINK("http://evil.example","click")', result: "公園" };
    intakes.addRow(intakeRow("X-3", "2024-13-01"));
    const complaints = wb.addWorksheet("苦情");
    complaints.addRow(templateHeaders("complaints", "en"));
    complaints.addRow(["131041", "2024-04-03", "", "noise", "Nishi-Shinjuku", ""]);
    const file = path.join(dir, "upload.xlsx");
    await wb.xlsx.writeFile(file);
    const job = await ingestFile(runtime, file, { municipality: "131041" });
    expect(job.status, job.error ?? "").toBe("succeeded");
    expect(job.tables.map((t) => [t.name, t.profile])).toEqual([
      ["収容", "catdata-template-intakes"],
      ["苦情", "catdata-template-complaints"],
    ]);
    expect(job.counts).toMatchObject({ read: 4, loaded: 3, quarantined: 1 });
    expect(job.loadedByDataset).toEqual({ intakes: 2, complaints: 1 });
    const loc = await runtime.query.query("SELECT found_location FROM intakes WHERE animal_id = 'X-2'");
    expect(loc.rows).toEqual([{ found_location: "公園" }]);
  });

  it("refuses a workbook sheet that matches no profile, naming the sheet", async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet("memo").addRow(["foo", "bar"]).commit();
    wb.getWorksheet("memo")?.addRow(["1", "2"]);
    const file = path.join(dir, "memo.xlsx");
    await wb.xlsx.writeFile(file);
    const job = await ingestFile(runtime, file, { municipality: "131041" });
    expect(job.status).toBe("failed");
    expect(job.error).toMatch(/sheet memo/);
    expect(job.attempts).toBe(1);
  });

  it("loads gzip-compressed CSV and fails a truncated one clearly", async () => {
    const csv = `${templateHeaders("intakes", "en").join(",")}\r\n${intakeRow("G-1", "2024-06-01").join(",")}\r\n`;
    const gz = gzipSync(Buffer.from(csv));
    writeFileSync(path.join(dir, "in.csv.gz"), gz);
    const ok = await ingestFile(runtime, path.join(dir, "in.csv.gz"), { municipality: "131041" });
    expect(ok.status, ok.error ?? "").toBe("succeeded");
    expect(ok.counts.loaded).toBe(1);
    writeFileSync(path.join(dir, "cut.csv.gz"), gz.subarray(0, gz.length - 12));
    const cut = await ingestFile(runtime, path.join(dir, "cut.csv.gz"), { municipality: "131041" });
    expect(cut.status).toBe("failed");
    expect(cut.error).toMatch(/damaged gzip|unexpected end/i);
  });

  it("loads JSON lines and quarantines a broken line", async () => {
    const lines = [
      JSON.stringify({ municipality_code: "131041", received_date: "2024-07-01", category: "feeding", area: "A" }),
      "{not json",
      JSON.stringify({ municipality_code: "131041", received_date: "2024-07-02", category: "noise", area: "B" }),
    ];
    writeFileSync(path.join(dir, "complaints.jsonl"), lines.join("\n"));
    const job = await ingestFile(runtime, path.join(dir, "complaints.jsonl"), { municipality: "131041" });
    expect(job.status, job.error ?? "").toBe("succeeded");
    expect(job.counts).toMatchObject({ read: 3, loaded: 2, quarantined: 1 });
  });

  it("records schema drift between uploads of the same source and lists files in the catalog", async () => {
    const headers = templateHeaders("complaints", "en");
    writeFileSync(path.join(dir, "c1.csv"), `${headers.join(",")}\n131041,2024-08-01,,noise,A,\n`);
    const first = await ingestFile(runtime, path.join(dir, "c1.csv"), {
      municipality: "131041",
      profile: "catdata-template-complaints",
    });
    writeFileSync(path.join(dir, "c2.csv"), `${headers.join(",")},reporter\n131041,2024-08-02,,noise,A,,anonymous\n`);
    const second = await ingestFile(runtime, path.join(dir, "c2.csv"), {
      municipality: "131041",
      profile: "catdata-template-complaints",
    });
    expect(first.status).toBe("succeeded");
    expect(second.tables[0]?.drift).toMatchObject({ added: ["reporter"], removed: [] });
    const state = await runtime.lake.readCatalog();
    const files = state.tables.complaints?.files ?? [];
    expect(files.filter((f) => f.jobId === second.jobId)).toEqual([
      expect.objectContaining({ municipality: "131041", fiscalYear: 2024 }),
    ]);
  });

  it("loads an unknown file with a confirmed mapping, after refusing it without one", async () => {
    const csv = path.join(dir, "hoken.csv");
    writeFileSync(
      csv,
      "保護日,個体ID,区分,性別,推定年齢\n2024/04/03,N-1,迷い猫,オス,子猫\n2024/05/10,N-2,引取り,メス,成猫\n2024/05/10,N-3,宇宙,メス,成猫\n",
    );
    const refused = await ingestFile(runtime, csv, { municipality: "131041" });
    expect(refused.status).toBe("failed");
    expect(refused.error).toMatch(/no mapping profile matches/);
    const mapping = path.join(dir, "hoken.mapping.json");
    writeFileSync(
      mapping,
      JSON.stringify({
        format: "catdata-mapping/1",
        name: "hoken-intakes",
        dataset: "intakes",
        species: { declared: "cat" }, // a cat-only file: no species column
        columns: { intakeAt: "保護日", animalId: "個体ID", intakeType: "区分", sex: "性別", ageClass: "推定年齢" },
        values: {
          intakeType: { 迷い猫: "stray", 引取り: "owner_surrender" },
          ageClass: { 子猫: "kitten", 成猫: "adult" },
          sex: { オス: "male", メス: "female" },
        },
        dedup: ["animalId", "intakeAt"],
      }),
    );
    const job = await ingestFile(runtime, csv, { municipality: "131041", mapping });
    expect(job.status, job.error ?? "").toBe("succeeded");
    expect(job.counts).toMatchObject({ read: 3, loaded: 2, quarantined: 1 });
    const rows = await runtime.query.query(
      "SELECT animal_id, intake_type, age_class FROM intakes WHERE animal_id LIKE 'N-%' ORDER BY 1",
    );
    expect(rows.rows).toEqual([
      { animal_id: "N-1", intake_type: "stray", age_class: "kitten" },
      { animal_id: "N-2", intake_type: "owner_surrender", age_class: "adult" },
    ]);
    writeFileSync(mapping, '{"format": "catdata-mapping/1"}');
    await expect(ingestFile(runtime, csv, { municipality: "131041", mapping })).rejects.toThrow(
      /mapping .* is not usable/,
    );
  });
});
