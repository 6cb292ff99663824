import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import type { SchemaDrift } from "../catalog/lake-catalog.js";
import type { Dataset } from "../cats/model.js";
import { lakePaths } from "../lake/layout.js";

/** One run of `process-cat-data` over one object version. */
export interface JobRecord {
  jobId: string;
  bucket: string;
  key: string;
  versionId: string;
  sha256: string;
  status: "running" | "succeeded" | "failed" | "duplicate";
  profile: string | null;
  municipality: string | null;
  attempts: number;
  startedAt: string;
  finishedAt: string | null;
  counts: { read: number; loaded: number; quarantined: number; deduplicated: number; skipped: number };
  loadedByDataset: Partial<Record<Dataset, number>>;
  /** Each table read (a CSV file, or a sheet of a workbook): its profile, headers and schema drift. */
  tables: { name: string; profile: string; headers: string[]; drift: SchemaDrift | null }[];
  /** Why the job failed, or why it is a duplicate. */
  error: string | null;
  duplicateOf: string | null;
}

/** A job id is derived from the object version, so a re-delivered event finds its job again (exactly once). */
export const jobIdFor = (bucket: string, key: string, versionId: string) =>
  createHash("sha256").update(`${bucket}\n${key}\n${versionId}`).digest("hex").slice(0, 20);

export class JobLog {
  private readonly dir: string;
  constructor(home: string) {
    this.dir = lakePaths(home).jobs;
  }

  quarantinePath(jobId: string): string {
    return path.join(this.dir, `${jobId}.quarantine.jsonl`);
  }

  async save(job: JobRecord): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const file = path.join(this.dir, `${job.jobId}.json`);
    await writeFile(`${file}.tmp`, JSON.stringify(job, null, 2));
    await rename(`${file}.tmp`, file);
    // An index by content, so a duplicate upload is found without reading every job.
    if (job.status === "succeeded" && job.sha256) {
      const dir = path.join(this.dir, "by-sha256", job.sha256);
      await mkdir(dir, { recursive: true });
      await writeFile(path.join(dir, job.jobId), "");
    }
  }

  /** Succeeded jobs that loaded exactly these bytes (by SHA-256). */
  async succeededWithContent(sha256: string): Promise<JobRecord[]> {
    if (!/^[0-9a-f]{64}$/.test(sha256)) return [];
    const ids = await readdir(path.join(this.dir, "by-sha256", sha256)).catch(() => [] as string[]);
    const jobs = await Promise.all(ids.map((id) => this.get(id)));
    return jobs.filter((j): j is JobRecord => j?.status === "succeeded");
  }

  async get(jobId: string): Promise<JobRecord | undefined> {
    try {
      return JSON.parse(await readFile(path.join(this.dir, `${jobId}.json`), "utf8")) as JobRecord;
    } catch {
      return undefined;
    }
  }

  /** All jobs, newest first. */
  async list(): Promise<JobRecord[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch {
      return [];
    }
    const jobs = await Promise.all(
      names.filter((n) => /^[0-9a-f]{20}\.json$/.test(n)).map((n) => this.get(n.slice(0, -5))),
    );
    return jobs.filter((j): j is JobRecord => j !== undefined).sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  }

  async quarantine(jobId: string): Promise<{ row: number; reason: string; values: Record<string, string> }[]> {
    try {
      const text = await readFile(this.quarantinePath(jobId), "utf8");
      return text
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l));
    } catch {
      return [];
    }
  }
}
