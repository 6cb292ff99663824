/**
 * catdata's own upload template: one CSV layout per dataset that a Japanese municipality fills in.
 * Every column has a Japanese and an English header; coded columns list their Japanese and English
 * labels and the canonical value (model.ts) each maps to. The definitions are plain data: the ETL
 * mapping profile reads them; `renderTemplateCsv` writes files in the layout (Excel-friendly).
 */
import iconv from "iconv-lite";
import { badInput } from "../errors.js";
import { headerWithoutUnit } from "./header-unit.js";
import type { DatasetRecordMap } from "./model.js";

export const TEMPLATE_DATASETS = ["intakes", "outcomes", "tnr", "complaints"] as const;
export type TemplateDataset = (typeof TEMPLATE_DATASETS)[number];
export type TemplateLang = "ja" | "en";
export type TemplateEncoding = "utf8" | "shift_jis";
/** `date`/`time` read the date or HH:MM part of an ISO value; `boolean` maps true/false/unknown. */
export type ColumnKind = "code" | "text" | "date" | "time" | "integer" | "enum" | "boolean";

export interface TemplateValue {
  /** Canonical value: a model.ts enum member, or "true" / "false" / "unknown" for booleans. */
  canonical: string;
  ja: string;
  en: string;
  /** Other spellings accepted on upload (the canonical value itself is always accepted). */
  aliases?: readonly string[];
}

export interface TemplateColumn {
  /** The canonical record field (model.ts) the column fills. */
  field: string;
  ja: string;
  en: string;
  kind: ColumnKind;
  required: boolean;
  values?: readonly TemplateValue[];
  /** Record field that keeps the label as written (`intakeTypeOriginal`), preferred when rendering. */
  originalField?: string;
}

type FieldOf<D extends TemplateDataset> = keyof DatasetRecordMap[D] & string;
type ColumnsOf<D extends TemplateDataset> = readonly (TemplateColumn & {
  field: FieldOf<D>;
  originalField?: FieldOf<D>;
})[];
export type TemplateDefinitions = { [D in TemplateDataset]: ColumnsOf<D> };

const v = (canonical: string, ja: string, en: string, ...aliases: string[]): TemplateValue => ({
  canonical,
  ja,
  en,
  aliases,
});

export const INTAKE_TYPE_VALUES = [
  v("stray", "所有者不明", "stray", "所有者不明の猫", "迷い猫", "野良猫", "拾得"),
  v("stray", "負傷動物", "injured stray", "負傷", "負傷猫", "injured"),
  v("owner_surrender", "所有者からの引取り", "owner surrender", "所有者からの引取", "飼い主からの引取り", "引取り"),
  v("seized", "緊急保護（虐待・多頭飼育崩壊）", "seized", "緊急保護", "押収", "虐待"),
  v("born_in_care", "所内出生", "born in care", "収容中出生"),
  v("return", "譲渡後の返還", "returned after adoption", "返戻"),
  v("transfer_in", "他施設からの移入", "transfer in", "移入"),
  v("other", "その他", "other"),
];

export const OUTCOME_TYPE_VALUES = [
  v("return_to_owner", "返還", "return to owner", "飼い主へ返還"),
  v("adoption", "譲渡", "adoption", "個人譲渡", "一般譲渡"),
  v("transfer_out", "団体譲渡", "transfer to partner group", "登録団体への譲渡", "transfer"),
  v("return_to_field", "地域猫として元の場所へ", "return to field (TNR)", "元の場所へ戻す", "地域猫", "TNR", "RTF"),
  v("euthanasia", "殺処分", "euthanasia", "安楽死", "処分"),
  v("died_in_care", "所内死亡", "died in care", "収容中死亡", "死亡"),
  v("lost", "逸走", "lost", "脱走"),
  v("other", "その他", "other"),
];

export const SEX_VALUES = [
  v("male", "オス", "male", "雄", "♂", "m", "おす"),
  v("female", "メス", "female", "雌", "♀", "f", "めす"),
  v("unknown", "不明", "unknown", "?"),
];

export const AGE_CLASS_VALUES = [
  v("adult", "成猫", "adult", "成獣"),
  v("kitten", "子猫", "kitten", "仔猫", "幼齢", "乳飲み子"),
  v("unknown", "不明", "unknown"),
];

