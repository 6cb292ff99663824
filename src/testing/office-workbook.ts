import ExcelJS from "exceljs";
import iconv from "iconv-lite";

/**
 * Files built the way city halls make them, for the tests of header-row.ts and of the ingest: a TNR
 * workbook (an instructions sheet, a data sheet with a title, a note, a header over two rows with merged
 * cells, 和暦 dates written three ways, a 合計 row and a ※ footnote, and a summary sheet), and a
 * Shift_JIS yearly table (引取り・返還・譲渡 per 年度, a title row, an unlabelled sum row, a footnote).
 * Rows come from a seeded generator, so a test counts what it expects from them, not from the reader.
 */
export interface TnrRow {
  /** ISO date of the operation. */
  date: string;
  area: string;
  sex: "オス" | "メス";
  count: number;
  subsidy: number;
}

/** A small deterministic generator (LCG), so that a failing case can be rebuilt. */
export function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const AREAS = ["北区", "中央区", "南区", "東町", "西町"];

/** `n` TNR operations between April 2023 and March 2024 (令和5年度). */
export function tnrRows(n: number, seed = 5): TnrRow[] {
  const rnd = seeded(seed);
  const start = Date.UTC(2023, 3, 1);
  return Array.from({ length: n }, () => {
    const date = new Date(start + Math.floor(rnd() * 366) * 86_400_000).toISOString().slice(0, 10);
    return {
      date,
      area: AREAS[Math.floor(rnd() * AREAS.length)] as string,
      sex: rnd() < 0.5 ? "オス" : "メス",
      count: 1 + Math.floor(rnd() * 3),
      subsidy: (1 + Math.floor(rnd() * 4)) * 5000,
    };
  });
}

/** The date as a city hall writes it: `令和5年7月22日`, `R5.8.19`, or a real Excel date cell. */
export function warekiCell(iso: string, style: number): string | Date {
  const [y, m, d] = iso.split("-").map(Number) as [number, number, number];
  const era = y - 2018;
  if (style % 3 === 0) return `令和${era}年${m}月${d}日`;
  if (style % 3 === 1) return `R${era}.${m}.${d}`;
  return new Date(Date.UTC(y, m - 1, d));
}

export interface TnrWorkbookOptions {
  municipality: string;
  /** The header layout: catdata's template headers (merged down over two rows), or a 捕獲/手術 group layout. */
  layout: "template" | "groups";
}

function instructions(wb: ExcelJS.Workbook): void {
  const ws = wb.addWorksheet("記入方法");
  ws.addRow(["記入方法"]);
  ws.addRow(["1. 実施日は和暦（例：令和5年7月22日、R5.8.19）で記入してください。"]);
  ws.addRow(["2. 頭数は手術を行った猫の頭数です。"]);
}

/** A TNR workbook as a city hall keeps it; its data sheet is 実施記録. */
export async function tnrWorkbook(rows: TnrRow[], options: TnrWorkbookOptions): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  instructions(wb);
  const ws = wb.addWorksheet("実施記録");
  ws.getCell("A1").value = "令和5年度 地域猫活動（TNR）実施記録";
  ws.mergeCells("A1:F1");
  ws.getCell("A3").value = "※単位：頭";
  if (options.layout === "template") {
    const top = ["市区町村コード", "実施日", "地区", "性別", "頭数（頭）", "助成金額（円）", "備考", ""];
    top.forEach((t, i) => {
      if (t) ws.getCell(4, i + 1).value = t;
    });
    for (let c = 1; c <= 6; c++) ws.mergeCells(4, c, 5, c);
    ws.mergeCells(4, 7, 4, 8);
    ws.getCell(5, 7).value = "捕獲者";
    ws.getCell(5, 8).value = "連絡先";
    rows.forEach((r, i) => {
      ws.addRow([options.municipality, warekiCell(r.date, i), r.area, r.sex, r.count, r.subsidy, "地域住民", ""]);
    });
    const total = (k: "count" | "subsidy") => rows.reduce((n, r) => n + r[k], 0);
    ws.addRow(["合計", "", "", "", total("count"), total("subsidy")]);
  } else {
    ws.getCell("A4").value = "実施日";
    ws.getCell("B4").value = "地区";
    ws.getCell("C4").value = "捕獲";
    ws.getCell("E4").value = "手術";
    ws.getCell("G4").value = "助成金額（円）";
    for (const c of [1, 2, 7]) ws.mergeCells(4, c, 5, c);
    ws.mergeCells("C4:D4");
    ws.mergeCells("E4:F4");
    ["雄", "雌", "雄", "雌"].forEach((t, i) => {
      ws.getCell(5, i + 3).value = t;
    });
    rows.forEach((r, i) => {
      const male = r.sex === "オス" ? r.count : 0;
      ws.addRow([warekiCell(r.date, i), r.area, male, r.count - male, male, r.count - male, r.subsidy]);
    });
    const col = (k: number) => rows.reduce((n, r) => n + (k === 0 ? (r.sex === "オス" ? r.count : 0) : r.count), 0);
    const males = col(0);
    const females = col(1) - males;
    ws.addRow(["合　計", "", males, females, males, females, rows.reduce((n, r) => n + r.subsidy, 0)]);
  }
  ws.addRow([]);
  ws.addRow(["※助成金額は手術1件あたりの市の助成額（上限1万5千円）を記載しています。"]);
  const summary = wb.addWorksheet("集計");
  summary.addRow(["月", "頭数"]);
  summary.addRow(["4月", rows.filter((r) => r.date.slice(5, 7) === "04").reduce((n, r) => n + r.count, 0)]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export interface YearRow {
  /** 年度 label as published: 平成30年度, 令和元年度, 令和5年度. */
  label: string;
  intake: number;
  returned: number;
  adopted: number;
}

/** 平成30年度 … 令和5年度 with seeded counts. */
export function yearRows(seed = 3): YearRow[] {
  const rnd = seeded(seed);
  const labels = ["平成30年度", "令和元年度", "令和2年度", "令和3年度", "令和4年度", "令和5年度"];
  return labels.map((label) => ({
    label,
    intake: 100 + Math.floor(rnd() * 400),
    returned: Math.floor(rnd() * 40),
    adopted: Math.floor(rnd() * 120),
  }));
}

/** The yearly table as a Shift_JIS CSV saved from Excel (trailing commas on the title row, a sum row). */
export function yearlyTableCsv(rows: YearRow[]): Buffer {
  const sum = (k: "intake" | "returned" | "adopted") => rows.reduce((n, r) => n + r[k], 0);
  const lines = [
    "犬猫の引取り等の状況（猫）,,,",
    ",,,",
    "年度,引取り,返還,譲渡",
    ...rows.map((r) => `${r.label},${r.intake},${r.returned},${r.adopted}`),
    `,${sum("intake")},${sum("returned")},${sum("adopted")}`,
    "※令和元年度は台風の影響により一部の保健所の数値を含みません。,,,",
  ];
  return iconv.encode(`${lines.join("\r\n")}\r\n`, "cp932");
}
