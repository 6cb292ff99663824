import { CatdataError } from "../../errors.js";
import { type BehaviourConfig, BehaviourModel } from "./behaviour-model.js";
import type { PrincipalBatch } from "./principal-counts.js";

/**
 * The stored behaviour model's format (kept by a `ModelStore`): the trained counts of every principal (groups and the account are
 * sums, rebuilt on load), the training configuration, and a digest of the lake parts it has seen
 * (to know when to train again).
 */
export const MODEL_FORMAT = "catdata-behaviour/1";

export interface ModelMeta {
  trainedAt: string;
  /** How many lake parts, and a digest of their names, the model has been trained over. */
  parts: { count: number; digest: string };
}

interface ModelFile extends ModelMeta {
  format: typeof MODEL_FORMAT;
  config: BehaviourConfig;
  principals: [string, PrincipalBatch][];
}

export function serialiseModel(model: BehaviourModel, meta: ModelMeta): string {
  const file: ModelFile = {
    format: MODEL_FORMAT,
    ...meta,
    config: model.config,
    principals: [...model.principals].map(([id, counts]) => [id, counts.toBatch()]),
  };
  return JSON.stringify(file);
}

export function deserialiseModel(text: string, where: string): { model: BehaviourModel; meta: ModelMeta } {
  let file: ModelFile;
  try {
    file = JSON.parse(text) as ModelFile;
  } catch (error) {
    throw new CatdataError("INTEGRITY", `${where} is not valid JSON`, {
      hint: "delete it or run `catdata trail train --rebuild`",
      cause: error,
    });
  }
  if (file.format !== MODEL_FORMAT || !Array.isArray(file.principals)) {
    throw new CatdataError("INTEGRITY", `${where} is not a ${MODEL_FORMAT} model`, {
      hint: "run `catdata trail train --rebuild`",
    });
  }
  const model = new BehaviourModel(file.config);
  for (const [id, batch] of file.principals) model.addBatch(id, batch);
  return { model, meta: { trainedAt: file.trainedAt, parts: file.parts } };
}