export const ALTERED_VALUES = [
  v("true", "済", "yes", "済み", "手術済", "あり", "有"),
  v("false", "未", "no", "未実施", "なし", "無"),
  v("unknown", "不明", "unknown", ""),
];

export const COMPLAINT_CATEGORY_VALUES = [
  v("feces_urine", "糞尿被害", "feces and urine", "糞尿", "ふん尿", "フン害"),
  v("noise", "鳴き声", "noise", "騒音", "発情期の鳴き声"),
  v("feeding", "餌やり", "feeding", "無責任な餌やり", "置き餌"),
  v("garbage", "ごみ荒らし", "garbage raiding", "ゴミ荒らし"),
  v("trespass", "庭への侵入", "trespass into gardens", "敷地内侵入", "侵入"),
  v("injured_or_dead", "負傷・死体", "injured or dead cat", "死体", "負傷猫"),
  v("hoarding", "多頭飼育", "hoarding", "多頭飼育崩壊"),
  v("other", "その他", "other"),
];

/**
 * Fields that hold a reporting period's start or end (model.ts: a complaint's `receivedOn` is the
 * first day of its period when only a period is known). There a month (`令和2年6月`) or a fiscal year
 * (`令和5年度`) is a period: its first day, or its last for `end`. Elsewhere a day is needed.
 */
export const PERIOD_FIELDS: Readonly<Record<string, "start" | "end">> = { receivedOn: "start", periodEnd: "end" };

const MUNICIPALITY = {
  field: "municipality",
  ja: "市区町村コード",
  en: "municipality_code",
  kind: "code",
  required: true,
} as const;

export const TEMPLATES: TemplateDefinitions = {
  intakes: [
    MUNICIPALITY,
    { field: "animalId", ja: "個体番号", en: "animal_id", kind: "code", required: true },
    { field: "intakeAt", ja: "収容日", en: "intake_date", kind: "date", required: true },
    { field: "intakeAt", ja: "収容時刻", en: "intake_time", kind: "time", required: false },
    {
      field: "intakeType",
      ja: "収容区分",
      en: "intake_type",
      kind: "enum",
      required: true,
      values: INTAKE_TYPE_VALUES,
      originalField: "intakeTypeOriginal",
    },
    { field: "ageClass", ja: "年齢区分", en: "age_class", kind: "enum", required: false, values: AGE_CLASS_VALUES },
    { field: "ageDays", ja: "推定日齢", en: "age_days", kind: "integer", required: false },
    { field: "sex", ja: "性別", en: "sex", kind: "enum", required: false, values: SEX_VALUES },
    { field: "altered", ja: "不妊去勢", en: "altered", kind: "boolean", required: false, values: ALTERED_VALUES },
    { field: "condition", ja: "健康状態", en: "condition", kind: "text", required: false },
    { field: "foundLocation", ja: "発見場所", en: "found_location", kind: "text", required: false },
  ],
  outcomes: [
    MUNICIPALITY,
    { field: "animalId", ja: "個体番号", en: "animal_id", kind: "code", required: true },
    { field: "outcomeAt", ja: "転帰日", en: "outcome_date", kind: "date", required: true },
    { field: "outcomeAt", ja: "転帰時刻", en: "outcome_time", kind: "time", required: false },
    {
      field: "outcomeType",
      ja: "転帰区分",
      en: "outcome_type",
      kind: "enum",
      required: true,
      values: OUTCOME_TYPE_VALUES,
      originalField: "outcomeTypeOriginal",
    },
    { field: "outcomeSubtypeOriginal", ja: "転帰詳細", en: "outcome_detail", kind: "text", required: false },
    { field: "daysInShelter", ja: "在所日数", en: "days_in_shelter", kind: "integer", required: false },
  ],
  tnr: [
    MUNICIPALITY,
    { field: "operatedOn", ja: "実施日", en: "operation_date", kind: "date", required: true },
    { field: "area", ja: "地区", en: "area", kind: "text", required: false },
    { field: "sex", ja: "性別", en: "sex", kind: "enum", required: true, values: SEX_VALUES },
    { field: "count", ja: "頭数", en: "count", kind: "integer", required: true },
    { field: "subsidyAmount", ja: "助成金額", en: "subsidy_amount_jpy", kind: "integer", required: false },
  ],
  complaints: [
    MUNICIPALITY,
    { field: "receivedOn", ja: "受付日", en: "received_date", kind: "date", required: true },
    { field: "periodEnd", ja: "期間終了日", en: "period_end", kind: "date", required: false },
    {
      field: "category",
      ja: "苦情区分",
      en: "category",
      kind: "enum",
      required: true,
      values: COMPLAINT_CATEGORY_VALUES,
    },
    { field: "area", ja: "地区", en: "area", kind: "text", required: false },
    { field: "location", ja: "場所", en: "location", kind: "text", required: false },
  ],
};

