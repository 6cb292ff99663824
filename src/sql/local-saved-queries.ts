import { readFile } from "node:fs/promises";
import { z } from "zod";
import { CatdataError, notFound } from "../errors.js";
import { writeFileAtomic } from "../local/atomic-write.js";
import type { DataDir } from "../local/data-dir.js";
import { KeyedQueue } from "../local/key-queue.js";
import { assertReadOnlySql } from "./read-only.js";
import {
  assertQueryName,
  type NewSavedQuery,
  type SavedQueries,
  type SavedQuery,
  savedQuerySchema,
} from "./saved-queries.js";

const savedFile = z.object({ version: z.literal(1), queries: z.array(savedQuerySchema) });

/**
 * Saved queries on local disk: one file, `DataDir.savedQueries` (`queries/saved.json`), written
 * atomically (`writeFileAtomic`: a crash leaves the old file or the new one, never half of one).
 * Writes are serialised by this object's own queue; a corrupt file is reported, never overwritten.
 */
export class LocalSavedQueries implements SavedQueries {
  readonly file: string;
  private readonly queue = new KeyedQueue();

  constructor(
    dataDir: DataDir,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.file = dataDir.savedQueries;
  }

  async list(): Promise<SavedQuery[]> {
    return (await this.read()).sort((a, b) => a.name.localeCompare(b.name));
  }

  async get(name: string): Promise<SavedQuery> {
    const found = (await this.read()).find((q) => q.name === name);
    if (!found) throw notFound(`no saved query named ${JSON.stringify(name)}`, "list them with `catdata queries list`");
    return found;
  }

  async save(input: NewSavedQuery, options: { replace?: boolean } = {}): Promise<SavedQuery> {
    assertQueryName(input.name);
    await assertReadOnlySql(input.sql);
    const query: SavedQuery = {
      name: input.name,
      sql: input.sql,
      description: input.description ?? "",
      createdBy: input.createdBy,
      createdAt: this.now().toISOString(),
    };
    await this.update((queries) => {
      const i = queries.findIndex((q) => q.name === query.name);
      if (i >= 0 && !options.replace) {
        throw new CatdataError("CONFLICT", `a saved query named ${query.name} already exists`, {
          hint: "choose another name, or delete the old one first",
        });
      }
      return i >= 0 ? queries.map((q, j) => (j === i ? query : q)) : [...queries, query];
    });
    return query;
  }

  async delete(name: string): Promise<void> {
    await this.update((queries) => {
      if (!queries.some((q) => q.name === name)) throw notFound(`no saved query named ${JSON.stringify(name)}`);
      return queries.filter((q) => q.name !== name);
    });
  }

  private async read(): Promise<SavedQuery[]> {
    let text: string;
    try {
      text = await readFile(this.file, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw error;
    }
    const parsed = savedFile.safeParse(safeJson(text));
    if (!parsed.success) {
      throw new CatdataError("INTEGRITY", `${this.file} is not a valid saved-queries file`, {
        hint: "restore it from backup or move it aside (the queries in it are then lost)",
      });
    }
    return parsed.data.queries;
  }

  private update(change: (queries: SavedQuery[]) => SavedQuery[]): Promise<void> {
    return this.queue.run(this.file, async () => {
      const queries = change(await this.read());
      await writeFileAtomic(this.file, `${JSON.stringify({ version: 1, queries }, null, 2)}\n`);
    });
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
