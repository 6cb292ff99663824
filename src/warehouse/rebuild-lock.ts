import { open, readFile, rm, stat } from "node:fs/promises";
import { CatdataError } from "../errors.js";

/**
 * A lock file created with O_EXCL (`wx`): the one rebuild that creates it runs, the others wait and
 * retry, so rebuilds in any process on the machine run one at a time and finish in the order they
 * started (a later rebuild never replaces newer marts with older ones). The file holds the holder's
 * pid; a lock whose process is gone, or older than `staleMs`, is taken over.
 */
export interface LockOptions {
  timeoutMs?: number;
  staleMs?: number;
  pollMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function alive(pid: number): boolean {
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
  const token = `${process.pid} ${new Date().toISOString()} ${Math.random().toString(36).slice(2)}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const handle = await open(file, "wx");
      await handle.writeFile(token);
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    if (await isStale(file, staleMs)) await rm(file, { force: true });
    else if (Date.now() > deadline) {
      const holder = await readFile(file, "utf8").catch(() => "?");
      throw new CatdataError("CONFLICT", `another warehouse rebuild holds ${file} (pid ${holder.split(" ")[0]})`, {
        hint: "wait for it to finish, or delete the lock file if that process is gone",
      });
    } else await sleep(pollMs);
  }
  try {
    return await fn();
  } finally {
    const current = await readFile(file, "utf8").catch(() => "");
    if (current === token) await rm(file, { force: true });
  }
}
