import { resolveMunicipality } from "./municipality.js";
import { LISTED_ITEMS, TOOLS } from "./plan.js";
import type { AgentLang, Question } from "./question.js";
import { arrayField, eventIdsIn, field, type ToolOutcome } from "./tool-outcome.js";

/**
 * The offline model's answer, written from the tool results only (nothing is made up): the facts
 * each tool gave, times in ISO 8601 (UTC in English, JST in Japanese), the event IDs behind them,
 * and a plain statement when data is missing. Pure.
 */
export const OFFLINE_LABEL = { en: "offline model", ja: "オフラインモデル" } as const;

const t = (lang: AgentLang, en: string, ja: string) => (lang === "ja" ? ja : en);

/** ISO 8601: as UTC (…Z) in English, as JST (…+09:00) in Japanese. */
export function isoTime(value: unknown, lang: AgentLang): string {
  if (typeof value !== "string" || Number.isNaN(Date.parse(value))) return String(value ?? "?");
  const date = new Date(value);
  if (lang === "en") return date.toISOString().replace(/\.\d{3}Z$/, "Z");
  return `${new Date(date.getTime() + 9 * 3_600_000).toISOString().slice(0, 19)}+09:00`;
}

const pct = (p: unknown) => (typeof p === "number" ? `${(p * 100).toFixed(1)}%` : "?");
const DAYS = { en: ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"], ja: ["月", "火", "水", "木", "金", "土", "日"] };

export function writeAnswer(question: Question, outcomes: readonly ToolOutcome[], tools: readonly string[]): string {
  const { lang } = question;
  const of = (name: string) => outcomes.find((o) => o.name === name);
  const lines: string[] = [];
  const failed = outcomes.filter((o) => !o.ok);
  for (const o of failed)
    lines.push(t(lang, `No data from ${o.name}: ${o.text}`, `${o.name} からデータを得られませんでした: ${o.text}`));

  switch (question.kind) {
    case "activity":
    case "active-hours":
    case "next-actions": {
      if (!question.principal) {
        lines.push(
          t(
            lang,
            "Which principal? Name one, e.g. “what did alice do”.",
            "どのプリンシパルについてですか。例:「alice は何をしましたか」",
          ),
        );
        lines.push(...principalList(of(TOOLS.principals), lang));
        break;
      }
      if (!tools.includes(TOOLS.profile)) {
        lines.push(
          t(
            lang,
            "The MCP server has no get_principal_profile tool.",
            "MCP サーバーに get_principal_profile ツールがありません。",
          ),
        );
        break;
      }
      const profile = of(TOOLS.profile);
      if (!profile?.ok) break;
      const activity = of(TOOLS.userActivity);
      lines.push(...profileLines(profile.json, lang, question.kind, activity?.ok === true));
      if (question.kind === "next-actions") lines.push(...predictionLines(of(TOOLS.predict), lang));
      if (question.kind === "activity") lines.push(...activityLines(of(TOOLS.userActivity), lang));
      lines.push(...eventLines(of(TOOLS.lookupEvents), lang));
      break;
    }
    case "anomalies":
      lines.push(...anomalyLines(of(TOOLS.anomalies), lang, question.since));
      break;
    case "cat-stats": {
      const stats = of(TOOLS.catStats);
      if (!tools.includes(TOOLS.catStats)) {
        lines.push(
          t(
            lang,
            "Cat KPIs are not available here: the MCP server has no query_cat_stats tool.",
            "猫の KPI はここでは得られません(MCP サーバーに query_cat_stats ツールがありません)。",
          ),
        );
      } else if (question.municipality && !resolveMunicipality(question.municipality)) {
        lines.push(
          t(
            lang,
            `I do not know the municipality “${question.municipality}”: give its code (e.g. 131041).`,
            `自治体「${question.municipality}」が分かりません。コード(例: 131041)で指定してください。`,
          ),
        );
      } else if (stats?.ok) lines.push(...catStatsLines(stats.json, lang, question.municipality));
      break;
    }
    case "data-status":
    case "help": {
      if (question.kind === "help") lines.push(...help(lang));
      const status = of(TOOLS.dataStatus);
      if (status?.ok) lines.push(...statusLines(status.json, lang));
      else lines.push(...principalList(of(TOOLS.principals), lang));
      break;
    }
  }
  const cited = outcomes.filter((o) => o.ok).flatMap((o) => eventIdsIn(o.json));
  const unique = [...new Set(cited)];
  const sources = outcomes.map((o) => o.name).join(", ");
  if (unique.length > 0)
    lines.push(t(lang, `Events cited: ${unique.join(", ")}`, `根拠のイベント: ${unique.join(", ")}`));
  if (sources) lines.push(t(lang, `Tools used: ${sources}.`, `使用したツール: ${sources}`));
  lines.push(t(lang, `(Answered by the ${OFFLINE_LABEL.en}.)`, `(${OFFLINE_LABEL.ja}による回答)`));
  return lines.join("\n");
}

function profileLines(json: unknown, lang: AgentLang, kind: Question["kind"], withActivity: boolean): string[] {
  const p = (key: string) => field(json, key);
  const lines = [
    t(
      lang,
      `${p("principal")} (${p("principalType")}): ${p("events")} events from ${isoTime(p("firstSeen"), lang)} to ${isoTime(p("lastSeen"), lang)}, error rate ${pct(p("errorRate"))}.`,
      `${p("principal")}(${p("principalType")}): ${isoTime(p("firstSeen"), lang)} から ${isoTime(p("lastSeen"), lang)} までに ${p("events")} 件のイベント、エラー率 ${pct(p("errorRate"))}。`,
    ),
  ];
  if (kind === "activity" && !withActivity) {
    const top = arrayField(json, "topEvents").slice(0, LISTED_ITEMS);
    if (top.length > 0) {
      const list = top.map((e) => `${e.value} (${e.count})`).join(", ");
      lines.push(t(lang, `Most frequent calls: ${list}.`, `よく使う API: ${list}`));
    }
    const ips = arrayField(json, "sourceIps").slice(0, 3);
    if (ips.length > 0)
      lines.push(t(lang, "Source IPs: ", "送信元 IP: ") + ips.map((e) => `${e.value} (${e.count})`).join(", "));
  }
  if (kind === "active-hours") {
    const activity = field(json, "activity");
    const zone = String(field(activity, "timeZone") ?? "UTC");
    const hours = field(activity, "eventsByHourOfWeek");
    if (Array.isArray(hours)) {
      const busiest = hours
        .map((count, i) => ({ count: Number(count), i }))
        .filter((h) => h.count > 0)
        .sort((a, b) => b.count - a.count || a.i - b.i)
        .slice(0, LISTED_ITEMS)
        .map((h) => `${DAYS[lang][Math.floor(h.i / 24)]} ${String(h.i % 24).padStart(2, "0")}:00 (${h.count})`);
      lines.push(
        t(lang, `Busiest hours (${zone}): ${busiest.join(", ")}.`, `活動の多い時間帯(${zone}): ${busiest.join("、")}`),
      );
    }
    const next = arrayField(activity, "nextActiveHours").slice(0, LISTED_ITEMS);
    if (next.length > 0) {
      const list = next.map((h) => `${isoTime(h.start, lang)} ${pct(h.probability)}`).join(", ");
      lines.push(t(lang, `Most likely next active hours: ${list}.`, `次に活動する可能性が高い時間: ${list}`));
    }
  }
  return lines;
}

function predictionLines(outcome: ToolOutcome | undefined, lang: AgentLang): string[] {
  if (!outcome?.ok) return outcome ? [] : [t(lang, "No prediction tool is available.", "予測ツールがありません。")];
  const predictions = arrayField(outcome.json, "predictions");
  if (predictions.length === 0)
    return [t(lang, "The model has no prediction for it.", "予測できるデータがありません。")];
  const after = field(outcome.json, "after");
  const list = predictions.map((p) => `${p.eventKey} (${pct(p.probability)})`).join(", ");
  const lines = [t(lang, `Most likely next calls: ${list}.`, `次に呼びそうな API: ${list}`)];
  if (Array.isArray(after) && after.length > 0) {
    const tail = `${after.length > LISTED_ITEMS ? "… → " : ""}${after.slice(-LISTED_ITEMS).join(" → ")}`;
    lines.push(t(lang, `(following ${tail})`, `(直前の呼び出し: ${tail})`));
  }
  return lines;
}

function eventLines(outcome: ToolOutcome | undefined, lang: AgentLang): string[] {
  if (!outcome?.ok) return [];
  const events = arrayField(outcome.json, "events").slice(0, LISTED_ITEMS);
  if (events.length === 0)
    return [t(lang, "No matching events are loaded.", "該当するイベントは読み込まれていません。")];
  const list = events.map(
    (e) => `${isoTime(e.EventTime ?? e.eventTime, lang)} ${e.EventName ?? e.eventName} [${e.EventId ?? e.eventID}]`,
  );
  return [t(lang, "Latest events:", "最新のイベント:"), ...list.map((l) => `- ${l}`)];
}

function anomalyLines(outcome: ToolOutcome | undefined, lang: AgentLang, since: string | undefined): string[] {
  if (!outcome)
    return [
      t(lang, "The MCP server has no list_anomalies tool.", "MCP サーバーに list_anomalies ツールがありません。"),
    ];
  if (!outcome.ok) return [];
  const anomalies = arrayField(outcome.json, "anomalies").slice(0, LISTED_ITEMS);
  const from = since ? isoTime(since, lang) : t(lang, "the start of the data", "データの最初");
  if (anomalies.length === 0) return [t(lang, `No anomalies since ${from}.`, `${from} 以降に異常はありません。`)];
  const lines = [t(lang, `Most anomalous events since ${from}:`, `${from} 以降で最も異常なイベント:`)];
  for (const a of anomalies) {
    const top = field(a, "topReason");
    const reasons = [
      ...arrayField(a, "reasons"),
      ...(top && typeof top === "object" ? [top as Record<string, unknown>] : []),
    ]
      .slice(0, 3)
      .map((r) => r.detail ?? r.kind)
      .join("; ");
    const score = typeof a.score === "number" ? a.score.toFixed(1) : "?";
    lines.push(
      `- ${isoTime(a.eventTime, lang)} ${a.principal} ${a.eventKey} ${t(lang, "score", "スコア")} ${score} [${a.eventID}]: ${reasons}`,
    );
  }
  return lines;
}

/** query_cat_stats: one line per municipality and fiscal year (the latest first), the headline KPIs. */
function catStatsLines(json: unknown, lang: AgentLang, asked: string | undefined): string[] {
  const rows = arrayField(json, "rows")
    .sort((a, b) => Number(b.fiscalYear) - Number(a.fiscalYear))
    .slice(0, LISTED_ITEMS);
  if (rows.length === 0) {
    return [
      t(
        lang,
        `No cat KPIs${asked ? ` for ${asked}` : ""} are loaded (the marts are empty until the first upload).`,
        `${asked ? `${asked} の` : ""}猫の KPI はまだありません(最初のアップロードまでマートは空です)。`,
      ),
    ];
  }
  const lines = [t(lang, "Cat KPIs (per fiscal year, April–March):", "猫の KPI(年度別、4月〜3月):")];
  for (const r of rows) {
    const name = resolveMunicipality(String(r.municipality))?.name ?? String(r.municipality);
    const rate = (v: unknown) => (typeof v === "number" ? pct(v) : t(lang, "n/a", "なし"));
    const stay = typeof r.medianStayDays === "number" ? r.medianStayDays : t(lang, "n/a", "なし");
    lines.push(
      t(
        lang,
        `- ${name} FY${r.fiscalYear}: intakes ${r.intakes}, outcomes ${r.outcomes}, live-release rate ${rate(r.liveReleaseRate)}, euthanasia rate ${rate(r.euthanasiaRate)}, median stay ${stay} days, TNR ${r.tnrOperations}, complaints ${r.complaints}`,
        `- ${name} ${r.fiscalYear}年度: 収容 ${r.intakes}、転帰 ${r.outcomes}、生存退所率 ${rate(r.liveReleaseRate)}、殺処分率 ${rate(r.euthanasiaRate)}、在所日数の中央値 ${stay} 日、TNR ${r.tnrOperations}、苦情 ${r.complaints}`,
      ),
    );
  }
  const basis = field(json, "basis");
  const source = field(basis, "source");
  if (typeof source === "string") lines.push(t(lang, `Source: ${source}.`, `出典: ${source}`));
  return lines;
}

/** get_data_status: what is loaded, over which time span, and whether the model is up to date. */
function statusLines(json: unknown, lang: AgentLang): string[] {
  const v = (key: string) => field(json, key);
  if (!v("events")) return [t(lang, "No CloudTrail data is loaded.", "CloudTrail のデータが読み込まれていません。")];
  const model = field(json, "model");
  return [
    t(
      lang,
      `${v("events")} CloudTrail events of ${v("principals")} principals and ${v("eventSources")} services, from ${isoTime(v("firstEventTime"), lang)} to ${isoTime(v("lastEventTime"), lang)} (${v("sourcesTotal")} sources loaded).`,
      `${isoTime(v("firstEventTime"), lang)} から ${isoTime(v("lastEventTime"), lang)} までの CloudTrail イベント ${v("events")} 件(プリンシパル ${v("principals")}、サービス ${v("eventSources")}、読み込んだソース ${v("sourcesTotal")})。`,
    ),
    t(
      lang,
      `Behaviour model: ${field(model, "upToDate") ? "up to date" : "will train on the next question"}.`,
      `行動モデル: ${field(model, "upToDate") ? "最新" : "次の質問の前に学習します"}。`,
    ),
  ];
}

/** get_user_activity: the window, the counts, and the top services, calls, errors and source IPs. */
function activityLines(outcome: ToolOutcome | undefined, lang: AgentLang): string[] {
  if (!outcome?.ok) return [];
  const json = outcome.json;
  const window = field(json, "window");
  const n = (key: string) => field(json, key) ?? 0;
  const lines = [
    t(
      lang,
      `From ${isoTime(field(window, "start"), lang)} to ${isoTime(field(window, "end"), lang)}: ${n("events")} calls, ${n("errors")} errors (${n("denials")} denied), ${n("readOnly")} read-only.`,
      `${isoTime(field(window, "start"), lang)} から ${isoTime(field(window, "end"), lang)} まで: ${n("events")} 件の呼び出し、エラー ${n("errors")} 件(拒否 ${n("denials")} 件)、読み取り専用 ${n("readOnly")} 件。`,
    ),
  ];
  const shares: [string, string, string][] = [
    ["calls", "Calls", "API"],
    ["services", "Services", "サービス"],
    ["errorCodes", "Errors", "エラー"],
    ["sourceIps", "Source IPs", "送信元 IP"],
  ];
  for (const [key, en, ja] of shares) {
    const list = shareList(field(json, key));
    if (list) lines.push(`${t(lang, en, ja)}: ${list}`);
  }
  return lines;
}

/** `[{value, count}]` as "value (count), …", the first LISTED_ITEMS. */
function shareList(value: unknown): string | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  const rows = value.slice(0, LISTED_ITEMS) as Record<string, unknown>[];
  if (!rows.every((r) => r && typeof r === "object" && "value" in r && "count" in r)) return undefined;
  return rows.map((r) => `${r.value} (${r.count})`).join(", ");
}

function principalList(outcome: ToolOutcome | undefined, lang: AgentLang): string[] {
  const principals = arrayField(outcome?.json, "principals").slice(0, 10);
  if (principals.length === 0) {
    return outcome ? [t(lang, "No CloudTrail data is loaded.", "CloudTrail のデータが読み込まれていません。")] : [];
  }
  return [
    t(lang, "Principals in the data:", "データ中のプリンシパル:"),
    ...principals.map((p) => `- ${p.principal} (${p.events})`),
  ];
}

function help(lang: AgentLang): string[] {
  return lang === "ja"
    ? [
        "次のような質問に答えられます:",
        "- 「alice は何をしましたか」",
        "- 「alice はいつアクティブですか」",
        "- 「alice は次に何をしますか」",
        "- 「2024-04-01 以降の異常は」",
        "- 「131041 の猫の KPI は」",
      ]
    : [
        "I can answer questions like:",
        "- what did alice do",
        "- when is alice active",
        "- what will alice do next",
        "- anomalies since 2024-04-01",
        "- cat KPIs for municipality 131041",
      ];
}