const norm = (s: string): string =>
  s
    .normalize("NFKC")
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, " ");

const labelsOf = (value: TemplateValue): string[] => [value.ja, value.en, value.canonical, ...(value.aliases ?? [])];

/** The column whose Japanese or English header this is (width, case, spacing and a unit such as （円） ignored). */
export function findTemplateColumn(dataset: TemplateDataset, header: string): TemplateColumn | undefined {
  const h = norm(headerWithoutUnit(header));
  const columns: readonly TemplateColumn[] = TEMPLATES[dataset];
  return columns.find((c) => norm(c.ja) === h || norm(c.en) === h);
}

/** The canonical value a coded cell maps to ("所有者不明" → "stray"), or undefined when unknown. */
export function toCanonicalValue(column: TemplateColumn, raw: string): string | undefined {
  const r = norm(raw);
  return column.values?.find((value) => labelsOf(value).some((l) => norm(l) === r))?.canonical;
}

/** The header row of a dataset's template. */
export const templateHeaders = (dataset: TemplateDataset, lang: TemplateLang): string[] =>
  TEMPLATES[dataset].map((c) => c[lang]);

function label(column: TemplateColumn, canonical: string, original: unknown, lang: TemplateLang): string {
  const candidates = (column.values ?? []).filter((x) => x.canonical === canonical);
  const asWritten =
    typeof original === "string"
      ? candidates.find((x) => labelsOf(x).some((l) => norm(l) === norm(original)))
      : undefined;
  const chosen = asWritten ?? candidates[0];
  if (chosen) return chosen[lang];
  return typeof original === "string" && original !== "" ? original : canonical;
}

function cellText(column: TemplateColumn, row: Readonly<Record<string, unknown>>, lang: TemplateLang): string {
  const value = row[column.field];
  switch (column.kind) {
    case "date":
      return typeof value === "string" ? value.slice(0, 10) : "";
    case "time":
      return typeof value === "string" && value.length >= 16 ? value.slice(11, 16) : "";
    case "integer":
      return typeof value === "number" ? String(value) : "";
    case "boolean":
      return label(column, value === true ? "true" : value === false ? "false" : "unknown", undefined, lang);
    case "enum":
      return label(column, String(value ?? ""), column.originalField ? row[column.originalField] : undefined, lang);
    default:
      return value === null || value === undefined ? "" : String(value);
  }
}

/** Formula injection guard: a cell starting with = + - @ (or tab/CR) gets a leading apostrophe. */
export const neutraliseFormula = (cell: string): string => (/^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell);

const quote = (cell: string): string => (/[",\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell);

function encode(text: string, encoding: TemplateEncoding): Buffer {
  if (encoding === "utf8") return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, "utf8")]);
  const bytes = iconv.encode(text, "Shift_JIS");
  if (iconv.decode(bytes, "Shift_JIS") !== text) {
    const bad = [...text].find((ch) => iconv.decode(iconv.encode(ch, "Shift_JIS"), "Shift_JIS") !== ch);
    throw badInput(`character "${bad}" cannot be written in Shift_JIS`, "write the file as UTF-8 instead");
  }
  return bytes;
}

/** A template CSV of these records: header row in `lang`, CRLF, UTF-8 with BOM or Shift_JIS (CP932). */
export function renderTemplateCsv<D extends TemplateDataset>(
  dataset: D,
  rows: readonly DatasetRecordMap[D][],
  options: { lang: TemplateLang; encoding: TemplateEncoding },
): Buffer {
  const columns: readonly TemplateColumn[] = TEMPLATES[dataset];
  const lines = [columns.map((c) => quote(c[options.lang]))];
  for (const row of rows) {
    const record = row as unknown as Readonly<Record<string, unknown>>;
    lines.push(
      columns.map((c) => {
        const text = cellText(c, record, options.lang);
        return quote(c.kind === "integer" ? text : neutraliseFormula(text));
      }),
    );
  }
  return encode(lines.map((cells) => `${cells.join(",")}\r\n`).join(""), options.encoding);
}
