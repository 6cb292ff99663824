import { createHash } from "node:crypto";
import { CatdataError } from "../../errors.js";
import { type BehaviourConfig, BehaviourModel } from "./behaviour-model.js";
import type { PrincipalBatch } from "./principal-counts.js";

/**
 * The stored behaviour model's format (kept by a `ModelStore`): the trained counts of every principal (groups and the account are
 * sums, rebuilt on load), the training configuration, and a digest of the lake parts it has seen
 * (to know when to train again).
 *
 * Stored as JSON whose last field is the SHA-256 of the document without it:
 *   {"format":"catdata-behaviour/2",…,"bodySha256":"<hex>"}
 * A document that does not match it is refused (INTEGRITY): a changed count would otherwise
 * silently change every prediction. Only a `catdata-behaviour/1` file (written before checksums)
 * is read without one.
 */
export const MODEL_FORMAT = "catdata-behaviour/2";
const UNCHECKED_FORMAT = "catdata-behaviour/1";
const CHECKSUM = /,"bodySha256":"([0-9a-f]{64})"\}\s*$/;
const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

export interface ModelMeta {
  trainedAt: string;
  /** How many lake parts, and a digest of their names, the model has been trained over. */
  parts: { count: number; digest: string };
}

interface ModelFile extends ModelMeta {
  format: typeof MODEL_FORMAT | typeof UNCHECKED_FORMAT;
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
  const body = JSON.stringify(file);
  return `${body.slice(0, -1)},"bodySha256":"${sha256(body)}"}`;
}

const damaged = (where: string) =>
  new CatdataError("INTEGRITY", `${where} does not match the checksum recorded when it was trained; it is not used`, {
    hint: "run `catdata trail train --rebuild` (the model is trained again from the trail lake)",
  });

/** The document without its checksum field, checked against it (absent only in an unchecked-format file). */
function checkedBody(text: string, where: string): { body: string; checked: boolean } {
  const m = CHECKSUM.exec(text);
  if (!m) return { body: text, checked: false };
  const body = `${text.slice(0, m.index)}}`;
  if (m[1] !== sha256(body)) throw damaged(where);
  return { body, checked: true };
}

export function deserialiseModel(text: string, where: string): { model: BehaviourModel; meta: ModelMeta } {
  let file: ModelFile;
  const { body, checked } = checkedBody(text, where);
  try {
    file = JSON.parse(body) as ModelFile;
  } catch (error) {
    throw new CatdataError("INTEGRITY", `${where} is not valid JSON`, {
      hint: "delete it or run `catdata trail train --rebuild`",
      cause: error,
    });
  }
  if (file.format === MODEL_FORMAT && !checked) throw damaged(where);
  if ((file.format !== MODEL_FORMAT && file.format !== UNCHECKED_FORMAT) || !Array.isArray(file.principals)) {
    throw new CatdataError("INTEGRITY", `${where} is not a ${MODEL_FORMAT} model`, {
      hint: "run `catdata trail train --rebuild`",
    });
  }
  const model = new BehaviourModel(file.config);
  for (const [id, batch] of file.principals) model.addBatch(id, batch);
  return { model, meta: { trainedAt: file.trainedAt, parts: file.parts } };
}
