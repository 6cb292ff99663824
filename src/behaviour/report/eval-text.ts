import { table } from "../../text/format.js";
import type { EvaluationReport } from "../evaluation/evaluate.js";
import type { InjectionSummary } from "../evaluation/injection-summary.js";
import { METHODS } from "../evaluation/next-action-eval.js";

/** The evaluation report for people: tables of next-action accuracy, anomaly metrics and injection ranks. Pure. */
const pct = (x: number | null) => (x === null ? "n/a" : `${(x * 100).toFixed(1)}%`);
const num = (x: number | null) => (x === null ? "n/a" : x.toFixed(3));

function injectionLines(name: string, s: InjectionSummary): string[] {
  return [
    `  ${name}: ${s.techniques} techniques, median best rank ${s.medianBestRank}, caught in top 10 ${pct(s.caughtInTop10)}, ` +
      `in top 1% ${pct(s.caughtInTop1Percent)}; injected events in top 1%: ${pct(s.eventsInTop1Percent)}`,
  ];
}

export function formatEvaluation(report: EvaluationReport): string {
  const p = report.protocol;
  const out = [
    `Evaluation of ${report.folder}: ${report.events.toLocaleString("en-US")} events, ${report.principals} principals`,
    `Protocol: per principal, first ${pct(p.trainShare)} of events train, the rest test; principals with ≥ ${p.minEvents} events; sessions end after ${p.sessionGapMinutes} min idle`,
    "",
    "Next action (accuracy of the true next call within the top k; MRR = mean reciprocal rank)",
  ];
  const rows = report.nextAction.flatMap((r) =>
    METHODS.map((m) => ({
      PRINCIPAL: m === METHODS[0] ? `${r.principal} (${r.trainEvents}/${r.testEvents})` : "",
      METHOD: m,
      TOP1: pct(r.metrics[m].top1),
      TOP3: pct(r.metrics[m].top3),
      TOP5: pct(r.metrics[m].top5),
      MRR: num(r.metrics[m].mrr),
    })),
  );
  out.push(rows.length > 0 ? table(rows).trimEnd() : `  no principal has ≥ ${p.minEvents} events`, "");
  const a = report.anomaly;
  if (!a) out.push("Anomalies: no labels (give --labels <csv>)");
  else {
    out.push(
      `Anomalies vs ${a.labels.file} (${a.labels.column} = ${a.labels.positive.join("|")}): ${a.labels.positives} attack, ${a.labels.negatives} other, ${a.labels.unlabelled} unlabelled`,
      `  ROC-AUC ${num(a.rocAuc)} · recall at 1% FPR ${pct(a.recallAt1PctFpr)}`,
      table(
        a.signals.map((s) => ({
          SIGNAL: s.signal,
          FIRES: s.fires,
          "AUC WITHOUT": num(s.rocAucWithout),
          "AUC ALONE": num(s.rocAucAlone),
        })),
      ).trimEnd(),
    );
  }
  const i = report.injection;
  if (i) {
    out.push(
      "",
      `Injection of ${i.source} as ${i.victim} at ${i.at} (one run per technique; rank 1 = most anomalous event)`,
    );
    out.push(...injectionLines("as-is (attacker's IP, user agent, region)", i.plain));
    out.push(...injectionLines("disguised (victim's usual IP, user agent, region)", i.disguised));
  }
  return `${out.join("\n")}\n`;
}
