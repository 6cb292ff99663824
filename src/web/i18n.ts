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
  },
} as const;

export type Lang = keyof typeof STRINGS;

export function pickLang(query: string | undefined, acceptLanguage: string | undefined): Lang {
  if (query === "ja" || query === "en") return query;
  return acceptLanguage?.toLowerCase().startsWith("ja") ? "ja" : "en";
}
