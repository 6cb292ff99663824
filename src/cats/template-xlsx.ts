/**
 * The downloadable upload templates (`catdata template`, `GET /api/templates/:dataset`): a CSV that is
 * the template's header row (UTF-8 with BOM, so Excel opens it right), and an .xlsx workbook with the
 * data sheet (header row and one example row; code, date and text columns formatted as text so
 * `011002` keeps its zero and `令和6年7月22日` stays as written) and an instructions sheet that explains
 * each column: what it means, the forms accepted (和暦 included), and whether it is required.
 */
import ExcelJS from "exceljs";
import { PERIOD_FIELDS, renderTemplateCsv, TEMPLATES, type TemplateColumn, type TemplateDataset } from "./template.js";

export const TEMPLATE_LANGS = ["ja", "en"] as const;
export type DownloadLang = (typeof TEMPLATE_LANGS)[number];
export const TEMPLATE_FORMATS = ["csv", "xlsx"] as const;
export type TemplateFormat = (typeof TEMPLATE_FORMATS)[number];

export const TEMPLATE_CONTENT_TYPE: Record<TemplateFormat, string> = {
  csv: "text/csv; charset=utf-8",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
};

/** The file name a download gets: `catdata-intakes-ja.xlsx`. */
export const templateFileName = (dataset: TemplateDataset, lang: DownloadLang, format: TemplateFormat): string =>
  `catdata-${dataset}-${lang}.${format}`;

/** What each column means, by its English header (the same column in every dataset means the same). */
export const COLUMN_MEANING: Readonly<Record<string, readonly [ja: string, en: string]>> = {
  municipality_code: [
    "全国地方公共団体コード（6桁、検査数字を含む）。例: 272035（豊中市）",
    "The 6-digit local government code (全国地方公共団体コード, with its check digit), e.g. 272035 for Toyonaka",
  ],
  animal_id: [
    "施設が付けた個体の番号（収容と転帰を結びつけます）",
    "The shelter's id of the animal (links intakes and outcomes)",
  ],
  intake_date: ["収容した日", "The day the cat was taken in"],
  intake_time: ["収容した時刻", "The time of day the cat was taken in"],
  intake_type: ["収容の理由", "Why the cat was taken in"],
  age_class: ["収容時の年齢区分", "Age class at intake"],
  age_days: ["収容時の推定日齢（日）", "Estimated age at intake, in days"],
  sex: ["性別", "Sex"],
  altered: ["不妊去勢手術の有無", "Whether the cat is spayed or neutered"],
  condition: ["収容時の健康状態（自由記述）", "Health at intake (free text)"],
  found_location: ["発見場所（自由記述）", "Where the cat was found (free text)"],
  outcome_date: ["転帰の日（譲渡・返還・死亡など）", "The day of the outcome (adoption, return, death…)"],
  outcome_time: ["転帰の時刻", "The time of day of the outcome"],
  outcome_type: ["転帰の区分", "What happened to the cat"],
  outcome_detail: ["転帰の詳細（自由記述）", "Details of the outcome (free text)"],
  days_in_shelter: ["在所日数（日）", "Days in the shelter"],
  operation_date: ["不妊去勢手術の実施日", "The day of the spay/neuter operation"],
  area: ["地区（自由記述）", "District or area (free text)"],
  count: ["手術した頭数", "How many cats were operated on"],
  subsidy_amount_jpy: ["助成金額（円）", "Subsidy paid, in yen"],
  received_date: [
    "苦情の受付日（または集計期間の初日）",
    "The day the complaint was received (or the first day of its period)",
  ],
  period_end: [
    "集計期間の最終日（期間でまとめた場合）",
    "The last day of the period, for complaints counted by period",
  ],
  category: ["苦情の区分", "What the complaint is about"],
  location: ["場所（自由記述）", "Place (free text)"],
};

const EXAMPLE_TEXT: Readonly<Record<string, readonly [ja: string, en: string]>> = {
  municipality_code: ["131041", "131041"],
  animal_id: ["2024-0001", "2024-0101"],
  intake_time: ["13:05", "13:05"],
  outcome_time: ["15:30", "15:30"],
  age_days: ["60", "60"],
  days_in_shelter: ["12", "12"],
  count: ["3", "3"],
  subsidy_amount_jpy: ["10000", "10000"],
  condition: ["良好", "healthy"],
  found_location: ["新宿区西新宿2丁目", "Nishi-Shinjuku 2-chome"],
  outcome_detail: ["", ""],
  area: ["北地区", "North district"],
  location: ["公園", "park"],
  period_end: ["", ""],
};

