import { type FileHandle, mkdir, open, readdir, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { writeFileAtomic } from "../local/atomic-write.js";
import type { Logger } from "../log/logger.js";
import { type AuditSpool, DEFAULT_SEGMENT_RECORDS, type SpoolEntry, type SpoolSegment } from "./audit-spool.js";
import type { LogFileEntry } from "./digest-file.js";
import type { UndigestedLog } from "./trail-writer.js";

/**
 * The spool on local disk: one JSON-lines file per segment (`<sequence>.jsonl`, 0600, in a 0700
 * folder). Appends are grouped: the records of every request that arrives while a write is in
 * flight go out in the next single write + fdatasync, and each `append` resolves after the fsync
 * of its group. Opening the folder takes up what a killed process left: every file becomes a
 * sealed segment; a torn last line (a write cut by the kill, never acknowledged) is skipped.
 * `undigested.json` beside them lists the log files delivered since the last digest, so the next
 * process's first digest lists them. One process per folder (the server's data directory).
 */
interface Segment {
  id: string;
  file: string;
  entries: SpoolEntry[];
  handle?: FileHandle;
}

interface Waiting {
  entries: readonly SpoolEntry[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

const SEGMENT = /^(\d{12})\.jsonl$/;
const UNDIGESTED = "undigested.json";

export interface FileSpoolOptions {
  maxSegmentRecords?: number;
  logger?: Logger;
}

export class FileSpool implements AuditSpool {
  private sealed: Segment[] = [];
  private current: Segment | undefined;
  private waiting: Waiting[] = [];
  private queue: Promise<unknown> = Promise.resolve();
  private readonly maxSegmentRecords: number;

  readonly undigested: UndigestedLog = {
    load: async () => {
      try {
        return JSON.parse(await readFile(path.join(this.folder, UNDIGESTED), "utf8")) as LogFileEntry[];
      } catch {
        return [];
      }
    },
    save: (entries) => writeFileAtomic(path.join(this.folder, UNDIGESTED), JSON.stringify(entries)),
  };

  private constructor(
    private readonly folder: string,
    private sequence: number,
    options: FileSpoolOptions,
  ) {
    this.maxSegmentRecords = options.maxSegmentRecords ?? DEFAULT_SEGMENT_RECORDS;
  }

  /** Opens (creating) the folder and loads the segments left in it, oldest first. */
  static async open(folder: string, options: FileSpoolOptions = {}): Promise<FileSpool> {
    await mkdir(folder, { recursive: true, mode: 0o700 });
    const names = (await readdir(folder)).filter((n) => SEGMENT.test(n)).sort();
    const last = names.at(-1);
    const spool = new FileSpool(folder, last ? Number(SEGMENT.exec(last)?.[1]) : 0, options);
    let torn = 0;
    for (const name of names) {
      const file = path.join(folder, name);
      const entries: SpoolEntry[] = [];
      for (const line of (await readFile(file, "utf8")).split("\n")) {
        if (line === "") continue;
        try {
          entries.push(JSON.parse(line) as SpoolEntry);
        } catch {
          torn += 1;
        }
      }
      if (entries.length === 0) await rm(file, { force: true });
      else spool.sealed.push({ id: name, file, entries });
    }
    if (torn > 0)
      options.logger?.warn({ folder, lines: torn }, "audit spool: skipped torn lines (writes never acknowledged)");
    return spool;
  }

  get size(): number {
    return this.sealed.reduce((n, s) => n + s.entries.length, 0) + (this.current?.entries.length ?? 0);
  }

  append(entries: readonly SpoolEntry[]): Promise<void> {
    if (entries.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.waiting.push({ entries, resolve, reject });
      // The first waiter schedules a write; later ones join it until it starts.
      if (this.waiting.length === 1) void this.serial(() => this.writeWaiting());
    });
  }

  seal(): Promise<SpoolSegment[]> {
    return this.serial(async () => {
      await this.closeCurrent();
      return [...this.sealed];
    });
  }

  delivered(segment: SpoolSegment, entries: readonly SpoolEntry[]): Promise<void> {
    return this.serial(async () => {
      const target = this.sealed.find((s) => s.id === segment.id);
      if (!target) return;
      const done = new Set(entries);
      target.entries = target.entries.filter((e) => !done.has(e));
      if (target.entries.length === 0) await this.remove(target);
    });
  }

  dropOldest(count: number): Promise<number> {
    return this.serial(async () => {
      let dropped = 0;
      for (const segment of [...this.sealed]) {
        if (dropped >= count) break;
        const n = Math.min(count - dropped, segment.entries.length);
        segment.entries.splice(0, n);
        dropped += n;
        if (segment.entries.length === 0) await this.remove(segment);
      }
      return dropped;
    });
  }

  close(): Promise<void> {
    return this.serial(() => this.closeCurrent());
  }

  private async writeWaiting(): Promise<void> {
    const group = this.waiting.splice(0);
    try {
      let pending = group.flatMap((w) => w.entries);
      while (pending.length > 0) {
        const segment = await this.openSegment();
        const room = this.maxSegmentRecords - segment.entries.length;
        const part = pending.slice(0, room);
        pending = pending.slice(room);
        await segment.handle?.write(part.map((e) => `${JSON.stringify(e)}\n`).join(""));
        await segment.handle?.datasync();
        segment.entries.push(...part);
        if (segment.entries.length >= this.maxSegmentRecords) await this.closeCurrent();
      }
      for (const w of group) w.resolve();
    } catch (error) {
      for (const w of group) w.reject(error);
    }
  }

  private async openSegment(): Promise<Segment> {
    if (this.current) return this.current;
    this.sequence += 1;
    const id = `${String(this.sequence).padStart(12, "0")}.jsonl`;
    const file = path.join(this.folder, id);
    const handle = await open(file, "a", 0o600);
    // The new file's name must survive too: sync the folder once per segment.
    const dir = await open(this.folder, "r");
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
    this.current = { id, file, entries: [], handle };
    return this.current;
  }

  private async closeCurrent(): Promise<void> {
    const segment = this.current;
    if (!segment) return;
    this.current = undefined;
    await segment.handle?.close();
    segment.handle = undefined;
    if (segment.entries.length > 0) this.sealed.push(segment);
    else await rm(segment.file, { force: true });
  }

  private async remove(segment: Segment): Promise<void> {
    this.sealed = this.sealed.filter((s) => s !== segment);
    await rm(segment.file, { force: true });
  }

  private serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
