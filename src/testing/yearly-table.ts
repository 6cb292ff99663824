import ExcelJS from "exceljs";
import iconv from "iconv-lite";
import { seeded } from "./office-workbook.js";

/**
 * Yearly tables as Japanese offices publish them (引取り・返還・譲渡・殺処分 per 年度), for the tests
 * of wide-table.ts and of the marts: (1) a Shift_JIS CSV with a title row, a unit note, the header
 * 年度,引取り,返還,譲渡,殺処分, rows 平成30年度…令和5年度 and a 合計 row; (2) the periods-as-columns
 * workbook (.xlsx: rows 引取り/返還/譲渡, columns 令和3年度…令和5年度, a 合計 column-free 合計 row).
 * Values come from a seeded generator; a test counts what it expects from `years`, never from the reader.
 */
export interface YearFigures {
  /** 年度 label as published. */
  label: string;
  /** The fiscal year it names (written by hand here, not parsed). */
  fiscalYear: number;
  /** Column header → figure; null = a blank cell, "-" = a dash cell. */
  cells: Record<string, number | null | "-">;
}

export const YEARLY_MEASURES = [
  ["引取り", "intakes"],
  ["返還", "returns_to_owner"],
  ["譲渡", "adoptions"],
  ["殺処分", "euthanasia"],
] as const;

const YEARS: readonly [string, number][] = [
  ["平成30年度", 2018],
  ["令和元年度", 2019],
  ["令和2年度", 2020],
  ["2021年度", 2021],
  ["令和4年度", 2022],
  ["令和5年度", 2023],
];

/** Six years of figures; `blank` / `dash` put a blank or a dash cell at [year index, header]. */
export function yearlyFigures(
  seed = 7,
  holes: { blank?: [number, string][]; dash?: [number, string][] } = {},
): YearFigures[] {
  const rnd = seeded(seed);
  return YEARS.map(([label, fiscalYear], i) => {
    const cells: YearFigures["cells"] = {};
    for (const [header] of YEARLY_MEASURES) cells[header] = 1 + Math.floor(rnd() * 900);
    for (const [y, h] of holes.blank ?? []) if (y === i) cells[h] = null;
    for (const [y, h] of holes.dash ?? []) if (y === i) cells[h] = "-";
    return { label, fiscalYear, cells };
  });
}

const text = (v: number | null | "-") =>
  v === null ? "" : v === "-" ? "－" : v >= 1000 ? v.toLocaleString("en") : String(v);

/** (1) The Shift_JIS CSV, periods as rows, with a title, a unit note and a 合計 row. */
export function yearlyCsv(years: YearFigures[]): Buffer {
  const headers = YEARLY_MEASURES.map(([h]) => h);
  const pad = ",".repeat(headers.length);
  const total = (h: string) =>
    years.reduce((n, y) => n + (typeof y.cells[h] === "number" ? (y.cells[h] as number) : 0), 0);
  const lines = [
    `犬猫の引取り等の状況（猫）${pad}`,
    `（単位：頭）${pad}`,
    ["年度", ...headers].join(","),
    ...years.map((y) => [y.label, ...headers.map((h) => text(y.cells[h] ?? null))].join(",")),
    ["合計", ...headers.map((h) => String(total(h)))].join(","),
  ];
  return iconv.encode(`${lines.join("\r\n")}\r\n`, "cp932");
}

/** (2) The periods-as-columns workbook: a title, then 区分 × 令和3年度…令和5年度, then 合計. */
export async function yearlyColumnsXlsx(years: YearFigures[], measures: readonly string[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet("引取り等");
  ws.getCell("A1").value = "犬猫の引取り等の状況（猫）";
  ws.getCell("A2").value = "（単位：頭）";
  ws.addRow(["区分", ...years.map((y) => y.label)]);
  for (const m of measures) ws.addRow([m, ...years.map((y) => (y.cells[m] === "-" ? "－" : y.cells[m]))]);
  ws.addRow([
    "合計",
    ...years.map((y) =>
      measures.reduce((n, m) => n + (typeof y.cells[m] === "number" ? (y.cells[m] as number) : 0), 0),
    ),
  ]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The wide mapping of the CSV (periods as rows). */
export const yearlyRowsMapping = (municipality: string, extra: Record<string, unknown> = {}) => ({
  format: "catdata-mapping/1",
  name: "yearly-hikitori",
  dataset: "aggregates",
  municipality,
  columns: { fiscalYear: "年度" },
  constants: { species: "cat" },
  measures: YEARLY_MEASURES.map(([column, metric]) => ({ column, metric })),
  ...extra,
});

/** The wide mapping of the workbook (periods as columns, rows named by 区分). */
export const yearlyColumnsMapping = (municipality: string) => ({
  format: "catdata-mapping/1",
  name: "yearly-hikitori-columns",
  dataset: "aggregates",
  municipality,
  periods: "columns",
  columns: { metric: "区分" },
  constants: { species: "cat" },
  values: { metric: Object.fromEntries(YEARLY_MEASURES.map(([h, m]) => [h, m])) },
});
