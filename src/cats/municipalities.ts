/**
 * The municipalities (and other data sources) catdata knows by code.
 *
 * Japanese entries carry their real 全国地方公共団体コード: the 5-digit JIS X 0402 code plus the
 * check digit defined by the Ministry of Internal Affairs (総務省). Other sources use a stable slug.
 * `fiscalYearStartMonth` drives `fiscalYearOf`; each non-Japanese choice is justified beside it.
 */
import { badInput } from "../errors.js";
import { JAPAN_FISCAL_YEAR_START_MONTH, japanLocalGovs } from "./jp-local-gov.js";
import { toHiragana } from "./romanize.js";

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
  /** What the code names: a Japanese prefecture, municipality (市区町村) or designated-city ward; "other" elsewhere. */
  kind?: MunicipalityKind;
  /** Hiragana reading (Japanese entries of the full list). */
  nameKana?: string;
}

export type MunicipalityKind = "prefecture" | "municipality" | "ward" | "other";

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

// English names that stand over the romanisation rule (all 28 happen to agree with it; the test counts).
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

const OTHER_MUNICIPALITIES: readonly Municipality[] = OTHERS.map(
  ([code, nameJa, nameEn, prefectureJa, prefectureEn, country, fiscalYearStartMonth]) => ({
    code,
    nameJa,
    nameEn,
    prefectureJa,
    prefectureEn,
    country,
    fiscalYearStartMonth,
    kind: "other" as const,
  }),
);

/** English names of the built-in table, kept where they differ from the romanisation rule (src/cats/romanize.ts). */
const BUILT_IN_EN: ReadonlyMap<string, Row> = new Map(JAPAN.map((row) => [row[0], row]));

/** English name of a prefecture as an entry of its own ("Osaka Prefecture", not the city "Osaka"). */
const prefectureEntryEn = (nameJa: string, bare: string): string =>
  nameJa === "北海道" ? bare : nameJa === "東京都" ? `${bare} Metropolis` : `${bare} Prefecture`;

interface Table {
  all: readonly Municipality[];
  byCode: ReadonlyMap<string, Municipality>;
}

let table: Table | undefined;

/**
 * Every built-in entry: the full 全国地方公共団体コード list (47 prefectures, 1,747 municipalities,
 * 175 wards; src/cats/jp-local-gov.ts), then the foreign sources. Built on first use, never at
 * `catdata --help` (the JSON is read here, once).
 */
function builtIn(): Table {
  if (table) return table;
  const japan = japanLocalGovs().map((g): Municipality => {
    const row = BUILT_IN_EN.get(g.code);
    return {
      code: g.code,
      nameJa: g.nameJa,
      nameEn: row?.[2] ?? (g.kind === "prefecture" ? prefectureEntryEn(g.nameJa, g.nameEn) : g.nameEn),
      prefectureJa: g.prefectureJa,
      prefectureEn: row?.[4] ?? g.prefectureEn,
      country: "JP",
      fiscalYearStartMonth: JAPAN_FISCAL_YEAR_START_MONTH,
      kind: g.kind,
      nameKana: g.nameKana,
    };
  });
  const all = Object.freeze([...japan, ...OTHER_MUNICIPALITIES]);
  table = { all, byCode: new Map(all.map((m) => [m.code, m])) };
  return table;
}

/** The built-in table's own English names (28 Japanese entries), for the romanisation rule's test. */
export function builtInEnglishNames(): readonly { code: string; nameJa: string; nameEn: string }[] {
  return JAPAN.map(([code, nameJa, nameEn]) => ({ code, nameJa, nameEn }));
}

/** The built-in municipality with this code, or undefined (a deployment's file adds more: `MunicipalityDirectory`). */
export function getMunicipality(code: string): Municipality | undefined {
  return builtIn().byCode.get(code);
}

/** Every built-in entry, Japanese ones first (prefecture, then its municipalities and wards, by code), then the others. */
export function listMunicipalities(): readonly Municipality[] {
  return builtIn().all;
}

/** Why a municipality given on upload is refused (the same words in the CLI and the API). */
export type CodeProblem =
  | { kind: "not-6-digits"; reason: string }
  | { kind: "check-digit"; reason: string }
  | { kind: "unknown-code"; reason: string }
  | { kind: "name"; reason: string };

export type CodeCheck = { ok: true; municipality: Municipality } | ({ ok: false } & CodeProblem);

/** Names compared without width, case, spaces, katakana/hiragana and an English "City"/"Ward"/"-shi" suffix. */
const nameKey = (s: string): string =>
  toHiragana(s.normalize("NFKC"))
    .toLowerCase()
    .replace(/[\s_]+/g, " ")
    .trim()
    .replace(/(?: city| ward| county| town| village|-shi|-ku|-cho|-machi|-mura)$/, "")
    .trim();

/** Most candidates an ambiguous name lists (泊村, 伊達市, 府中市 have 2–3; "中央区" has more). */
export const MAX_NAME_CANDIDATES = 10;
/** Most entries `search` returns (GET /municipalities?q=). */
export const MAX_SEARCH_RESULTS = 50;

const describe = (m: Municipality): string => `${m.code} ${m.nameJa} (${m.prefectureJa})`;

interface Index {
  all: readonly Municipality[];
  byCode: ReadonlyMap<string, Municipality>;
  byName: ReadonlyMap<string, readonly Municipality[]>;
}

