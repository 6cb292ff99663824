/**
 * The municipalities (and other data sources) catdata knows by code.
 *
 * Japanese entries carry their real 全国地方公共団体コード: the 5-digit JIS X 0402 code plus the
 * check digit defined by the Ministry of Internal Affairs (総務省). Other sources use a stable slug.
 * `fiscalYearStartMonth` drives `fiscalYearOf`; each non-Japanese choice is justified beside it.
 */
import { badInput } from "../errors.js";

/** ISO 3166-1 alpha-2 country code: JP, US and AU built in, any other from a municipalities file. */
export type Country = string;

export interface Municipality {
  /** 6-digit 全国地方公共団体コード in Japan, a slug (`us-tx-austin`) elsewhere. */
  code: string;
  nameJa: string;
  nameEn: string;
  prefectureJa: string;
  prefectureEn: string;
  country: Country;
  /** Month (1–12) the fiscal year starts in; FYs are named by the calendar year they start in. */
  fiscalYearStartMonth: number;
}

const WEIGHTS = [6, 5, 4, 3, 2] as const;

/** Check digit of a 5-digit local-government code: (11 − Σ dᵢ·wᵢ mod 11) mod 10, weights 6,5,4,3,2. */
export function localGovCheckDigit(fiveDigits: string): number {
  if (!/^\d{5}$/.test(fiveDigits)) throw new RangeError(`expected 5 digits, got "${fiveDigits}"`);
  let sum = 0;
  for (let i = 0; i < 5; i++) sum += Number(fiveDigits[i]) * WEIGHTS[i]!;
  return (11 - (sum % 11)) % 10;
}

/** True when `code` is six digits whose last digit is the check digit of the first five. */
export function isValidLocalGovCode(code: string): boolean {
  if (!/^\d{6}$/.test(code)) return false;
  return localGovCheckDigit(code.slice(0, 5)) === Number(code[5]);
}

type Row = [code: string, nameJa: string, nameEn: string, prefectureJa: string, prefectureEn: string];

// Prefectural capitals, designated cities and a few wards/cities, with their official codes.
const JAPAN: readonly Row[] = [
  ["011002", "札幌市", "Sapporo", "北海道", "Hokkaido"],
  ["041009", "仙台市", "Sendai", "宮城県", "Miyagi"],
  ["111007", "さいたま市", "Saitama", "埼玉県", "Saitama"],
  ["121002", "千葉市", "Chiba", "千葉県", "Chiba"],
  ["131041", "新宿区", "Shinjuku", "東京都", "Tokyo"],
  ["131121", "世田谷区", "Setagaya", "東京都", "Tokyo"],
  ["132012", "八王子市", "Hachioji", "東京都", "Tokyo"],
  ["141003", "横浜市", "Yokohama", "神奈川県", "Kanagawa"],
  ["141305", "川崎市", "Kawasaki", "神奈川県", "Kanagawa"],
  ["141500", "相模原市", "Sagamihara", "神奈川県", "Kanagawa"],
  ["151009", "新潟市", "Niigata", "新潟県", "Niigata"],
  ["172014", "金沢市", "Kanazawa", "石川県", "Ishikawa"],
  ["221007", "静岡市", "Shizuoka", "静岡県", "Shizuoka"],
  ["221309", "浜松市", "Hamamatsu", "静岡県", "Shizuoka"],
  ["231002", "名古屋市", "Nagoya", "愛知県", "Aichi"],
  ["261009", "京都市", "Kyoto", "京都府", "Kyoto"],
  ["271004", "大阪市", "Osaka", "大阪府", "Osaka"],
  ["271403", "堺市", "Sakai", "大阪府", "Osaka"],
  ["272035", "豊中市", "Toyonaka", "大阪府", "Osaka"],
  ["281000", "神戸市", "Kobe", "兵庫県", "Hyogo"],
  ["331007", "岡山市", "Okayama", "岡山県", "Okayama"],
  ["341002", "広島市", "Hiroshima", "広島県", "Hiroshima"],
  ["382019", "松山市", "Matsuyama", "愛媛県", "Ehime"],
  ["401005", "北九州市", "Kitakyushu", "福岡県", "Fukuoka"],
  ["401307", "福岡市", "Fukuoka", "福岡県", "Fukuoka"],
  ["431001", "熊本市", "Kumamoto", "熊本県", "Kumamoto"],
  ["462012", "鹿児島市", "Kagoshima", "鹿児島県", "Kagoshima"],
  ["472018", "那覇市", "Naha", "沖縄県", "Okinawa"],
];

type OtherRow = [...Row, country: Country, fiscalYearStartMonth: number];

const OTHERS: readonly OtherRow[] = [
  // Japan national (環境省 statistics): 年度, April–March.
  ["jp", "日本（全国）", "Japan (national)", "全国", "All prefectures", "JP", 4],
  // City of Austin: fiscal year October–September (US cities name it by its end year; we by its start year).
  ["us-tx-austin", "オースティン市", "Austin", "テキサス州", "Texas", "US", 10],
  // County of Sonoma: fiscal year July–June.
  ["us-ca-sonoma", "ソノマ郡", "Sonoma County", "カリフォルニア州", "California", "US", 7],
  // King County budgets by calendar year (as Washington counties do); its lost/found file is dated rows anyway.
  ["us-wa-king", "キング郡", "King County", "ワシントン州", "Washington", "US", 1],
  // Brisbane City Council: Queensland local-government financial year July–June (files `1st-quarter-2016-17`).
  ["au-qld-brisbane", "ブリスベン市", "Brisbane", "クイーンズランド州", "Queensland", "AU", 7],
  // RSPCA Australia reports by financial year July–June, labelled by its start year: the file's year 2018
  // totals 124,146 animals, the intake count of the "2018-19" report, so its `year` is our fiscalYear as is.
  ["au", "オーストラリア（RSPCA全国）", "Australia (RSPCA national)", "全国", "All states", "AU", 7],
];

