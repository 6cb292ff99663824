import { createHash } from "node:crypto";
import { stat } from "node:fs/promises";
import path from "node:path";
import { DuckDb } from "../sql/duckdb.js";
import { listTrailParts, trailPartsSql } from "../trail/lake-paths.js";
import { DEFAULT_SESSION_GAP_MS } from "./behaviour-event.js";
import { BehaviourModel } from "./behaviour-model.js";
import { behaviourModelPath, type ModelMeta, readModelFile, writeModelFile } from "./model-file.js";
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
  now?: () => Date;
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

export async function partsFingerprint(parts: readonly string[]): Promise<ModelMeta["parts"]> {
  const names = parts.map((p) => path.basename(p)).sort();
  return { count: names.length, digest: createHash("sha256").update(names.join("\n")).digest("hex").slice(0, 32) };
}

/** Counts of the lake's events before `untilMs` (not stored): the history an anomaly scan starts from. */
export async function trainUntil(home: string, untilMs: number, sessionGapMs = DEFAULT_SESSION_GAP_MS) {
  const model = new BehaviourModel({ sessionGapMs });
  const parts = await listTrailParts(home);
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
  home: string,
  options: TrainOptions = {},
): Promise<{ model: BehaviourModel; summary: TrainSummary }> {
  const now = options.now ?? (() => new Date());
  const gap = options.sessionGapMs ?? DEFAULT_SESSION_GAP_MS;
  const stored = options.rebuild ? undefined : await readModelFile(home);
  const reuse = stored !== undefined && stored.model.config.sessionGapMs === gap;
  const model = reuse ? stored.model : new BehaviourModel({ sessionGapMs: gap });
  const before = model.events;
  const parts = await listTrailParts(home);
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
  const trainedAt = now().toISOString();
  const modelPath = await writeModelFile(home, model, { trainedAt, parts: await partsFingerprint(parts) });
  return {
    model,
    summary: {
      modelPath,
      trainedAt,
      rebuilt: !reuse,
      newEvents: model.events - before,
      principalsUpdated,
      events: model.events,
      principals: model.principals.size,
    },
  };
}

/** Deserialised models kept per data directory, keyed by the model file's mtime and size. */
const loaded = new Map<string, { stamp: string; model: BehaviourModel; meta: ModelMeta }>();

async function readModelCached(home: string): Promise<{ model: BehaviourModel; meta: ModelMeta } | undefined> {
  const file = behaviourModelPath(home);
  const s = await stat(file).catch(() => undefined);
  if (!s) return undefined;
  const stamp = `${s.mtimeMs}:${s.size}`;
  const hit = loaded.get(home);
  if (hit?.stamp === stamp) return hit;
  const stored = await readModelFile(home);
  if (stored) loaded.set(home, { stamp, ...stored });
  return stored;
}

/**
 * The stored model, trained first if the lake has parts it has not seen (or there is none yet).
 * Served from memory while neither the model file nor the set of lake parts changed, so a
 * prediction does not re-read a model of megabytes.
 */
export async function ensureBehaviourModel(home: string, options: TrainOptions = {}) {
  const stored = await readModelCached(home);
  const fingerprint = await partsFingerprint(await listTrailParts(home));
  if (stored && stored.meta.parts.digest === fingerprint.digest) return { model: stored.model, meta: stored.meta };
  const { model, summary } = await trainBehaviourModel(home, options);
  return { model, meta: { trainedAt: summary.trainedAt, parts: fingerprint } };
}
