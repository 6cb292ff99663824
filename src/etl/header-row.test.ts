/**
 * Pins tables as offices make them (header-row.ts), through openTables:
 * - a TNR workbook built like a city hall's (instructions sheet, title, note, 捕獲/手術 groups merged
 *   over two header rows, 和暦 dates, a 合計 row, a ※ footnote, a summary sheet): headers flattened, the
 *   data rows exactly the generated ones, the title and note reported above, the total and footnote
 *   reported and not returned, each sheet with its own header, the unit （円） kept as metadata
 * - a Shift_JIS yearly table (title row, 年度 × 引取り/返還/譲渡, an unlabelled sum row, a footnote)
 * - the rule's limits: the header searched in the first HEADER_SCAN_ROWS rows, labels up to
 *   MAX_LABEL_CHARS, footnotes from FOOTNOTE_MIN_CHARS, sums checked from MIN_ROWS_FOR_SUM rows, reported
 *   text cut at REPORTED_TEXT_CHARS; a plain CSV keeps its first line as the header
 */
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { tnrRows, tnrWorkbook, yearlyTableCsv, yearRows } from "../testing/office-workbook.js";
import type { CsvRow } from "./csv-reader.js";
import {
  FOOTNOTE_MIN_CHARS,
  HEADER_SCAN_ROWS,
  MAX_LABEL_CHARS,
  MIN_ROWS_FOR_SUM,
  REPORTED_TEXT_CHARS,
  type TableLayout,
  TableShaper,
} from "./header-row.js";
import { openTables, type TextFormat } from "./tables.js";

interface ReadTable {
  name: string;
  headers: string[];
  rows: CsvRow[];
  layout: TableLayout;
}

async function readAll(data: Buffer, fileName: string, format: TextFormat | { kind: "xlsx" }): Promise<ReadTable[]> {
  const out: ReadTable[] = [];
  for await (const table of openTables(Readable.from([data]), format, fileName)) {
    const rows: CsvRow[] = [];
    for await (const r of table.rows) rows.push(r);
    out.push({ name: table.name, headers: table.headers(), rows, layout: table.layout() });
  }
  return out;
}

/** Runs raw rows through the shaper: the data rows' cells, the header and the layout. */
function shape(lines: string[][]) {
  const shaper = new TableShaper("test.csv");
  const data: string[][] = [];
  lines.forEach((cells, i) => {
    for (const r of shaper.push({ cells, line: i + 1 })) data.push(r.cells);
  });
  for (const r of shaper.end()) data.push(r.cells);
  return { headers: shaper.headers, data, layout: shaper.layout };
}

describe("a TNR workbook as a city hall makes it", () => {
  it("flattens the merged two-row header and returns exactly the data rows", async () => {
    const generated = tnrRows(155);
    const xlsx = await tnrWorkbook(generated, { municipality: "131041", layout: "groups" });
    const tables = await readAll(xlsx, "tnr.xlsx", { kind: "xlsx" });
    expect(tables.map((t) => t.name)).toEqual(["記入方法", "実施記録", "集計"]);
    const data = tables[1] as ReadTable;
    expect(data.headers).toEqual(["実施日", "地区", "捕獲 雄", "捕獲 雌", "手術 雄", "手術 雌", "助成金額（円）"]);
    expect(data.layout.headerRow).toBe(4);
    expect(data.layout.headerRows).toBe(2);
    expect(data.layout.units).toEqual({ "助成金額（円）": "円" });
    expect(data.layout.skippedAbove).toEqual([
      { row: 1, text: "令和5年度 地域猫活動（TNR）実施記録" },
      { row: 3, text: "※単位：頭" },
    ]);
    // Independent counts from the generated rows, category by category.
    expect(data.rows).toHaveLength(generated.length);
    expect(data.rows.every((r) => r.problem === undefined)).toBe(true);
    const sum = (rows: Record<string, string>[], k: string) => rows.reduce((n, r) => n + Number(r[k]), 0);
    const values = data.rows.map((r) => r.values);
    const males = generated.filter((r) => r.sex === "オス").reduce((n, r) => n + r.count, 0);
    const all = generated.reduce((n, r) => n + r.count, 0);
    expect(sum(values, "捕獲 雄")).toBe(males);
    expect(sum(values, "捕獲 雌")).toBe(all - males);
    expect(sum(values, "手術 雌")).toBe(all - males);
    expect(sum(values, "助成金額（円）")).toBe(generated.reduce((n, r) => n + r.subsidy, 0));
    for (const area of new Set(generated.map((r) => r.area))) {
      expect(values.filter((v) => v.地区 === area)).toHaveLength(generated.filter((r) => r.area === area).length);
    }
    expect(values.map((v) => v.実施日).slice(0, 3)).toEqual([
      expect.stringMatching(/^令和5年\d+月\d+日$/),
      expect.stringMatching(/^R5\.\d+\.\d+$/),
      generated[2]?.date,
    ]);
    expect(data.layout.totals).toEqual([{ row: 5 + generated.length + 1, text: expect.stringMatching(/^合　計 \| /) }]);
    expect(data.layout.footnotes).toEqual([
      { row: 5 + generated.length + 3, text: expect.stringMatching(/^※助成金額は/) },
    ]);
    // The other sheets give their own first rows as headers, so a profile is chosen by content.
    expect(tables[0]?.headers).toEqual(["記入方法"]);
    expect(tables[2]?.headers).toEqual(["月", "頭数"]);
  });
});

