import type { AnomalyReport } from "../anomaly/anomalies.js";
import type { PrincipalProfile } from "../model/principal-profile.js";
import { barsSvg, escapeHtml, heatmapSvg } from "./svg-charts.js";

/**
 * `catdata trail report`: one self-contained HTML file (inline CSS and SVG, no script, no network)
 * with, per principal, its activity heatmap, habits and top transitions, then the ranked anomalies
 * and sessions with their reasons. Pure: data in, HTML text out.
 */
export interface ReportData {
  generatedAt: string;
  principals: PrincipalProfile[];
  anomalies: AnomalyReport;
}

const e = escapeHtml;
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

function principalSection(p: PrincipalProfile): string {
  const transitions = p.topTransitions.map((t) => ({
    label: `${t.from.split(":").pop()} → ${t.to.split(":").pop()}`,
    value: t.count,
    text: `${t.count} (${pct(t.probability)})`,
  }));
  return `<section class="principal">
  <h2>${e(p.principal)} <small>${e(p.principalType)} · ${p.events.toLocaleString("en-US")} events · ${p.distinctEventKeys} APIs</small></h2>
  <p>${e(p.firstSeen)} → ${e(p.lastSeen)} · errors ${pct(p.errorRate)} · denials ${p.denials}</p>
  <div class="row">
    <div><h3>Activity (${e(p.activity.timeZone)})</h3>${heatmapSvg(p.activity.eventsByHourOfWeek, p.activity.timeZone)}</div>
    <div><h3>Top calls</h3>${barsSvg(p.topEvents.map((t) => ({ label: t.value, value: t.count })))}</div>
  </div>
  <h3>Top transitions</h3>${barsSvg(transitions)}
</section>`;
}

function anomalyTable(report: AnomalyReport): string {
  const rows = report.anomalies.map(
    (
      a,
      i,
    ) => `<tr><td>${i + 1}</td><td>${a.score.toFixed(1)}</td><td>${e(a.eventTime)}</td><td>${e(a.principal)}</td><td>${e(a.eventKey)}</td>
      <td><ul>${a.reasons.map((r) => `<li><b>+${r.contribution.toFixed(2)} ${e(r.kind)}</b>: ${e(r.detail)}</li>`).join("")}</ul></td></tr>`,
  );
  return `<table><thead><tr><th>#</th><th>Score</th><th>Time (UTC)</th><th>Principal</th><th>Event</th><th>Reasons</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

function sessionTable(report: AnomalyReport): string {
  const rows = report.sessions
    .slice(0, 20)
    .map(
      (s) =>
        `<tr><td>${s.score.toFixed(1)}</td><td>${e(s.principal)}</td><td>${e(s.start)} → ${e(s.end)}</td><td>${s.events}</td><td>${e(s.reasons.map((r) => `${r.kind} ${r.contribution}`).join(", "))}</td></tr>`,
    );
  return `<table><thead><tr><th>Score</th><th>Principal</th><th>Session</th><th>Events</th><th>Reasons (strongest of each kind)</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

export function renderHtmlReport(data: ReportData): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>catdata — CloudTrail behaviour report</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:2rem;color:#111}h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem}
h3{font-size:.95rem;margin:.8rem 0 .3rem}small{color:#555;font-weight:normal}.row{display:flex;gap:2rem;flex-wrap:wrap}
table{border-collapse:collapse;width:100%;font-size:12px}td,th{border-bottom:1px solid #ddd;padding:4px;text-align:left;vertical-align:top}
ul{margin:0;padding-left:1rem}section.principal{border-top:2px solid #2563eb}
</style></head><body>
<h1>CloudTrail behaviour report</h1>
<p>Generated ${e(data.generatedAt)} · ${data.principals.length} principals shown · ${data.anomalies.scanned.toLocaleString("en-US")} events scored${data.anomalies.since ? ` since ${e(data.anomalies.since)}` : ""} · sensitive calls weighted by ${e(data.anomalies.attackMapping)}</p>
<h2>Most anomalous events</h2>${anomalyTable(data.anomalies)}
<h2>Most anomalous sessions</h2>${sessionTable(data.anomalies)}
${data.principals.map(principalSection).join("\n")}
</body></html>
`;
}