const ALL: readonly Municipality[] = [
  ...JAPAN.map(([code, nameJa, nameEn, prefectureJa, prefectureEn]) => ({
    code,
    nameJa,
    nameEn,
    prefectureJa,
    prefectureEn,
    country: "JP" as const,
    fiscalYearStartMonth: 4,
  })),
  ...OTHERS.map(([code, nameJa, nameEn, prefectureJa, prefectureEn, country, fiscalYearStartMonth]) => ({
    code,
    nameJa,
    nameEn,
    prefectureJa,
    prefectureEn,
    country,
    fiscalYearStartMonth,
  })),
];

const BY_CODE: ReadonlyMap<string, Municipality> = new Map(ALL.map((m) => [m.code, m]));

/** The built-in municipality with this code, or undefined (a deployment's file adds more: `MunicipalityDirectory`). */
export function getMunicipality(code: string): Municipality | undefined {
  return BY_CODE.get(code);
}

/** Every built-in municipality and source, Japanese ones first (by code), then the others. */
export function listMunicipalities(): readonly Municipality[] {
  return ALL;
}

/** Why a municipality given on upload is refused (the same words in the CLI and the API). */
export type CodeProblem =
  | { kind: "not-6-digits"; reason: string }
  | { kind: "check-digit"; reason: string }
  | { kind: "unknown-code"; reason: string }
  | { kind: "name"; reason: string };

export type CodeCheck = { ok: true; municipality: Municipality } | ({ ok: false } & CodeProblem);

/** Names compared without width, case, spaces and an English "City"/"Ward"/"-shi" suffix. */
const nameKey = (s: string): string =>
  s
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[\s_]+/g, " ")
    .trim()
    .replace(/(?: city| ward| county| town| village|-shi|-ku|-cho|-machi|-mura)$/, "")
    .trim();

/**
 * The municipalities one deployment knows: the built-in table plus the ones its
 * CATDATA_MUNICIPALITIES_FILE adds (src/config/municipalities-config.ts). Immutable; the CLI and the
 * API build it from the same configuration and check codes with the same `check`.
 */
export class MunicipalityDirectory {
  readonly #all: readonly Municipality[];
  readonly #byCode: ReadonlyMap<string, Municipality>;

  constructor(extra: readonly Municipality[] = []) {
    const added = extra.filter((m) => !BY_CODE.has(m.code));
    this.#all = [...ALL, ...added];
    this.#byCode = new Map(this.#all.map((m) => [m.code, m]));
  }

  get(code: string): Municipality | undefined {
    return this.#byCode.get(code);
  }

  /** Every municipality, the built-in ones first. */
  list(): readonly Municipality[] {
    return this.#all;
  }

  /** True when the code is not in the built-in table (the ETL's own lookup does not know it). */
  isAdded(code: string): boolean {
    return this.#byCode.has(code) && !BY_CODE.has(code);
  }

  /**
   * The fiscal-year start an upload for `code` carries: the declared one, else, for a municipality this
   * directory adds (the ETL's built-in table does not know it), the directory's; else none.
   */
  uploadFiscalYearStart(code: string | undefined, declared: number | undefined): number | undefined {
    if (declared !== undefined || code === undefined || !this.isAdded(code)) return declared;
    return this.#byCode.get(code)?.fiscalYearStartMonth;
  }

  /** Checks a municipality as a user gave it: a known code passes; everything else says why not. */
  check(input: string): CodeCheck {
    const code = input.trim();
    const known = this.#byCode.get(code);
    if (known) return { ok: true, municipality: known };
    const key = nameKey(code);
    const named = key
      ? this.#all.filter((m) => nameKey(m.nameJa) === key || nameKey(m.nameEn) === key || m.nameJa === `${code}市`)
      : [];
    if (named.length > 0) {
      const examples = named.map((m) => `${m.code} for ${m.nameJa}`).join(", ");
      return { ok: false, kind: "name", reason: `a name, not a code: use the code, e.g. ${examples}` };
    }
    if (/^\d+$/.test(code) && code.length !== 6) {
      return { ok: false, kind: "not-6-digits", reason: `not 6 digits (${code.length} digits)` };
    }
    if (/^\d{6}$/.test(code)) {
      const expected = localGovCheckDigit(code.slice(0, 5));
      if (Number(code[5]) !== expected) {
        return { ok: false, kind: "check-digit", reason: `check digit is ${code[5]}, expected ${expected}` };
      }
      return { ok: false, kind: "unknown-code", reason: "unknown code" };
    }
    if (/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(code)) return { ok: false, kind: "unknown-code", reason: "unknown code" };
    return { ok: false, kind: "not-6-digits", reason: "not 6 digits" };
  }

  /** The municipality of a known code; a `BAD_INPUT` error naming the reason and what to do otherwise. */
  require(input: string): Municipality {
    const result = this.check(input);
    if (result.ok) return result.municipality;
    throw badInput(`municipality ${JSON.stringify(input)}: ${result.reason}`, MUNICIPALITY_HINT[result.kind]);
  }
}

const MUNICIPALITY_HINT: Record<CodeProblem["kind"], string> = {
  "not-6-digits":
    "give the 6-digit 全国地方公共団体コード (5 digits + check digit, e.g. 131041) or a known slug such as us-tx-austin",
  "check-digit": "check the code: its last digit is a check digit of the first five (全国地方公共団体コード)",
  "unknown-code":
    "list the known ones with GET /api/municipalities; a deployment adds more with CATDATA_MUNICIPALITIES_FILE (docs/data-model.md)",
  name: "pass the code instead of the name",
};
