/**
 * What the offline model understands of a question, in English or Japanese: which of the common
 * questions it is (what did X do, when is X active, what will X do next, anomalies since T, cat
 * KPIs for municipality M, what data is loaded) and its principal, time and municipality. Pure:
 * the clock comes in for relative times ("2 days ago", 「3日前」).
 */
export type AgentLang = "ja" | "en";

export type QuestionKind = "activity" | "active-hours" | "next-actions" | "anomalies" | "cat-stats" | "data-status";

export interface Question {
  kind: QuestionKind | "help";
  lang: AgentLang;
  text: string;
  /** The principal the question is about, as written (a name or a principal id). */
  principal?: string | undefined;
  /** ISO time the question starts from ("since 2018-11-28", "3 days ago"). */
  since?: string | undefined;
  /** A municipality code (6 digits) or name. */
  municipality?: string | undefined;
}

/** The patterns, checked in this order: the first that matches decides the kind. */
const KINDS: readonly [QuestionKind, RegExp][] = [
  ["anomalies", /anomal|suspicious|unusual|strange|odd\b|異常|不審|怪し|アノマリ/i],
  ["next-actions", /\bnext\b|will\s+\S+\s+do|predict|次に|次の|予測|これから/i],
  ["active-hours", /\bwhen\b|\bactive\b|active hours|what time|which hours|いつ|時間帯|活動時間|アクティブ/i],
  ["cat-stats", /\bcats?\b|\bkpis?\b|shelter|intake|euthanasia|municipalit|猫|ねこ|ネコ|保護|殺処分|譲渡|自治体/i],
  [
    "data-status",
    /data status|what data|which data|how many events|loaded|time span|データ.*(状況|状態|範囲|期間|件数)|読み込/i,
  ],
  ["activity", /what did|\bdid\b|\bactivity\b|\bdo\b|\bdone\b|何を|何し|行動|操作|活動/i],
];

/** Words that look like names in English questions but are not principals. */
const STOPWORDS = new Set(
  (
    "a an the it this that they them he she user principal role who what when which will did does do is are was " +
    "for of by since after before next active activity anomalies anomaly any kpi kpis cat cats data me us we you " +
    "aws cloudtrail iam s3 ec2 last hours hour days day week weeks ago today yesterday in on at to from with and or"
  ).split(" "),
);

const ISO_TIME = /\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?\b/;
const RELATIVE_EN = /\b(\d+)\s*(minute|hour|day|week)s?\s+ago\b/i;
const RELATIVE_JA = /(\d+)\s*(分|時間|日|週間)前/;
const UNIT_MS: Record<string, number> = {
  minute: 60_000,
  分: 60_000,
  hour: 3_600_000,
  時間: 3_600_000,
  day: 86_400_000,
  日: 86_400_000,
  week: 604_800_000,
  週間: 604_800_000,
};

export const isJapanese = (text: string): boolean => /[\u3040-\u30ff\u3400-\u9fff\uff00-\uffef]/.test(text);

export function parseQuestion(text: string, options: { now: Date; lang?: AgentLang | undefined }): Question {
  const lang = options.lang ?? (isJapanese(text) ? "ja" : "en");
  const kind = KINDS.find(([, pattern]) => pattern.test(text))?.[0] ?? "help";
  const question: Question = { kind, lang, text };
  if (kind === "activity" || kind === "active-hours" || kind === "next-actions" || kind === "anomalies") {
    question.principal = principalIn(text);
  }
  if (kind === "anomalies" || kind === "activity") question.since = sinceIn(text, options.now, lang);
  if (kind === "cat-stats") question.municipality = municipalityIn(text);
  return question;
}

/** A quoted name, a principal id (iam-user:…/…, role:…), or the name after "did/is/will/of/for/by", or (ja) an ASCII word. */
export function principalIn(text: string): string | undefined {
  const quoted = /["'`「『]([^"'`」』]{1,200})["'`」』]/.exec(text)?.[1];
  if (quoted) return quoted.trim();
  const id = /\b(?:iam-user|role|root|service|federated|identity-center|assumed-role|user):[\w.@:/+=,-]+/.exec(
    text,
  )?.[0];
  if (id) return id;
  const words = text.replace(ISO_TIME, " ").match(/[A-Za-z0-9][\w.@/+=-]*/g) ?? [];
  const candidates = words.filter((w) => !STOPWORDS.has(w.toLowerCase()) && !/^\d+$/.test(w));
  if (isJapanese(text)) return candidates.find((w) => !/^(kpi|aws|cloudtrail|jst|utc)$/i.test(w));
  const after = /\b(?:did|does|is|will|of|for|by|principal|user|role)\s+([A-Za-z0-9][\w.@/+=-]*)/gi;
  for (const match of text.matchAll(after)) {
    const name = match[1] ?? "";
    if (!STOPWORDS.has(name.toLowerCase())) return name;
  }
  return undefined;
}

/** An ISO time or date in the text, or "N days ago" / 「N日前」 from `now`. A date alone starts at midnight (JST in Japanese). */
export function sinceIn(text: string, now: Date, lang: AgentLang): string | undefined {
  const iso = ISO_TIME.exec(text)?.[0];
  if (iso) {
    if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) return `${iso}T00:00:00${lang === "ja" ? "+09:00" : "Z"}`;
    const normalised = iso.replace(" ", "T");
    return /Z|[+-]\d{2}:?\d{2}$/.test(normalised) ? normalised : `${normalised}Z`;
  }
  const relative = RELATIVE_EN.exec(text) ?? RELATIVE_JA.exec(text);
  if (relative) {
    const unit = UNIT_MS[(relative[2] ?? "").toLowerCase()] ?? UNIT_MS[relative[2] ?? ""] ?? 0;
    return new Date(now.getTime() - Number(relative[1]) * unit).toISOString();
  }
  if (/yesterday|昨日/i.test(text)) return new Date(now.getTime() - 86_400_000).toISOString();
  return undefined;
}

/** A 6-digit 全国地方公共団体コード, else a name ending in 市/区/町/村 or following "municipality"/"in". */
export function municipalityIn(text: string): string | undefined {
  const code = /(?<!\d)\d{6}(?!\d)/.exec(text)?.[0];
  if (code) return code;
  const ja = /([\u3400-\u9fff]{1,10}(?:市|区|町|村))/.exec(text)?.[1];
  if (ja) return ja;
  return /\b(?:municipality|city|ward|town|in|for)\s+([A-Z][\w-]*(?:\s+[A-Z][\w-]*)?)/.exec(text)?.[1];
}
