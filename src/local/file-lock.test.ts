/**
 * Pins the cross-process file lock (the lake catalog's, a warehouse rebuild's): holders never
 * overlap, a lock left by a dead process is taken over, a lock held by a live one makes the waiter
 * give up after its timeout with a CONFLICT naming the pid, and the lock file is gone afterwards
 * even when the work throws.
 */
import { existsSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../testing/fixtures.js";
import { withFileLock } from "./file-lock.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("withFileLock", () => {
  it("runs holders one at a time", async () => {
    const file = path.join(tempDir(), "rebuild.lock");
    let inside = 0;
    let most = 0;
    const work = async (i: number) => {
      inside += 1;
      most = Math.max(most, inside);
      await sleep(20);
      inside -= 1;
      return i;
    };
    const results = await Promise.all([1, 2, 3].map((i) => withFileLock(file, () => work(i), { pollMs: 5 })));
    expect(results).toEqual([1, 2, 3]);
    expect(most).toBe(1);
    expect(existsSync(file)).toBe(false);
  });

  it("takes over the lock of a process that is gone", async () => {
    const file = path.join(tempDir(), "rebuild.lock");
    writeFileSync(file, "99999999 2020-01-01T00:00:00.000Z abc");
    expect(await withFileLock(file, async () => "ran", { timeoutMs: 1000 })).toBe("ran");
  });

  it("gives up on a live holder after the timeout, naming it", async () => {
    const file = path.join(tempDir(), "rebuild.lock");
    writeFileSync(file, `${process.pid} ${new Date().toISOString()} other`);
    await expect(withFileLock(file, async () => "ran", { timeoutMs: 60, pollMs: 10 })).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringContaining(`pid ${process.pid}`),
    });
    expect(existsSync(file)).toBe(true); // not ours to remove
  });

  it("releases the lock when the work fails", async () => {
    const file = path.join(tempDir(), "rebuild.lock");
    await expect(withFileLock(file, () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(existsSync(file)).toBe(false);
  });
});
