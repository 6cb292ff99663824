import { randomUUID } from "node:crypto";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { badInput, CatdataError, notFound } from "../errors.js";
import { assertReadOnlySql } from "./read-only.js";

/**
 * Saved named queries (Athena's named queries): `<home>/queries/saved.json`, written atomically
 * (temp file + rename, so a crash leaves the old file or the new one, never half of one). Writes in
 * one process are serialised; the SQL is checked read-only when it is saved.
 */
const NAME = /^[a-z0-9-]{1,64}$/;

const savedQuery = z.object({
  name: z.string().regex(NAME),
  sql: z.string().min(1),
  description: z.string(),
  createdBy: z.string(),
  createdAt: z.string(),
});
const savedFile = z.object({ version: z.literal(1), queries: z.array(savedQuery) });

export type SavedQuery = z.infer<typeof savedQuery>;

export function assertQueryName(name: string): void {
  if (!NAME.test(name)) {
    throw badInput(
      `invalid query name ${JSON.stringify(name)}`,
      "use 1-64 lower-case letters, digits and -, e.g. monthly-intakes",
    );
  }
}

const queues = new Map<string, Promise<unknown>>();

export class SavedQueries {
  readonly file: string;

  constructor(
    home: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.file = path.join(home, "queries", "saved.json");
  }

  async list(): Promise<SavedQuery[]> {
    return (await this.read()).sort((a, b) => a.name.localeCompare(b.name));
  }

  async get(name: string): Promise<SavedQuery> {
    const found = (await this.read()).find((q) => q.name === name);
    if (!found) throw notFound(`no saved query named ${JSON.stringify(name)}`, "list them with `catdata queries list`");
    return found;
  }

  async save(
    input: { name: string; sql: string; description?: string; createdBy: string },
    options: { replace?: boolean } = {},
  ): Promise<SavedQuery> {
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
    const previous = queues.get(this.file) ?? Promise.resolve();
    const next = previous
      .catch(() => undefined)
      .then(async () => {
        const queries = change(await this.read());
        await mkdir(path.dirname(this.file), { recursive: true });
        const tmp = `${this.file}.${randomUUID()}.tmp`;
        try {
          await writeFile(tmp, `${JSON.stringify({ version: 1, queries }, null, 2)}\n`, { mode: 0o600 });
          await rename(tmp, this.file);
        } finally {
          await rm(tmp, { force: true });
        }
      });
    queues.set(this.file, next);
    return next;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
