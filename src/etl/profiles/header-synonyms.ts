import { headerWithoutUnit } from "../../cats/header-unit.js";
import type { Dataset } from "../../cats/model.js";

/**
 * Header names (English and Japanese) that municipal files use for each canonical field, for
 * `suggestMapping`. Compared after `headerKey` (width, case, spaces, punctuation and a trailing unit
 * such as `（円）` or `(cats)` ignored: src/cats/header-unit.ts). catdata's own template headers
 * (template.ts) are recognised separately and score highest.
 */
export const headerKey = (header: string): string =>
  headerWithoutUnit(header)
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[\s_\-./()（）・:：]+/g, "");

const ANIMAL_ID = ["animal id", "animal no", "animal number", "id", "個体番号", "個体識別番号", "管理番号", "動物番号"];

export const FIELD_SYNONYMS: Record<Dataset, Record<string, readonly string[]>> = {
  intakes: {
    animalId: ANIMAL_ID,
    intakeAt: [
      "intake date",
      "intake datetime",
      "date in",
      "intake",
      "収容日",
      "収容年月日",
      "収容日時",
      "引取日",
      "引取り日",
      "保護日",
      "受入日",
    ],
    intakeType: ["intake type", "intake reason", "収容区分", "収容理由", "引取区分", "収容種別"],
    intakeSubtypeOriginal: ["intake subtype", "収容詳細"],
    condition: ["intake condition", "condition", "健康状態", "収容時の状態"],
    ageDays: ["age", "age upon intake", "年齢", "推定年齢", "推定日齢"],
    ageClass: ["age class", "age group", "年齢区分", "成幼"],
    sex: ["sex", "gender", "sex upon intake", "性別", "雌雄"],
    altered: ["altered", "spay neuter", "不妊去勢", "避妊去勢", "不妊手術"],
    foundLocation: ["found location", "location found", "found near", "発見場所", "収容場所", "保護場所", "拾得場所"],
    stayId: ["impound number", "impound no", "収容番号"],
    jurisdiction: ["intake jurisdiction", "jurisdiction", "管轄"],
  },
  outcomes: {
    animalId: ANIMAL_ID,
    outcomeAt: ["outcome date", "outcome datetime", "date out", "転帰日", "処遇日", "退所日", "返還譲渡日"],
    outcomeType: ["outcome type", "outcome", "disposition", "転帰", "転帰区分", "処遇", "処遇区分"],
    outcomeSubtypeOriginal: ["outcome subtype", "転帰詳細", "処遇詳細"],
    daysInShelter: ["days in shelter", "length of stay", "在所日数", "収容日数"],
    stayId: ["impound number", "impound no", "収容番号"],
    jurisdiction: ["outcome jurisdiction"],
    area: ["outcome zip code", "outcome zip", "zip"],
  },
  tnr: {
    operatedOn: ["surgery date", "operation date", "date", "手術日", "実施日", "施術日"],
    area: ["area", "district", "suburb", "地区", "地域", "町名"],
    sex: ["sex", "gender", "性別", "雌雄"],
    count: ["count", "number", "cats", "頭数", "匹数"],
    subsidyAmount: ["subsidy", "subsidy amount", "助成金額", "補助金額", "助成額"],
  },
  complaints: {
    receivedOn: ["received date", "date received", "complaint date", "date", "受付日", "受付年月日", "相談日"],
    periodEnd: ["period end", "期間終了日"],
    category: ["category", "complaint type", "type", "苦情区分", "相談内容", "苦情内容", "内容"],
    area: ["suburb", "area", "district", "地区", "地域", "町名"],
    location: ["location", "address", "場所", "住所", "発生場所"],
  },
  aggregates: {
    fiscalYear: ["year", "fiscal year", "fy", "年度"],
    region: ["region", "state", "prefecture", "都道府県", "地域"],
    metric: ["metric", "outcome", "measure", "指標", "項目"],
    value: ["value", "count", "total", "number", "数", "頭数", "件数"],
  },
  sightings: {
    seenAt: ["date", "date seen", "sighting date", "seen at", "目撃日", "発見日"],
    location: ["location", "address", "obfuscated address", "場所", "住所", "目撃場所"],
    note: ["note", "notes", "memo", "description", "備考", "メモ"],
    reportType: ["record type", "report type", "種別"],
    animalId: ANIMAL_ID,
    area: ["city", "suburb", "area", "zip", "地区"],
  },
};

/** Headers of a column that says which animal a row is about. */
export const SPECIES_HEADERS = ["animal type", "type", "species", "animal", "動物種", "種類", "動物の種類", "畜種"].map(
  headerKey,
);

/** Values of that column that mean a cat. */
export const CAT_LABELS = new Set(["cat", "cats", "dead cat", "feline", "猫", "ねこ", "ネコ", "猫（成猫）", "子猫"]);