/**
 * The municipalities one deployment knows: the built-in table (the full 全国地方公共団体コード list and
 * the foreign sources) plus the ones its CATDATA_MUNICIPALITIES_FILE adds
 * (src/config/municipalities-config.ts). Immutable; built on first use. The CLI, the API and the
 * uploads' fiscal-year start all use the one `config.municipalities`.
 */
export class MunicipalityDirectory {
  readonly #extra: readonly Municipality[];
  #index: Index | undefined;

  constructor(extra: readonly Municipality[] = []) {
    this.#extra = extra;
  }

  get #built(): Index {
    if (this.#index) return this.#index;
    const base = builtIn();
    const all = [...base.all, ...this.#extra.filter((m) => !base.byCode.has(m.code))];
    const byName = new Map<string, Municipality[]>();
    const add = (key: string, m: Municipality) => {
      if (!key) return;
      const list = byName.get(key) ?? [];
      if (!list.includes(m)) list.push(m);
      byName.set(key, list);
    };
    for (const m of all) {
      add(nameKey(m.nameJa), m);
      add(nameKey(m.nameEn), m);
      if (m.nameKana) add(nameKey(m.nameKana), m);
    }
    this.#index = { all, byCode: new Map(all.map((m) => [m.code, m])), byName };
    return this.#index;
  }

  get(code: string): Municipality | undefined {
    return this.#built.byCode.get(code);
  }

  /** Every municipality, the built-in ones first. */
  list(): readonly Municipality[] {
    return this.#built.all;
  }

  /** True when the code is not in the built-in table (the ETL's own lookup does not know it). */
  isAdded(code: string): boolean {
    return this.#built.byCode.has(code) && getMunicipality(code) === undefined;
  }

  /**
   * The fiscal-year start an upload for `code` carries: the declared one, else, for a municipality this
   * directory adds (the ETL's built-in table does not know it), the directory's; else none.
   */
  uploadFiscalYearStart(code: string | undefined, declared: number | undefined): number | undefined {
    if (declared !== undefined || code === undefined || !this.isAdded(code)) return declared;
    return this.#built.byCode.get(code)?.fiscalYearStartMonth;
  }

  /** The entries a name denotes: "豊中市", "Toyonaka", "toyonaka city", "とよなかし", "豊中" (without 市). */
  named(name: string): readonly Municipality[] {
    const key = nameKey(name);
    if (!key) return [];
    const { byName } = this.#built;
    return byName.get(key) ?? byName.get(nameKey(`${name.trim()}市`)) ?? [];
  }

  /** The one municipality a code or a name denotes; a `BAD_INPUT` error listing the candidates when a name is ambiguous. */
  resolve(input: string): Municipality {
    const known = this.get(input.trim());
    if (known) return known;
    const named = this.named(input);
    if (named.length === 1 && named[0]) return named[0];
    if (named.length > 1) {
      throw badInput(
        `municipality ${JSON.stringify(input)}: ${ambiguity(named)}`,
        "give the code of the one you mean (GET /api/municipalities?q=…)",
      );
    }
    return this.require(input);
  }

  /** Entries whose code, name (ja/en) or reading contains `q` (case- and width-insensitive), at most `limit`. */
  search(q: string, limit = MAX_SEARCH_RESULTS): readonly Municipality[] {
    const key = nameKey(q);
    if (!key) return [];
    const hits: Municipality[] = [];
    for (const m of this.#built.all) {
      const fields = [m.code, nameKey(m.nameJa), nameKey(m.nameEn), m.nameKana ? nameKey(m.nameKana) : ""];
      if (fields.some((f) => f.includes(key))) hits.push(m);
      if (hits.length >= limit) break;
    }
    return hits;
  }

  /** Checks a municipality as a user gave it: a known code passes; everything else says why not. */
  check(input: string): CodeCheck {
    const code = input.trim();
    const known = this.get(code);
    if (known) return { ok: true, municipality: known };
    const named = /^\d+$/.test(code) ? [] : this.named(code);
    if (named.length > 1) return { ok: false, kind: "name", reason: `a name, not a code: ${ambiguity(named)}` };
    if (named.length === 1 && named[0]) {
      return {
        ok: false,
        kind: "name",
        reason: `a name, not a code: use the code, e.g. ${named[0].code} for ${named[0].nameJa}`,
      };
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

/** "2 are called 伊達市: 012335 伊達市 (北海道), 072133 伊達市 (福島県); give the code" (at most MAX_NAME_CANDIDATES). */
function ambiguity(named: readonly Municipality[]): string {
  const shown = named.slice(0, MAX_NAME_CANDIDATES).map(describe).join(", ");
  const more = named.length > MAX_NAME_CANDIDATES ? `, and ${named.length - MAX_NAME_CANDIDATES} more` : "";
  return `${named.length} municipalities have this name: ${shown}${more}; give the code`;
}

const MUNICIPALITY_HINT: Record<CodeProblem["kind"], string> = {
  "not-6-digits":
    "give the 6-digit 全国地方公共団体コード (5 digits + check digit, e.g. 131041) or a known slug such as us-tx-austin",
  "check-digit": "check the code: its last digit is a check digit of the first five (全国地方公共団体コード)",
  "unknown-code":
    "list the known ones with GET /api/municipalities; a deployment adds more with CATDATA_MUNICIPALITIES_FILE (docs/data-model.md)",
  name: "pass the code instead of the name",
};
