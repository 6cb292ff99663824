import { randomBytes } from "node:crypto";
import { mkdir, open, readFile, rm, stat } from "node:fs/promises";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { CatdataError } from "../errors.js";

/**
 * An exclusive lock between processes that share one data directory (the server and CLI commands):
 * a lock file created with O_EXCL holding the owner's pid and a token. A lock whose process is gone
 * (killed with -9) or older than `staleMs` is taken over; only the holder's token removes the file.
 * Waiting gives up after `timeoutMs` with a clear error naming the lock and what holds it.
 */
export interface LockOptions {
  timeoutMs?: number;
  staleMs?: number;
  pollMs?: number;
  /** What the lock protects, for the error ("the lake catalog", "a warehouse rebuild"). */
  what?: string;
}

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function isStale(file: string, staleMs: number): Promise<boolean> {
  try {
    const [text, info] = await Promise.all([readFile(file, "utf8"), stat(file)]);
    const pid = Number(text.split(" ")[0]);
    return (Number.isInteger(pid) && pid > 0 && !alive(pid)) || Date.now() - info.mtimeMs > staleMs;
  } catch {
    return false; // gone already, or being written: try again
  }
}

export async function withFileLock<T>(file: string, fn: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const { timeoutMs = 300_000, staleMs = 3_600_000, pollMs = 50 } = options;
  const token = `${process.pid} ${new Date().toISOString()} ${randomBytes(6).toString("hex")}`;
  const deadline = Date.now() + timeoutMs;
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await open(file, "wx", 0o600);
      await handle.writeFile(token);
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    if (await isStale(file, staleMs)) await rm(file, { force: true });
    else if (Date.now() > deadline) {
      const holder = await readFile(file, "utf8").catch(() => "?");
      throw new CatdataError(
        "CONFLICT",
        `timed out waiting for ${options.what ?? "the lock"} ${file} (held by pid ${holder.split(" ")[0]})`,
        { hint: "another catdata process is writing: wait for it, or delete the lock file if no such process runs" },
      );
    } else await sleep(Math.min(pollMs, 5 * 2 ** Math.min(attempt, 6)));
  }
  try {
    return await fn();
  } finally {
    const current = await readFile(file, "utf8").catch(() => "");
    if (current === token) await rm(file, { force: true });
  }
}
