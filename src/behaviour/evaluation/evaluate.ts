import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { DataDir } from "../../local/data-dir.js";
import { loadTrailFolder } from "../../trail/lake/load-trail.js";
import { LocalTrailLake } from "../../trail/lake/local-trail-lake.js";
import type { AttackMapping } from "../anomaly/attack-mapping.js";
import { type BehaviourEvent, DEFAULT_SESSION_GAP_MS } from "../model/behaviour-event.js";
import { readLakeEvents } from "../model/lake-events.js";
import { type AnomalyEvaluation, evaluateAnomalies, scoreAll } from "./anomaly-eval.js";
import { readAttackTechniques } from "./attack-techniques.js";
import { injectAs, runInjection, victimOf } from "./injection.js";
import { type InjectionSummary, summariseInjection } from "./injection-summary.js";
import { readLabels } from "./labels.js";
import { evaluateNextAction, type PrincipalResult } from "./next-action-eval.js";

/**
 * `catdata trail eval <folder>`: loads any CloudTrail folder into a temporary lake and measures
 * (1) next action: model vs baselines on a chronological split per principal; (2) anomalies:
 * ROC-AUC and recall at 1% FPR where labels exist (`--labels`, or `derived/event_labels.csv` in the
 * folder); (3) optionally, attack logs injected into the folder's benign events as its busiest
 * human principal (stolen credentials), plain and disguised, and where they rank.
 */
export interface EvaluateOptions {
  labels?: string;
  labelColumn?: string;
  positive?: string;
  trainShare?: number;
  minEvents?: number;
  sessionGapMs?: number;
  /** Folder of attack logs, one technique per file. */
  inject?: string;
  victim?: string;
  /** The ATT&CK mapping anomalies are scored with (the service's). */
  mapping: AttackMapping;
  onProgress?: (stage: string) => void;
}

export interface InjectionEvaluation {
  source: string;
  victim: string;
  at: string;
  plain: InjectionSummary;
  disguised: InjectionSummary;
}

export interface EvaluationReport {
  folder: string;
  events: number;
  principals: number;
  protocol: { trainShare: number; minEvents: number; sessionGapMinutes: number };
  nextAction: PrincipalResult[];
  anomaly: AnomalyEvaluation | null;
  injection: InjectionEvaluation | null;
}

const HUMAN_TYPES = new Set(["IAMUser", "AssumedRole", "IdentityCenterUser", "FederatedUser", "SAMLUser", "Root"]);

export function defaultVictim(events: readonly BehaviourEvent[]): string | undefined {
  const counts = new Map<string, { n: number; human: boolean }>();
  for (const e of events) {
    const c = counts.get(e.principal) ?? { n: 0, human: HUMAN_TYPES.has(e.principalType) };
    c.n += 1;
    counts.set(e.principal, c);
  }
  return [...counts].sort((a, b) => Number(b[1].human) - Number(a[1].human) || b[1].n - a[1].n)[0]?.[0];
}

export async function evaluateFolder(folder: string, options: EvaluateOptions): Promise<EvaluationReport> {
  const gap = options.sessionGapMs ?? DEFAULT_SESSION_GAP_MS;
  const protocol = {
    trainShare: options.trainShare ?? 0.7,
    minEvents: options.minEvents ?? 100,
    sessionGapMinutes: gap / 60_000,
  };
  const scratch = await mkdtemp(path.join(os.tmpdir(), "catdata-eval-"));
  let events: BehaviourEvent[];
  try {
    options.onProgress?.("loading");
    const lake = new LocalTrailLake(new DataDir(scratch).trail);
    await loadTrailFolder(lake, folder);
    events = await readLakeEvents(lake);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  options.onProgress?.("next action");
  const config = { sessionGapMs: gap };
  const nextAction = evaluateNextAction(events, { ...protocol, config });
  const mapping = options.mapping;
  const labelFile = options.labels ?? [path.join(folder, "derived", "event_labels.csv")].find((f) => existsSync(f));
  const labels = labelFile
    ? await readLabels(labelFile, {
        ...(options.labelColumn ? { labelColumn: options.labelColumn } : {}),
        ...(options.positive ? { positive: options.positive } : {}),
      })
    : undefined;
  options.onProgress?.("anomalies");
  const anomaly = labels ? evaluateAnomalies(scoreAll(events, mapping, gap), labels) : null;
  let injection: InjectionEvaluation | null = null;
  if (options.inject) {
    options.onProgress?.("injection");
    const benign = labels ? events.filter((e) => labels.byEventId.get(e.eventId) !== true) : events;
    const victimId = options.victim ?? defaultVictim(benign);
    const own = benign.filter((e) => e.principal === victimId);
    const atMs = own[Math.floor(own.length * protocol.trainShare)]?.timeMs;
    if (victimId && atMs !== undefined) {
      const victim = victimOf(benign, victimId);
      const techniques = await readAttackTechniques(options.inject);
      const run = (disguise: boolean) =>
        summariseInjection(
          techniques.map((t) =>
            runInjection(benign, injectAs(t.events, victim, atMs, disguise), t.technique, {
              mapping,
              sessionGapMs: gap,
            }),
          ),
        );
      injection = {
        source: options.inject,
        victim: victimId,
        at: new Date(atMs).toISOString(),
        plain: run(false),
        disguised: run(true),
      };
    }
  }
  return {
    folder,
    events: events.length,
    principals: new Set(events.map((e) => e.principal)).size,
    protocol,
    nextAction,
    anomaly,
    injection,
  };
}
