/**
 * Pins the local job log: the shared JobLog contract (job-log.contract.ts) over DataDir.jobs, plus
 * what only the local one does:
 * - records are 0600 files in DataDir.jobs, and no temporary file is left behind
 * - a job's claim is exclusive while its holder lives (a second claim does not run and does not
 *   wait), and a claim left by a process that is gone (kill -9) is taken over
 * - the content lock runs holders one at a time (also between two instances on one folder)
 */
import { readdirSync, statSync, writeFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DataDir } from "../local/data-dir.js";
import { describeJobLogContract, jobRecord } from "../testing/contracts/job-log.contract.js";
import { tempDir } from "../testing/fixtures.js";
import { LocalJobLog } from "./local-job-log.js";

describeJobLogContract("local", async () => {
  const dir = new DataDir(tempDir()).jobs;
  return {
    jobs: new LocalJobLog(dir, { pollMs: 20 }),
    reopen: () => new LocalJobLog(dir, { pollMs: 20 }),
    close: async () => {},
  };
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("LocalJobLog", () => {
  it("writes records as 0600 files and leaves no temporary file", async () => {
    const dir = new DataDir(tempDir()).jobs;
    const job = jobRecord();
    await new LocalJobLog(dir).save(job);
    expect(readdirSync(dir.root).filter((n) => n.endsWith(".tmp"))).toEqual([]);
    expect(statSync(path.join(dir.root, `${job.jobId}.json`)).mode & 0o777).toBe(0o600);
  });

  it("lets one runner claim a job; the second returns at once without running", async () => {
    const dir = new DataDir(tempDir()).jobs;
    const [a, b] = [new LocalJobLog(dir), new LocalJobLog(dir)];
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const first = a.claim("1".repeat(20), () => held.then(() => "first"));
    await sleep(20);
    let ran = false;
    const second = await b.claim("1".repeat(20), async () => {
      ran = true;
    });
    expect(second).toEqual({ ran: false });
    expect(ran).toBe(false);
    release();
    expect(await first).toEqual({ ran: true, value: "first" });
    expect(await b.claim("1".repeat(20), async () => "later")).toEqual({ ran: true, value: "later" });
  });

  it("takes over the claim of a runner that was killed", async () => {
    const dir = new DataDir(tempDir()).jobs;
    await mkdir(dir.locks, { recursive: true });
    writeFileSync(path.join(dir.locks, `job-${"2".repeat(20)}.lock`), "99999999 2024-01-01T00:00:00.000Z dead");
    expect(await new LocalJobLog(dir).claim("2".repeat(20), async () => "recovered")).toEqual({
      ran: true,
      value: "recovered",
    });
  });

  it("runs holders of one content lock one at a time", async () => {
    const dir = new DataDir(tempDir()).jobs;
    const logs = [new LocalJobLog(dir), new LocalJobLog(dir), new LocalJobLog(dir)];
    let inside = 0;
    let most = 0;
    await Promise.all(
      logs.map((log) =>
        log.withContentLock("d".repeat(64), async () => {
          inside += 1;
          most = Math.max(most, inside);
          await sleep(20);
          inside -= 1;
        }),
      ),
    );
    expect(most).toBe(1);
  });
});
