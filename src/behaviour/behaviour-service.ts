import { notFound } from "../errors.js";
import type { TrailLake } from "../trail/lake/trail-lake.js";
import { type LookupFilter, type LookupResult, lookupEvents } from "../trail/lookup/lookup-events.js";
import { type AnomalyQuery, type AnomalyReport, listAnomalies } from "./anomaly/anomalies.js";
import { type AttackMapping, loadAttackMapping } from "./anomaly/attack-mapping.js";
import { type TrailStatus, trailStatus } from "./data-status.js";
import { type EvaluateOptions, type EvaluationReport, evaluateFolder } from "./evaluation/evaluate.js";
import type { BehaviourModel } from "./model/behaviour-model.js";
import { readLakeEvents } from "./model/lake-events.js";
import type { ModelStore, StoredModel } from "./model/model-store.js";
import { type Prediction, predictNextActions } from "./model/next-action.js";
import {
  listPrincipalSummaries,
  type PrincipalProfile,
  type PrincipalSummary,
  principalProfile,
} from "./model/principal-profile.js";
import { RECENT_KEYS } from "./model/sessions.js";
import { type TrainOptions, type TrainSummary, trainBehaviourModel } from "./model/train.js";
import type { ReportData } from "./report/html-report.js";
import { resolveEventKey } from "./resolve-event-key.js";
import { resolvePrincipal } from "./resolve-principal.js";
import { activityWindow, type UserActivity, userActivity } from "./user-activity.js";

/**
 * The behaviour features as the CLI, the API and the MCP tools use them, over one trail lake and
 * its stored model (trained first when the lake has parts the model has not seen). Built once, in
 * the composition root. What it caches — the ATT&CK mapping, the deserialised model (re-read when
 * the store's stamp changes), the principals' last sessions — are fields of this object.
 */
export interface BehaviourServiceDeps {
  trail: TrailLake;
  models: ModelStore;
  /** Where `cloudtrail/traildiscover/events.json` may be (`config.samplesDir`). */
  samplesDir: string;
  now: () => Date;
}

export interface PredictionResult {
  principal: string;
  /** The session keys the prediction follows (oldest first); empty for a new session. */
  after: string[];
  /** When the principal's last event was, ISO 8601. */
  lastEventTime: string;
  predictions: Prediction[];
}

export interface ReportOptions {
  since?: string;
  timeZone?: string;
  principals?: number;
  limit?: number;
  onProgress?: AnomalyQuery["onProgress"];
}

/** When the model's events end: the latest last event of any principal (−∞ for an empty model). */
export function dataEnd(model: BehaviourModel): number {
  let end = Number.NEGATIVE_INFINITY;
  for (const counts of model.principals.values()) end = Math.max(end, counts.lastMs);
  return end;
}

export interface DataStatus extends TrailStatus {
  model: {
    location: string;
    /** When the stored model was trained; null before the first training. */
    trainedAt: string | null;
    partsTrained: number;
    partsInLake: number;
    /** false: the next behaviour call trains over the parts it has not seen first. */
    upToDate: boolean;
  };
}

export class BehaviourService {
  readonly trail: TrailLake;
  private mapping: Promise<AttackMapping> | undefined;
  private loaded: (StoredModel & { stamp: string }) | undefined;
  /** Last-session event keys per (lake state, principal). */
  private readonly lastSessions = new Map<string, string[]>();

  constructor(private readonly deps: BehaviourServiceDeps) {
    this.trail = deps.trail;
  }

  attackMapping(): Promise<AttackMapping> {
    this.mapping ??= loadAttackMapping(this.deps.samplesDir);
    return this.mapping;
  }

  /** Trains (incrementally, or from nothing with `rebuild`) and stores the model. */
  async train(options: TrainOptions = {}): Promise<TrainSummary> {
    return (await trainBehaviourModel(this.deps, options)).summary;
  }

  /**
   * The stored model, trained first if the lake has parts it has not seen (or there is none yet).
   * Served from memory while neither the stored model nor the set of parts changed.
   */
  async model(): Promise<StoredModel> {
    const stored = await this.readCached();
    const fingerprint = await this.deps.trail.fingerprint();
    if (stored && stored.meta.parts.digest === fingerprint.digest) return { model: stored.model, meta: stored.meta };
    const { model, summary } = await trainBehaviourModel(this.deps);
    return { model, meta: { trainedAt: summary.trainedAt, parts: fingerprint } };
  }

  async principals(): Promise<PrincipalSummary[]> {
    return listPrincipalSummaries((await this.model()).model);
  }

  async profile(principal: string, options: { timeZone?: string; top?: number } = {}): Promise<PrincipalProfile> {
    const { model } = await this.model();
    const id = resolvePrincipal(model, principal);
    const counts = model.principal(id);
    if (!counts) throw notFound(`no principal ${id}`);
    const now = this.deps.now();
    const dataEndMs = dataEnd(model);
    return principalProfile(id, counts, {
      timeZone: options.timeZone ?? "UTC",
      now,
      top: options.top ?? 10,
      dataEndMs,
    });
  }