/** One example cell: 和暦 dates in the Japanese template, ISO dates in the English one, a value's first label. */
function exampleCell(column: TemplateColumn, lang: DownloadLang): string {
  const text = EXAMPLE_TEXT[column.en];
  if (text) return text[lang === "ja" ? 0 : 1];
  if (column.kind === "date") return lang === "ja" ? "令和6年7月22日" : "2024-07-22";
  if (column.values?.[0]) return column.values[0][lang];
  return "";
}

function acceptedForms(column: TemplateColumn, lang: DownloadLang): string {
  const ja = lang === "ja";
  switch (column.kind) {
    case "code":
      return column.field === "municipality"
        ? ja
          ? "6桁の数字（先頭の0も入力）"
          : "6 digits (keep a leading 0)"
        : ja
          ? "文字または数字"
          : "letters or digits";
    case "date": {
      const days = "2024-07-22, 2024/7/22, 令和6年7月22日, R6.7.22, 令和元年5月1日";
      const periods = PERIOD_FIELDS[column.field]
        ? ja
          ? "; 月や年度も可: 令和2年6月, June 2020, 令和5年度"
          : "; a month or fiscal year too: 令和2年6月, June 2020, 令和5年度"
        : "";
      return `${days}${periods}`;
    }
    case "time":
      return ja ? "時:分（24時間制）例: 13:05" : "hours:minutes (24-hour), e.g. 13:05";
    case "integer":
      return ja ? "0以上の整数（桁区切りのカンマ可）" : "a whole number ≥ 0 (thousands separators allowed)";
    case "enum":
    case "boolean":
      return (column.values ?? []).map((v) => (ja ? v.ja : `${v.en} (${v.ja})`)).join(" / ");
    default:
      return ja ? "自由記述" : "free text";
  }
}

/** The instructions sheet's rows: header, meaning, accepted forms, required — one per column. */
export function templateInstructions(dataset: TemplateDataset, lang: DownloadLang): string[][] {
  const ja = lang === "ja";
  const columns: readonly TemplateColumn[] = TEMPLATES[dataset];
  return [
    ja ? ["列名", "意味", "入力できる形式", "必須"] : ["Column", "Meaning", "Accepted forms", "Required"],
    ...columns.map((c) => [
      c[lang],
      COLUMN_MEANING[c.en]?.[ja ? 0 : 1] ?? c[lang],
      acceptedForms(c, lang),
      c.required ? (ja ? "必須" : "required") : ja ? "任意" : "optional",
    ]),
  ];
}

const DATA_SHEET: Record<DownloadLang, string> = { ja: "データ", en: "data" };
const INSTRUCTIONS_SHEET: Record<DownloadLang, string> = { ja: "記入方法", en: "instructions" };
const NOTE: Record<DownloadLang, string> = {
  ja: "「データ」シートの2行目は記入例です。削除するか実際のデータで上書きしてからアップロードしてください。",
  en: "Row 2 of the data sheet is an example: delete it or overwrite it with real data before uploading.",
};

/** The template as a downloadable file. `now` stamps the workbook (creation date), for reproducible files. */
export async function renderTemplateFile(
  dataset: TemplateDataset,
  lang: DownloadLang,
  format: TemplateFormat,
  now: () => Date = () => new Date(),
): Promise<Buffer> {
  if (format === "csv") return renderTemplateCsv(dataset, [], { lang, encoding: "utf8" });
  const columns: readonly TemplateColumn[] = TEMPLATES[dataset];
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "catdata";
  workbook.created = now();
  workbook.modified = workbook.created;
  const data = workbook.addWorksheet(DATA_SHEET[lang], { views: [{ state: "frozen", ySplit: 1 }] });
  data.columns = columns.map((c) => ({
    header: c[lang],
    width: Math.max(12, c[lang].length * 2 + 2),
    style: c.kind === "integer" ? {} : { numFmt: "@" },
  }));
  data.addRow(columns.map((c) => exampleCell(c, lang)));
  data.getRow(1).font = { bold: true };
  const help = workbook.addWorksheet(INSTRUCTIONS_SHEET[lang]);
  for (const row of templateInstructions(dataset, lang)) help.addRow(row);
  help.addRow([]);
  help.addRow([NOTE[lang]]);
  help.getRow(1).font = { bold: true };
  help.columns.forEach((col, i) => {
    col.width = [22, 48, 60, 10][i] ?? 12;
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
