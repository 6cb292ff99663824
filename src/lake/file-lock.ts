import { open, readFile, rm } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { CatdataError } from "../errors.js";

/**
 * An exclusive lock between processes (the server and CLI commands share one data directory):
 * a lock file created with O_EXCL holding the owner's pid. A lock whose pid no longer runs (a process
 * killed with -9) is taken over; waiting gives up after `timeoutMs` with a clear error.
 */
export async function withFileLock<T>(lockPath: string, fn: () => Promise<T>, timeoutMs = 30_000): Promise<T> {
  const started = Date.now();
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await open(lockPath, "wx");
      await handle.writeFile(String(process.pid));
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      if (await isStale(lockPath)) {
        await rm(lockPath, { force: true });
        continue;
      }
      if (Date.now() - started > timeoutMs) {
        throw new CatdataError("UNAVAILABLE", `timed out waiting for the lock ${lockPath}`, {
          hint: "another catdata process is writing; retry, or remove the file if no catdata process runs",
        });
      }
      await sleep(Math.min(200, 5 * 2 ** Math.min(attempt, 6)));
    }
  }
  try {
    return await fn();
  } finally {
    await rm(lockPath, { force: true });
  }
}

async function isStale(lockPath: string): Promise<boolean> {
  let pid: number;
  try {
    pid = Number((await readFile(lockPath, "utf8")).trim());
  } catch {
    return false; // being written right now, or just removed
  }
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}
