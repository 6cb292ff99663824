/**
 * Pins the evaluation harness on the real invictus trail (skipped without ../shared/data):
 * - bert-jan and benjamin have enough history and are evaluated on their last 30%
 * - the model beats the per-principal bigram baseline on top-3 accuracy for both
 * - anomaly ROC-AUC and recall at 1% FPR come from derived/event_labels.csv (214 attack calls)
 * - the readable report has the tables; label files are read by column, with clear errors
 */
import { describe, expect, it } from "vitest";
import { hasSamples, sample } from "../../testing/fixtures.js";
import { loadAttackMapping } from "../anomaly/attack-mapping.js";
import { formatEvaluation } from "../report/eval-text.js";
import { type EvaluationReport, evaluateFolder } from "./evaluate.js";
import { parseLabels } from "./labels.js";

describe("labels", () => {
  it("reads invictus-style ua_class labels and any named column", () => {
    const csv = "eventID,ua_class\na,stratus_detonation_sdk_call\nb,terraform_no_stratus_tag\n";
    expect([...parseLabels(csv, "l.csv").byEventId]).toEqual([
      ["a", true],
      ["b", false],
    ]);
    const other = parseLabels("event_id,verdict\nx,bad\ny,good\n", "v.csv", {
      labelColumn: "verdict",
      positive: "bad",
    });
    expect(other.byEventId.get("x")).toBe(true);
    expect(() => parseLabels("id,label\n1,1\n", "n.csv")).toThrow(/no event id column/);
    expect(() => parseLabels("eventID,x\n1,1\n", "n.csv")).toThrow(/no label column/);
  });
});

describe.skipIf(!hasSamples)("trail eval on invictus", () => {
  let report: EvaluationReport;
  const get = async () => {
    report ??= await evaluateFolder(sample("cloudtrail", "invictus-aws-dataset"), {
      mapping: await loadAttackMapping(sample()),
    });
    return report;
  };

  it("beats the per-principal bigram on top-3 for the principals with enough history", async () => {
    const { nextAction } = await get();
    expect(nextAction.map((r) => r.principal)).toEqual([
      "iam-user:123837392027/bert-jan",
      "iam-user:123837392027/benjamin",
    ]);
    for (const r of nextAction) {
      expect(r.testEvents).toBe(r.events - Math.floor(r.events * 0.7));
      expect(r.metrics.model.top3).toBeGreaterThan(r.metrics["principal-bigram"].top3);
      expect(r.metrics["principal-bigram"].top3).toBeGreaterThan(r.metrics["global-most-frequent"].top3);
    }
    expect(nextAction[0]?.metrics.model.top3).toBeGreaterThan(0.25);
  });

  it("measures anomalies against the stratus detonation labels", async () => {
    const { anomaly } = await get();
    expect(anomaly?.labels).toMatchObject({ positives: 214, negatives: 2686, unlabelled: 0 });
    expect(anomaly?.rocAuc).toBeGreaterThan(0.68);
    expect(anomaly?.recallAt1PctFpr).toBeGreaterThanOrEqual(0);
    expect(anomaly?.signals.find((s) => s.signal === "sensitive-action")?.rocAucAlone).toBeGreaterThan(0.75);
  });

  it("prints readable tables", async () => {
    const text = formatEvaluation(await get());
    expect(text).toMatch(/PRINCIPAL\s+METHOD\s+TOP1\s+TOP3\s+TOP5\s+MRR/);
    expect(text).toMatch(/ROC-AUC 0\.\d{3} · recall at 1% FPR \d+\.\d%/);
  });
});
