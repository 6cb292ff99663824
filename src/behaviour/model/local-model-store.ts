import { readFile, stat } from "node:fs/promises";
import { writeFileAtomic } from "../../local/atomic-write.js";
import type { BehaviourModel } from "./behaviour-model.js";
import { deserialiseModel, type ModelMeta, serialiseModel } from "./model-file.js";
import type { ModelStore, StoredModel } from "./model-store.js";

/**
 * The behaviour model as one JSON file (`DataDir.models.behaviour`), replaced atomically so readers
 * never see half a file; its stamp is the file's mtime and size.
 */
export class LocalModelStore implements ModelStore {
  readonly location: string;

  constructor(private readonly file: string) {
    this.location = file;
  }

  async read(): Promise<StoredModel | undefined> {
    const text = await readFile(this.file, "utf8").catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return undefined;
      throw error;
    });
    return text === undefined ? undefined : deserialiseModel(text, this.file);
  }

  async write(model: BehaviourModel, meta: ModelMeta): Promise<void> {
    await writeFileAtomic(this.file, serialiseModel(model, meta));
  }

  async stamp(): Promise<string | undefined> {
    const s = await stat(this.file).catch(() => undefined);
    return s ? `${s.mtimeMs}:${s.size}` : undefined;
  }
}
