/** UI strings in Japanese and English. The page picks `?lang=`, then the browser's Accept-Language. */
export const STRINGS = {
  ja: {
    title: "catdata — 猫データ基盤",
    dashboard: "ダッシュボード",
    municipality: "自治体",
    all: "すべて",
    dataset: "データ",
    intakes: "収容",
    outcomes: "転帰",
    tnr: "不妊去勢手術 (TNR)",
    complaints: "苦情",
    monthly: "月別件数",
    recent: "最新の記録",
    signIn: "ログイン",
    signOut: "ログアウト",
    username: "ユーザー名",
    password: "パスワード",
    noData: "データがありません。`npx catdata ingest <file>` でアップロードしてください。",
    security: "セキュリティ (CloudTrail)",
    statsFailed: "月別件数を表示できません",
    recordsFailed: "記録を表示できません",
    forbidden: "この自治体・データを閲覧する権限がありません",
    rateLimited: "リクエストが多すぎます。しばらく待ってから選び直してください",
    unreachable: "サーバーに接続できません。再読み込みしてください",
    suppressed: "秘匿（{n}未満）",
    suppressedNote: "少数のセルは個体の特定を防ぐため秘匿しています（{n}未満）",
  },
  en: {
    title: "catdata — municipal cat data",
    dashboard: "Dashboard",
    municipality: "Municipality",
    all: "All",
    dataset: "Dataset",
    intakes: "Intakes",
    outcomes: "Outcomes",
    tnr: "Spay/neuter (TNR)",
    complaints: "Complaints",
    monthly: "Monthly counts",
    recent: "Latest records",
    signIn: "Sign in",
    signOut: "Sign out",
    username: "Username",
    password: "Password",
    noData: "No data yet. Upload with `npx catdata ingest <file>`.",
    security: "Security (CloudTrail)",
    statsFailed: "Cannot show the monthly counts",
    recordsFailed: "Cannot show the records",
    forbidden: "your account may not see this municipality's data",
    rateLimited: "too many requests; wait a moment and choose again",
    unreachable: "the server did not answer; reload the page",
    suppressed: "suppressed (< {n})",
    suppressedNote: "Small cells are suppressed so that no animal or person can be singled out (< {n})",
  },
} as const;

export type Lang = keyof typeof STRINGS;

/** The strings the browser script needs (errors, suppression), handed to it in the page. */
export const CLIENT_STRINGS = [
  "statsFailed",
  "recordsFailed",
  "forbidden",
  "rateLimited",
  "unreachable",
  "suppressed",
  "suppressedNote",
] as const satisfies readonly (keyof (typeof STRINGS)["en"])[];

export const clientStrings = (lang: Lang): Record<string, string> =>
  Object.fromEntries(CLIENT_STRINGS.map((k) => [k, STRINGS[lang][k]]));

export function pickLang(query: string | undefined, acceptLanguage: string | undefined): Lang {
  if (query === "ja" || query === "en") return query;
  return acceptLanguage?.toLowerCase().startsWith("ja") ? "ja" : "en";
}
