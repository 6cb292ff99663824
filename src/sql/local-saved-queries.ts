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
  type SaveOptions,
  savedQuerySchema,
} from "./saved-queries.js";

/** Version 1 files (before owners and versions): each query is its own first version, owned by its creator. */
const legacyQuery = savedQuerySchema
  .omit({ owner: true, version: true })
  .transform((q): SavedQuery => ({ ...q, owner: q.createdBy, version: 1 }));
const savedFile = z.discriminatedUnion("version", [
  z.object({ version: z.literal(1), queries: z.array(legacyQuery) }).transform((f) => ({ ...f, history: [] })),
  z.object({ version: z.literal(2), queries: z.array(savedQuerySchema), history: z.array(savedQuerySchema) }),
]);
interface State {
  /** The current version of each query. */
  queries: SavedQuery[];
  /** The replaced versions, in the order they were replaced. */
  history: SavedQuery[];
}

/**
 * Saved queries on local disk: one file, `DataDir.savedQueries` (`queries/saved.json`), written
 * atomically (`writeFileAtomic`: a crash leaves the old file or the new one, never half of one),
 * holding the current version of each query and every replaced one. Writes are serialised by this
 * object's own queue; a corrupt file is reported, never overwritten. Version 1 files are read as is
 * and written back as version 2 on the next change.
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
    return (await this.read()).queries.sort((a, b) => a.name.localeCompare(b.name));
  }

  async get(name: string): Promise<SavedQuery> {
    const found = (await this.read()).queries.find((q) => q.name === name);
    if (!found) throw noQuery(name);
    return found;
  }

  async versions(name: string): Promise<SavedQuery[]> {
    const state = await this.read();
    const current = state.queries.find((q) => q.name === name);
    if (!current) throw noQuery(name);
    return [...state.history.filter((q) => q.name === name).sort((a, b) => a.version - b.version), current];
  }

  async getVersion(name: string, version: number): Promise<SavedQuery> {
    const found = (await this.versions(name)).find((q) => q.version === version);
    if (!found) {
      throw notFound(
        `saved query ${name} has no version ${version}`,
        `list its versions: /queries/saved/${name}/versions`,
      );
    }
    return found;
  }

  async save(input: NewSavedQuery, options: SaveOptions = {}): Promise<SavedQuery> {
    assertQueryName(input.name);
    await assertReadOnlySql(input.sql);
    let saved: SavedQuery | undefined;
    await this.update((state) => {
      const previous = state.queries.find((q) => q.name === input.name);
      if (previous && !options.replace) {
        throw new CatdataError("CONFLICT", `a saved query named ${input.name} already exists`, {
          hint: "choose another name, or replace it (replace: true) if it is yours",
        });
      }
      if (previous && previous.owner !== input.createdBy && !options.mayReplaceAnyOwner) {
        throw new CatdataError("FORBIDDEN", `the saved query ${input.name} belongs to ${previous.owner}`, {
          hint: "save yours under another name; only its owner or an admin may replace it",
        });
      }
      const query: SavedQuery = {
        name: input.name,
        sql: input.sql,
        description: input.description ?? "",
        owner: previous?.owner ?? input.createdBy,
        createdBy: input.createdBy,
        createdAt: this.now().toISOString(),
        version: previous ? previous.version + 1 : 1,
      };
      saved = query;
      return previous
        ? { queries: state.queries.map((q) => (q === previous ? query : q)), history: [...state.history, previous] }
        : { queries: [...state.queries, query], history: state.history };
    });
    return saved as SavedQuery;
  }

  async delete(name: string): Promise<void> {
    await this.update((state) => {
      if (!state.queries.some((q) => q.name === name)) throw noQuery(name);
      return {
        queries: state.queries.filter((q) => q.name !== name),
        history: state.history.filter((q) => q.name !== name),
      };
    });
  }

  private async read(): Promise<State> {
    let text: string;
    try {
      text = await readFile(this.file, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return { queries: [], history: [] };
      throw error;
    }
    const parsed = savedFile.safeParse(safeJson(text));
    if (!parsed.success) {
      throw new CatdataError("INTEGRITY", `${this.file} is not a valid saved-queries file`, {
        hint: "restore it from backup or move it aside (the queries in it are then lost)",
      });
    }
    return { queries: parsed.data.queries, history: parsed.data.history };
  }

  private update(change: (state: State) => State): Promise<void> {
    return this.queue.run(this.file, async () => {
      const { queries, history } = change(await this.read());
      await writeFileAtomic(this.file, `${JSON.stringify({ version: 2, queries, history }, null, 2)}\n`);
    });
  }
}

const noQuery = (name: string) =>
  notFound(
    `no saved query named ${JSON.stringify(name)}`,
    "list them with `catdata queries list` or GET /queries/saved",
  );

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
