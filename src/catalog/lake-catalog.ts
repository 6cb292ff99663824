import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Dataset } from "../cats/model.js";
import { withFileLock } from "../lake/file-lock.js";
import { lakePaths } from "../lake/layout.js";

/**
 * The local catalog (the Glue Data Catalog role): which Parquet files make up each curated table and
 * its partitions, plus the schema history of each upload source for drift detection. The catalog file
 * is the commit point: a job's files become visible to queries only when one atomic rename of
 * `catalog.json` lists them, so a crash mid-commit leaves nothing half-visible.
 */
export interface CatalogFileEntry {
  /** Path relative to the lake directory. */
  path: string;
  jobId: string;
  municipality: string;
  fiscalYear: number;
}

export interface SourceSchemaEntry {
  jobId: string;
  versionId: string;
  profile: string;
  headers: string[];
  types: Record<string, string>;
  at: string;
}

export interface SchemaDrift {
  added: string[];
  removed: string[];
  retyped: { column: string; from: string; to: string }[];
}

export interface CatalogState {
  version: number;
  tables: Partial<Record<Dataset, { files: CatalogFileEntry[]; updatedAt: string }>>;
  sources: Record<string, SourceSchemaEntry[]>;
}

const EMPTY: CatalogState = { version: 0, tables: {}, sources: {} };

export class LakeCatalog {
  readonly file: string;
  private readonly lake: string;

  constructor(home: string) {
    this.lake = lakePaths(home).lake;
    this.file = path.join(this.lake, "catalog.json");
  }

  async read(): Promise<CatalogState> {
    try {
      return JSON.parse(await readFile(this.file, "utf8")) as CatalogState;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return structuredClone(EMPTY);
      throw error;
    }
  }

  private async update(fn: (state: CatalogState) => void): Promise<CatalogState> {
    await mkdir(this.lake, { recursive: true });
    return withFileLock(`${this.file}.lock`, async () => {
      const state = await this.read();
      fn(state);
      state.version += 1;
      const tmp = `${this.file}.${process.pid}.tmp`;
      await writeFile(tmp, JSON.stringify(state));
      await rename(tmp, this.file);
      return state;
    });
  }

  /** Makes a job's files the job's whole contribution to each table (replacing an earlier run's). */
  async commitJob(jobId: string, files: Partial<Record<Dataset, string[]>>, now = new Date()): Promise<void> {
    await this.update((state) => {
      for (const [dataset, absolute] of Object.entries(files) as [Dataset, string[]][]) {
        const table = state.tables[dataset] ?? { files: [], updatedAt: now.toISOString() };
        table.files = table.files.filter((f) => f.jobId !== jobId);
        for (const file of absolute) {
          const rel = path.relative(this.lake, file);
          const m = /municipality=([^/]+)\/fiscal_year=(-?\d+)\//.exec(rel);
          table.files.push({
            path: rel,
            jobId,
            municipality: decodeURIComponent(m?.[1] ?? ""),
            fiscalYear: Number(m?.[2] ?? 0),
          });
        }
        table.files.sort((a, b) => a.path.localeCompare(b.path));
        table.updatedAt = now.toISOString();
        state.tables[dataset] = table;
      }
    });
  }

  /** Absolute paths of a table's committed files. */
  filesOf(state: CatalogState, dataset: Dataset): string[] {
    return (state.tables[dataset]?.files ?? []).map((f) => path.join(this.lake, f.path));
  }

  /** Records an upload's schema under its source and returns the drift from the previous upload. */
  async recordSchema(source: string, entry: SourceSchemaEntry): Promise<SchemaDrift | null> {
    let drift: SchemaDrift | null = null;
    await this.update((state) => {
      const history = state.sources[source] ?? [];
      const previous = history.filter((h) => h.jobId !== entry.jobId).at(-1);
      if (previous) drift = diffSchemas(previous, entry);
      state.sources[source] = [...history.filter((h) => h.jobId !== entry.jobId), entry].slice(-20);
    });
    return drift;
  }
}

export function diffSchemas(
  before: Pick<SourceSchemaEntry, "headers" | "types">,
  after: Pick<SourceSchemaEntry, "headers" | "types">,
): SchemaDrift | null {
  const added = after.headers.filter((h) => !before.headers.includes(h));
  const removed = before.headers.filter((h) => !after.headers.includes(h));
  const retyped = after.headers
    .filter(
      (h) => before.headers.includes(h) && before.types[h] && after.types[h] && before.types[h] !== after.types[h],
    )
    .map((column) => ({ column, from: before.types[column] ?? "", to: after.types[column] ?? "" }));
  return added.length || removed.length || retyped.length ? { added, removed, retyped } : null;
}