  async predict(
    principal: string,
    options: { top?: number; after?: string[]; newSession?: boolean } = {},
  ): Promise<PredictionResult> {
    const { model, meta } = await this.model();
    const id = resolvePrincipal(model, principal);
    const counts = model.principal(id);
    if (!counts) throw notFound(`no principal ${id}`);
    // Calls as the caller named them, as the model spells them (`ListObjects` → `s3.amazonaws.com:ListObjects`).
    const hint = "the calls a principal makes are the topEvents of its profile";
    let after = (options.after ?? []).map((name) => resolveEventKey(model.account.unigrams.keys(), name, hint));
    if (!options.after && !options.newSession) {
      // The principal's last session, read from the lake once per lake state.
      const key = `${meta.parts.digest}\n${id}`;
      let keys = this.lastSessions.get(key);
      if (!keys) {
        const gap = model.config.sessionGapMs;
        const recent = await readLakeEvents(this.deps.trail, {
          principal: id,
          sinceMs: counts.lastMs - RECENT_KEYS * gap,
        });
        let start = recent.length - 1;
        while (start > 0 && (recent[start]?.timeMs ?? 0) - (recent[start - 1]?.timeMs ?? 0) <= gap) start--;
        keys = recent.slice(Math.max(start, recent.length - RECENT_KEYS)).map((e) => e.eventKey);
        if (this.lastSessions.size > 10_000) this.lastSessions.clear();
        this.lastSessions.set(key, keys);
      }
      after = keys;
    }
    return {
      principal: id,
      after,
      lastEventTime: new Date(counts.lastMs).toISOString(),
      predictions: predictNextActions(model, id, after.slice(-RECENT_KEYS), options.top ?? 5),
    };
  }

  /** What one principal did in a window (default: the last week of its activity), from its events. */
  async activity(
    principal: string,
    options: { startMs?: number; endMs?: number; timeZone?: string; top?: number } = {},
  ): Promise<UserActivity> {
    const { model } = await this.model();
    const id = resolvePrincipal(model, principal);
    const counts = model.principal(id);
    if (!counts) throw notFound(`no principal ${id}`);
    const window = activityWindow(counts.lastMs, options);
    const events = await readLakeEvents(this.deps.trail, {
      principal: id,
      sinceMs: window.startMs,
      untilMs: window.endMs,
    });
    return userActivity(id, events, {
      window: {
        start: new Date(window.startMs).toISOString(),
        end: new Date(window.endMs).toISOString(),
        basis: window.basis,
      },
      timeZone: options.timeZone ?? "UTC",
      top: options.top ?? 10,
    });
  }

  /** What is loaded (sources, events, time span, age) and whether the stored model has seen all of it. */
  async status(): Promise<DataStatus> {
    const trail = await trailStatus(this.deps.trail, this.deps.now());
    const stored = await this.readCached();
    const fingerprint = await this.deps.trail.fingerprint();
    return {
      ...trail,
      model: {
        location: this.deps.models.location,
        trainedAt: stored?.meta.trainedAt ?? null,
        partsTrained: stored?.meta.parts.count ?? 0,
        partsInLake: fingerprint.count,
        upToDate: stored !== undefined && stored.meta.parts.digest === fingerprint.digest,
      },
    };
  }

  async anomalies(query: AnomalyQuery = {}): Promise<AnomalyReport> {
    return listAnomalies({ trail: this.deps.trail, mapping: await this.attackMapping() }, query);
  }

  lookup(filter: LookupFilter = {}): Promise<LookupResult> {
    return lookupEvents(this.deps.trail, filter);
  }

  /** What the HTML report shows: the busiest principals' profiles and the ranked anomalies. */
  async report(options: ReportOptions = {}): Promise<ReportData> {
    const busiest = (await this.principals()).slice(0, options.principals ?? 12);
    const zone = options.timeZone ? { timeZone: options.timeZone } : {};
    const principals = [];
    for (const p of busiest) principals.push(await this.profile(p.principal, { ...zone, top: 10 }));
    const anomalies = await this.anomalies({
      ...(options.since ? { since: options.since } : {}),
      limit: options.limit ?? 50,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    return { generatedAt: this.deps.now().toISOString(), principals, anomalies };
  }

  /** `catdata trail eval`: any folder, in a temporary lake of its own, scored with this service's mapping. */
  async evaluate(folder: string, options: Omit<EvaluateOptions, "mapping"> = {}): Promise<EvaluationReport> {
    return evaluateFolder(folder, { ...options, mapping: await this.attackMapping() });
  }

  private async readCached(): Promise<StoredModel | undefined> {
    const stamp = await this.deps.models.stamp();
    if (stamp === undefined) return undefined;
    if (this.loaded?.stamp === stamp) return this.loaded;
    const stored = await this.deps.models.read();
    this.loaded = stored ? { stamp, ...stored } : undefined;
    return stored;
  }
}
