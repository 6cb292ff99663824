import type { BehaviourModel } from "./behaviour-model.js";
import type { ModelMeta } from "./model-file.js";

/**
 * Where the trained behaviour model is kept, behind one port: read it, replace it (atomically),
 * and a cheap `stamp()` that changes whenever it is replaced, so a service can keep the
 * deserialised model in memory and re-read it only when another process trained. Chosen in the
 * composition root; `local-model-store.ts` keeps it under CATDATA_HOME (`models/behaviour.json`).
 */
export interface StoredModel {
  model: BehaviourModel;
  meta: ModelMeta;
}

export interface ModelStore {
  /** Where the model is, for messages (a file path, an S3 URL). */
  readonly location: string;
  /** The stored model, or undefined before the first training. Damaged: an INTEGRITY error. */
  read(): Promise<StoredModel | undefined>;
  write(model: BehaviourModel, meta: ModelMeta): Promise<void>;
  /** Changes when the model is replaced; undefined when there is none. */
  stamp(): Promise<string | undefined>;
}