describe("a Shift_JIS yearly table", () => {
  it("finds the header under the title and keeps the sum row and the footnote out", async () => {
    const years = yearRows();
    const [table] = await readAll(yearlyTableCsv(years), "hikitori.csv", {
      kind: "text",
      encoding: "shift_jis",
      bom: false,
    });
    expect(table?.headers).toEqual(["年度", "引取り", "返還", "譲渡"]);
    expect(table?.layout.skippedAbove).toEqual([{ row: 1, text: "犬猫の引取り等の状況（猫）" }]);
    expect(table?.rows.map((r) => r.values.年度)).toEqual(years.map((y) => y.label));
    for (const [header, key] of [
      ["引取り", "intake"],
      ["返還", "returned"],
      ["譲渡", "adopted"],
    ] as const) {
      expect(table?.rows.map((r) => Number(r.values[header]))).toEqual(years.map((y) => y[key]));
    }
    expect(table?.layout.totals).toHaveLength(1);
    expect(table?.layout.totals[0]?.row).toBe(3 + years.length + 1);
    expect(table?.layout.footnotes.map((f) => f.text)).toEqual([expect.stringMatching(/^※令和元年度は/)]);
  });

  it("keeps a plain CSV's first line as its header and every row, even all-number rows", async () => {
    const csv = "id,count\n1,5\n2,3\n3,8\n";
    const [table] = await readAll(Buffer.from(csv), "plain.csv", { kind: "text", encoding: "utf8", bom: false });
    expect(table?.headers).toEqual(["id", "count"]);
    expect(table?.rows.map((r) => r.values.count)).toEqual(["5", "3", "8"]);
    expect(table?.layout.totals).toEqual([]);
  });
});

describe("the rule's limits", () => {
  const title = (n: number) => Array.from({ length: n }, (_, i) => [`見出し${i}`]);
  const body = [
    ["月", "頭数"],
    ["4月", "3"],
    ["5月", "4"],
  ];

  it(`finds a header on row ${HEADER_SCAN_ROWS}, not one below it`, () => {
    const at = shape([...title(HEADER_SCAN_ROWS - 1), ...body]);
    expect(at.headers).toEqual(["月", "頭数"]);
    expect(at.layout.skippedAbove).toHaveLength(HEADER_SCAN_ROWS - 1);
    expect(at.data).toEqual(body.slice(1));
    const below = shape([...title(HEADER_SCAN_ROWS), ...body]);
    expect(below.headers).toEqual(["見出し0"]);
  });

  it(`reads labels of ${MAX_LABEL_CHARS} characters as a header, not longer`, () => {
    const label = "x".repeat(MAX_LABEL_CHARS);
    expect(shape([["title"], [label, "b"], ["1", "2"]]).headers).toEqual([label, "b"]);
    const long = `${label}x`;
    // One label of two too long: no header row qualifies, so the first row is the header.
    expect(shape([["title"], [long, "b"], ["1", "2"]]).headers).toEqual(["title"]);
  });

  it(`takes a lone first cell of ${FOOTNOTE_MIN_CHARS} characters as a footnote, not shorter`, () => {
    const note = "n".repeat(FOOTNOTE_MIN_CHARS);
    const got = shape([...body, [note], [note.slice(1)]]);
    expect(got.layout.footnotes.map((f) => f.text)).toEqual([note]);
    expect(got.data).toEqual([...body.slice(1), [note.slice(1)]]);
  });

  it(`checks sums from ${MIN_ROWS_FOR_SUM} rows above, and reports a labelled total`, () => {
    const sumOfTwo = shape([
      ["月", "頭数", "件数"],
      ["4月", "3", "1"],
      ["5月", "4", "2"],
      ["", "7", "3"],
    ]);
    expect(sumOfTwo.data).toHaveLength(2);
    expect(sumOfTwo.layout.totals).toEqual([{ row: 4, text: "7 | 3" }]);
    const one = shape([
      ["月", "頭数", "件数"],
      ["4月", "3", "1"],
      ["", "3", "1"],
    ]);
    expect(one.data).toEqual([
      ["4月", "3", "1"],
      ["", "3", "1"],
    ]);
    const labelled = shape([
      ["区分", "頭数"],
      ["a", "1"],
      ["小計", "1"],
      ["b", "2"],
      ["Total", "3"],
    ]);
    expect(labelled.data).toEqual([
      ["a", "1"],
      ["b", "2"],
    ]);
    expect(labelled.layout.totals.map((t) => t.row)).toEqual([3, 5]);
  });

  it(`cuts a reported row's text at ${REPORTED_TEXT_CHARS} characters`, () => {
    const long = "t".repeat(REPORTED_TEXT_CHARS + 50);
    const got = shape([[long], ...body]);
    expect(got.layout.skippedAbove[0]?.text).toBe(`${"t".repeat(REPORTED_TEXT_CHARS)}…`);
  });
});
