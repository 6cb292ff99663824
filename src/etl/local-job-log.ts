import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { createReadStream, createWriteStream } from "node:fs";
import { appendFile, mkdir, readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { createInterface } from "node:readline";
import { CatdataError } from "../errors.js";
import { moveIntoPlace, writeFileAtomic } from "../local/atomic-write.js";
import type { DataDir } from "../local/data-dir.js";
import { withFileLock } from "../local/file-lock.js";
import {
  type DeadLetter,
  isJobId,
  isPublished,
  isSha256,
  type JobLog,
  type JobRecord,
  type QuarantinedRow,
  type QuarantineWriter,
  type WaitOptions,
} from "./job-log.js";
import { JobWaiter } from "./job-waiter.js";
import { PLAIN_ROWS, type QuarantineCipher } from "./quarantine-cipher.js";

/**
 * The job log under CATDATA_HOME (DataDir.jobs): `<id>.json` records (written atomically, 0600),
 * `<id>.quarantine.jsonl`, `dead-letter.jsonl`, the content index `by-sha256/<sha>/<id>` and lock
 * files in `locks/` (a job's claim, a content hash's check → run → commit), which the server and CLI
 * commands sharing the folder respect; a lock of a process killed with -9 is taken over. Every file
 * is 0600 in 0700 folders. Given a `cipher` (the runtime always gives one, from the store's master
 * key), each quarantined row is stored AES-256-GCM sealed (quarantine-cipher.ts), never in clear.
 */
export interface LocalJobLogOptions {
  pollMs?: number;
  /** Seals quarantined rows at rest; without one they are stored as plain JSON lines. */
  cipher?: QuarantineCipher;
}

export class LocalJobLog implements JobLog {
  private readonly waiter: JobWaiter;
  private readonly cipher: QuarantineCipher | undefined;

  constructor(
    private readonly dir: DataDir["jobs"],
    options: LocalJobLogOptions = {},
  ) {
    this.waiter = new JobWaiter((id) => this.get(id), options.pollMs ?? 200);
    this.cipher = options.cipher;
  }

  private rowCipher = (jobId: string) => this.cipher?.forJob(jobId) ?? PLAIN_ROWS;

  private recordFile = (jobId: string) => path.join(this.dir.root, `${jobId}.json`);
  private quarantineFile = (jobId: string) => path.join(this.dir.root, `${jobId}.quarantine.jsonl`);

  async save(job: JobRecord): Promise<void> {
    if (!isJobId(job.jobId)) throw new Error(`not a job id: ${job.jobId}`);
    await writeFileAtomic(this.recordFile(job.jobId), JSON.stringify(job, null, 2));
    if (isPublished(job) && isSha256(job.sha256)) {
      await writeFileAtomic(path.join(this.dir.bySha256, job.sha256, job.jobId), "");
    }
    this.waiter.notify(job);
  }

  async get(jobId: string): Promise<JobRecord | undefined> {
    if (!isJobId(jobId)) return undefined;
    try {
      return JSON.parse(await readFile(this.recordFile(jobId), "utf8")) as JobRecord;
    } catch {
      return undefined;
    }
  }

  async list(): Promise<JobRecord[]> {
    const names = await readdir(this.dir.root).catch(() => [] as string[]);
    const ids = names.filter((n) => /^[0-9a-f]{20}\.json$/.test(n)).map((n) => n.slice(0, -5));
    const jobs = await Promise.all(ids.map((id) => this.get(id)));
    return jobs.filter((j): j is JobRecord => j !== undefined).sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  }

  async committedWithContent(sha256: string): Promise<JobRecord[]> {
    if (!isSha256(sha256)) return [];
    const ids = await readdir(path.join(this.dir.bySha256, sha256)).catch(() => [] as string[]);
    const jobs = await Promise.all(ids.map((id) => this.get(id)));
    return jobs.filter((j): j is JobRecord => j !== undefined && isPublished(j));
  }

  async openQuarantine(jobId: string): Promise<QuarantineWriter> {
    const file = this.quarantineFile(jobId);
    await mkdir(this.dir.root, { recursive: true, mode: 0o700 });
    const tmp = `${file}.${randomBytes(4).toString("hex")}.tmp`;
    const out = createWriteStream(tmp, { flags: "wx", mode: 0o600 });
    await once(out, "open");
    const cipher = this.rowCipher(jobId);
    let index = 0;
    return {
      write: async (row) => {
        if (!out.write(`${cipher.seal(JSON.stringify(row), index++)}\n`)) await once(out, "drain");
      },
      close: async () => {
        if (out.closed) return;
        await new Promise((resolve) => out.end(resolve));
        await moveIntoPlace(tmp, file);
      },
    };
  }

  async readQuarantine(jobId: string, offset = 0, limit = Number.POSITIVE_INFINITY): Promise<QuarantinedRow[]> {
    if (!isJobId(jobId)) return [];
    const out: QuarantinedRow[] = [];
    const cipher = this.rowCipher(jobId);
    const stream = createReadStream(this.quarantineFile(jobId), { encoding: "utf8" });
    const lines = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
    let index = 0;
    try {
      for await (const line of lines) {
        if (line === "") continue;
        const at = index++;
        if (at < offset) continue;
        out.push(JSON.parse(cipher.open(line, at)) as QuarantinedRow);
        if (out.length >= limit) break;
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    } finally {
      lines.close();
      stream.destroy();
    }
    return out;
  }

  async deadLetter(entry: DeadLetter): Promise<void> {
    await mkdir(this.dir.root, { recursive: true, mode: 0o700 });
    await appendFile(this.dir.deadLetter, `${JSON.stringify(entry)}\n`, { mode: 0o600 });
  }

  async deadLetters(): Promise<DeadLetter[]> {
    const text = await readFile(this.dir.deadLetter, "utf8").catch(() => "");
    return text
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as DeadLetter);
  }

  waitFor(jobId: string, options?: WaitOptions): Promise<JobRecord> {
    return this.waiter.waitFor(jobId, options);
  }

  async claim<T>(jobId: string, fn: () => Promise<T>): Promise<{ ran: true; value: T } | { ran: false }> {
    const file = path.join(this.dir.locks, `job-${jobId}.lock`);
    let ran = false;
    try {
      // Liveness is by pid (a killed runner's claim is taken over), so no age limit within a day.
      const value = await withFileLock(
        file,
        () => {
          ran = true;
          return fn();
        },
        { timeoutMs: 0, pollMs: 5, staleMs: 86_400_000, what: `job ${jobId}` },
      );
      return { ran: true, value };
    } catch (error) {
      if (!ran && error instanceof CatdataError && error.code === "CONFLICT") return { ran: false };
      throw error;
    }
  }

  withContentLock<T>(sha256: string, fn: () => Promise<T>): Promise<T> {
    const name = isSha256(sha256) ? sha256 : "unknown";
    return withFileLock(path.join(this.dir.locks, `sha256-${name}.lock`), fn, {
      timeoutMs: 6 * 3_600_000,
      staleMs: 86_400_000,
      what: "the jobs loading the same file",
    });
  }
}
