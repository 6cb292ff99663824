import { fmt, table } from "../../text/format.js";
import type { AnomalyReport } from "../anomaly/anomalies.js";
import type { PredictionResult } from "../behaviour-service.js";
import type { PrincipalProfile, PrincipalSummary } from "../model/principal-profile.js";
import type { TrainSummary } from "../model/train.js";

/** Text for people (the CLI): principals, a profile with an hour-of-week heatmap, predictions, anomalies. Pure. */
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const SHADES = [" ", "░", "▒", "▓", "█"];

export function formatTrainSummary(s: TrainSummary): string {
  return `${s.rebuilt ? "Trained" : "Updated"} ${s.modelPath}: +${fmt(s.newEvents)} events for ${fmt(s.principalsUpdated)} principals (now ${fmt(s.events)} events, ${fmt(s.principals)} principals)\n`;
}

export function formatPrincipals(rows: readonly PrincipalSummary[]): string {
  return table(
    rows.map((r) => ({
      PRINCIPAL: r.principal,
      TYPE: r.principalType,
      EVENTS: fmt(r.events),
      "LAST SEEN (UTC)": r.lastSeen.replace(".000Z", "Z"),
      APIS: r.distinctEventKeys,
      ERRORS: pct(r.errorRate),
      "TOP CALL": r.topEventKeys[0] ?? "",
    })),
  );
}

/** Seven rows (Mon…Sun) of 24 hours, shaded by events relative to the busiest hour. */
export function heatmap(eventsByHourOfWeek: readonly number[]): string {
  const max = Math.max(1, ...eventsByHourOfWeek);
  const lines = ["     0     6     12    18   23"];
  DAYS.forEach((day, d) => {
    const cells = eventsByHourOfWeek.slice(d * 24, d * 24 + 24).map((n) => {
      if (n === 0) return "·";
      return SHADES[Math.min(4, 1 + Math.floor((n / max) * 3.999))] ?? "█";
    });
    lines.push(`${day}  ${cells.join("")}`);
  });
  return lines.join("\n");
}

export function formatProfile(p: PrincipalProfile): string {
  const shares = (title: string, items: { value: string; count: number; share: number }[]) =>
    [`${title}:`, ...items.map((i) => `  ${pct(i.share).padStart(6)}  ${fmt(i.count).padStart(7)}  ${i.value}`)].join(
      "\n",
    );
  return `${[
    `${p.principal} (${p.principalType}): ${fmt(p.events)} events, ${p.distinctEventKeys} APIs in ${p.services} services, ${p.firstSeen} → ${p.lastSeen}`,
    `errors ${pct(p.errorRate)}, denials ${p.denials}`,
    shares("Top calls", p.topEvents),
    shares("Regions", p.regions),
    shares("Source IPs", p.sourceIps),
    ...(p.viaServices.length > 0 ? [shares("Called via AWS services", p.viaServices)] : []),
    shares("User agents", p.userAgents),
    shares("Session starts", p.sessionStarts),
    "Top transitions:",
    ...p.topTransitions.map(
      (t) => `  ${fmt(t.count).padStart(7)}  ${pct(t.probability).padStart(6)}  ${t.from} → ${t.to}`,
    ),
    `Activity by hour of week (${p.activity.timeZone}; ${p.activity.weeksObserved} week(s) observed):`,
    heatmap(p.activity.eventsByHourOfWeek),
    p.activity.forecastBasis === "now"
      ? "Most likely active next:"
      : `Most likely active in the week after the data ends (${p.activity.forecastFrom}):`,
    ...p.activity.nextActiveHours.map((h) => `  ${h.start}  ${h.local} ${p.activity.timeZone}  ${pct(h.probability)}`),
  ].join("\n")}\n`;
}

export function formatPredictions(r: PredictionResult): string {
  const context = r.after.length === 0 ? "at the start of a session" : `after … ${r.after.slice(-3).join(" → ")}`;
  const rows = r.predictions.map((p, i) => ({ RANK: i + 1, "NEXT CALL": p.eventKey, PROBABILITY: pct(p.probability) }));
  return `${r.principal} ${context} (last event ${r.lastEventTime}):\n${table(rows)}`;
}

export function formatAnomalies(r: AnomalyReport, withSessions: boolean): string {
  const head = `Scored ${fmt(r.scanned)} events${r.since ? ` since ${r.since}` : ""} (sensitive calls: ${r.attackMapping})\n`;
  const rows = r.anomalies.map((a, i) => ({
    RANK: i + 1,
    SCORE: a.score.toFixed(1),
    "TIME (UTC)": a.eventTime.replace(".000Z", "Z"),
    PRINCIPAL: a.principal,
    EVENT: a.eventKey,
    REASONS: a.reasons.map((x) => `${x.kind} ${x.contribution}`).join(", "),
  }));
  let text = head + table(rows);
  if (r.anomalies[0]) {
    text += `\nWhy #1 (${r.anomalies[0].eventID}):\n${r.anomalies[0].reasons.map((x) => `  +${x.contribution.toFixed(2)}  ${x.kind}: ${x.detail}`).join("\n")}\n`;
  }
  if (withSessions) {
    text += `\nSessions:\n${table(
      r.sessions.map((s) => ({
        SCORE: s.score.toFixed(1),
        PRINCIPAL: s.principal,
        START: s.start.replace(".000Z", "Z"),
        EVENTS: s.events,
        REASONS: s.reasons.map((x) => `${x.kind} ${x.contribution}`).join(", "),
      })),
    )}`;
  }
  return text;
}
