import { DuckDb } from "../../duckdb/duckdb.js";
import { trailPartsSql } from "../../trail/lake/parts-fingerprint.js";
import type { TrailLake } from "../../trail/lake/trail-lake.js";
import { DEFAULT_SESSION_GAP_MS } from "./behaviour-event.js";
import { BehaviourModel } from "./behaviour-model.js";
import type { ModelStore } from "./model-store.js";
import { trainingBatches } from "./train-sql.js";

/**
 * Training from the lake, incrementally: the stored model's high-water marks go into the SQL, so
 * only events after each principal's last counted event are aggregated and added (counts are
 * additive). `--rebuild`, or a different session gap, starts from nothing. Events that arrive in
 * the lake later than newer events of the same principal already counted are not counted (the
 * price of high-water marks); rebuild to include them.
 */
export interface TrainOptions {
  sessionGapMs?: number;
  rebuild?: boolean;
}

export interface TrainSummary {
  modelPath: string;
  trainedAt: string;
  rebuilt: boolean;
  newEvents: number;
  principalsUpdated: number;
  events: number;
  principals: number;
}

/** Counts of the lake's events before `untilMs` (not stored): the history an anomaly scan starts from. */
export async function trainUntil(trail: TrailLake, untilMs: number, sessionGapMs = DEFAULT_SESSION_GAP_MS) {
  const model = new BehaviourModel({ sessionGapMs });
  const parts = await trail.parts();
  if (parts.length === 0) return model;
  const db = await DuckDb.open(":memory:");
  try {
    const batches = await trainingBatches(db, { source: trailPartsSql(parts), sessionGapMs, marks: [], untilMs });
    for (const [principal, batch] of batches) model.addBatch(principal, batch);
  } finally {
    db.close();
  }
  return model;
}

export async function trainBehaviourModel(
  deps: { trail: TrailLake; models: ModelStore; now: () => Date },
  options: TrainOptions = {},
): Promise<{ model: BehaviourModel; summary: TrainSummary }> {
  const gap = options.sessionGapMs ?? DEFAULT_SESSION_GAP_MS;
  const stored = options.rebuild ? undefined : await deps.models.read();
  const reuse = stored !== undefined && stored.model.config.sessionGapMs === gap;
  const model = reuse ? stored.model : new BehaviourModel({ sessionGapMs: gap });
  const before = model.events;
  const fingerprint = await deps.trail.fingerprint();
  const parts = await deps.trail.parts();
  let principalsUpdated = 0;
  if (parts.length > 0) {
    const marks = [...model.principals].map(([principal, c]) => ({ principal, lastMs: c.lastMs, lastId: c.lastId }));
    const db = await DuckDb.open(":memory:");
    try {
      const batches = await trainingBatches(db, { source: trailPartsSql(parts), sessionGapMs: gap, marks });
      for (const [principal, batch] of batches) model.addBatch(principal, batch);
      principalsUpdated = batches.size;
    } finally {
      db.close();
    }
  }
  const trainedAt = deps.now().toISOString();
  await deps.models.write(model, { trainedAt, parts: fingerprint });
  return {
    model,
    summary: {
      modelPath: deps.models.location,
      trainedAt,
      rebuilt: !reuse,
      newEvents: model.events - before,
      principalsUpdated,
      events: model.events,
      principals: model.principals.size,
    },
  };
}
