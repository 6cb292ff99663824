/**
 * Pins the downloadable templates:
 * - the CSV is the template's header row, UTF-8 with a BOM, for every dataset and language
 * - the .xlsx read back through the platform's own reader (openTables): the data sheet has the
 *   header row and one example row; the instructions sheet one row per column with its meaning,
 *   accepted forms (和暦 dates included) and required/optional as the template says
 * - the workbook as downloaded loads its example row; a filled-in copy (example replaced by rows
 *   written in every date form the instructions list) loads with the template profile, and the counts
 *   per category equal a count over the generated rows
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestFile } from "../etl/ingest.js";
import { openTables } from "../etl/tables.js";
import { silentLogger } from "../log/logger.js";
import { openRuntime, type Runtime } from "../runtime.js";
import { tempConfig, tempDir } from "../testing/fixtures.js";
import { TEMPLATE_DATASETS, TEMPLATES, templateHeaders } from "./template.js";
import { COLUMN_MEANING, renderTemplateFile, TEMPLATE_LANGS, templateInstructions } from "./template-xlsx.js";

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const NOW = () => new Date("2026-04-01T00:00:00Z");
const dir = tempDir();
let runtime: Runtime;
beforeAll(async () => {
  runtime = await openRuntime(tempConfig(), silentLogger);
});
afterAll(async () => runtime.close());

async function readBack(data: Buffer) {
  const out: { name: string; headers: string[]; rows: Record<string, string>[] }[] = [];
  for await (const table of openTables(Readable.from([data]), { kind: "xlsx" }, "template.xlsx")) {
    const rows: Record<string, string>[] = [];
    for await (const r of table.rows) rows.push(r.values);
    out.push({ name: table.name, headers: table.headers(), rows });
  }
  return out;
}

describe("template downloads", () => {
  it.each(TEMPLATE_DATASETS.flatMap((d) => TEMPLATE_LANGS.map((l) => [d, l] as const)))(
    "%s/%s CSV is the header row, UTF-8 with BOM",
    async (dataset, lang) => {
      const csv = await renderTemplateFile(dataset, lang, "csv", NOW);
      expect(csv.subarray(0, 3).equals(BOM)).toBe(true);
      expect(csv.subarray(3).toString("utf8")).toBe(`${templateHeaders(dataset, lang).join(",")}\r\n`);
    },
  );

  it.each(TEMPLATE_DATASETS.flatMap((d) => TEMPLATE_LANGS.map((l) => [d, l] as const)))(
    "%s/%s xlsx reads back: header and example row, and an instructions row per column",
    async (dataset, lang) => {
      const [data, help] = await readBack(await renderTemplateFile(dataset, lang, "xlsx", NOW));
      expect(data?.headers).toEqual(templateHeaders(dataset, lang));
      expect(data?.rows).toHaveLength(1);
      for (const column of TEMPLATES[dataset]) {
        if (column.required) expect(data?.rows[0]?.[column[lang]], column.en).not.toBe("");
        expect(COLUMN_MEANING[column.en], `meaning of ${column.en}`).toBeDefined();
      }
      const [headerRow, ...rows] = templateInstructions(dataset, lang);
      expect(help?.headers).toEqual(headerRow);
      const byColumn = new Map((help?.rows ?? []).map((r) => [r[headerRow![0]!], r]));
      for (const column of TEMPLATES[dataset]) {
        const row = byColumn.get(column[lang]);
        expect(row, column[lang]).toBeDefined();
        const required = row?.[headerRow![3]!];
        expect(required).toBe(
          column.required ? (lang === "ja" ? "必須" : "required") : lang === "ja" ? "任意" : "optional",
        );
        if (column.kind === "date") expect(row?.[headerRow![2]!]).toContain("令和6年7月22日");
      }
      expect(rows).toHaveLength(TEMPLATES[dataset].length);
    },
  );

  it.each(TEMPLATE_DATASETS.flatMap((d) => TEMPLATE_LANGS.map((l) => [d, l] as const)))(
    "loads the %s/%s workbook's example row as downloaded",
    async (dataset, lang) => {
      const file = path.join(dir, `as-downloaded-${dataset}-${lang}.xlsx`);
      writeFileSync(file, await renderTemplateFile(dataset, lang, "xlsx", NOW));
      const job = await ingestFile(runtime, file, { municipality: "131041" });
      expect(job.status, job.error ?? "").toBe("succeeded");
      expect(job.counts).toMatchObject({ read: 1, loaded: 1, quarantined: 0 });
      expect(job.tables.find((t) => !t.skipped)?.profile).toBe(`catdata-template-${dataset}`);
    },
  );

  it("loads a filled-in copy with the template profile, counts per category as written", async () => {
    // Every date form the instructions list, and labels of several intake types.
    const dates = ["2024-07-22", "2024/7/23", "令和6年7月24日", "R6.7.25", "令和元年5月1日"];
    const types = [
      ["所有者不明", "stray"],
      ["所有者からの引取り", "owner_surrender"],
      ["負傷動物", "stray"],
      ["譲渡後の返還", "return"],
      ["所内出生", "born_in_care"],
      ["緊急保護（虐待・多頭飼育崩壊）", "seized"],
      ["その他", "other"],
    ] as const;
    const rows = Array.from({ length: 23 }, (_, i) => ({
      id: `TY-${i}`,
      date: dates[i % dates.length]!,
      label: types[(i * 3) % types.length]![0],
      canonical: types[(i * 3) % types.length]![1],
    }));
    const expected: Record<string, number> = {};
    for (const r of rows) expected[r.canonical] = (expected[r.canonical] ?? 0) + 1;

    const book = new ExcelJS.Workbook();
    const downloaded = await renderTemplateFile("intakes", "ja", "xlsx", NOW);
    await book.xlsx.load(
      downloaded.buffer.slice(downloaded.byteOffset, downloaded.byteOffset + downloaded.length) as ArrayBuffer,
    );
    const sheet = book.getWorksheet("データ")!;
    sheet.spliceRows(2, 1);
    const headers = templateHeaders("intakes", "ja");
    for (const r of rows) {
      const cells: Record<string, string> = {
        市区町村コード: "272035",
        個体番号: r.id,
        収容日: r.date,
        収容区分: r.label,
      };
      sheet.addRow(headers.map((h) => cells[h] ?? ""));
    }
    const file = path.join(dir, "filled.xlsx");
    await book.xlsx.writeFile(file);
    const job = await ingestFile(runtime, file, { municipality: "272035" });
    expect(job.status, job.error ?? "").toBe("succeeded");
    expect(job.counts).toMatchObject({ read: rows.length, loaded: rows.length, quarantined: 0 });
    expect(job.tables.find((t) => !t.skipped)?.profile).toBe("catdata-template-intakes");
    const result = await runtime.query.query(
      "SELECT intake_type, count(*) AS n FROM intakes WHERE municipality = '272035' GROUP BY 1",
    );
    expect(Object.fromEntries(result.rows.map((r) => [String(r.intake_type), Number(r.n)]))).toEqual(expected);
  });
});
