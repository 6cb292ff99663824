import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { CatdataError } from "../errors.js";
import { type BehaviourConfig, BehaviourModel } from "./behaviour-model.js";
import type { PrincipalBatch } from "./principal-counts.js";

/**
 * `<home>/models/behaviour.json`: the trained counts of every principal (groups and the account are
 * sums, rebuilt on load), the training configuration, and a digest of the lake parts it has seen
 * (to know when to train again). Written atomically (tmp + rename), so readers never see half a file.
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

export const behaviourModelPath = (home: string): string => path.join(home, "models", "behaviour.json");

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

export async function readModelFile(home: string): Promise<{ model: BehaviourModel; meta: ModelMeta } | undefined> {
  const file = behaviourModelPath(home);
  const text = await readFile(file, "utf8").catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return undefined;
    throw error;
  });
  return text === undefined ? undefined : deserialiseModel(text, file);
}

export async function writeModelFile(home: string, model: BehaviourModel, meta: ModelMeta): Promise<string> {
  const file = behaviourModelPath(home);
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(tmp, serialiseModel(model, meta));
  await rename(tmp, file);
  return file;
}
