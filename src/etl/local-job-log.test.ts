/**
 * Pins the local job log: the shared JobLog contract (job-log.contract.ts) over DataDir.jobs, plus
 * what only the local one does:
 * - records are 0600 files in DataDir.jobs, and no temporary file is left behind
 * - a job's claim is exclusive while its holder lives (a second claim does not run and does not
 *   wait), and a claim left by a process that is gone (kill -9) is taken over
 * - the content lock runs holders one at a time (also between two instances on one folder)
 * - a sealed quarantine row whose bytes changed, or read under another key, is INTEGRITY; rows
 *   written as plain JSON before encryption are still read
 */
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DataDir } from "../local/data-dir.js";
import { describeJobLogContract, jobRecord } from "../testing/contracts/job-log.contract.js";
import { tempDir } from "../testing/fixtures.js";
import { LocalJobLog } from "./local-job-log.js";
import { QuarantineCipher } from "./quarantine-cipher.js";

/** Every file under `root`, concatenated. */
function filesUnder(root: string): Buffer {
  const entries = readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
  return Buffer.concat(entries.map((e) => readFileSync(path.join(e.parentPath, e.name))));
}

describeJobLogContract("local", async () => {
  const dir = new DataDir(tempDir()).jobs;
  const cipher = new QuarantineCipher(randomBytes(32));
  return {
    jobs: new LocalJobLog(dir, { pollMs: 20, cipher }),
    reopen: () => new LocalJobLog(dir, { pollMs: 20, cipher }),
    storedBytes: async () => filesUnder(dir.root),
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

  it("refuses a sealed quarantine row that changed or is read under another key; reads plain old rows", async () => {
    const dir = new DataDir(tempDir()).jobs;
    const key = randomBytes(32);
    const jobs = new LocalJobLog(dir, { cipher: new QuarantineCipher(key) });
    const job = jobRecord();
    const q = await jobs.openQuarantine(job.jobId);
    await q.write({ row: 1, reason: "bad", values: { a: "x" } });
    await q.close();
    const file = path.join(dir.root, `${job.jobId}.quarantine.jsonl`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const other = new LocalJobLog(dir, { cipher: new QuarantineCipher(randomBytes(32)) });
    await expect(other.readQuarantine(job.jobId)).rejects.toMatchObject({ code: "INTEGRITY" });
    const sealed = readFileSync(file, "utf8");
    const at = Math.floor(sealed.length / 2);
    writeFileSync(file, sealed.slice(0, at) + (sealed[at] === "A" ? "B" : "A") + sealed.slice(at + 1));
    await expect(jobs.readQuarantine(job.jobId)).rejects.toMatchObject({
      code: "INTEGRITY",
      message: expect.stringContaining(job.jobId),
    });
    writeFileSync(file, `${JSON.stringify({ row: 2, reason: "old", values: {} })}\n`);
    expect(await jobs.readQuarantine(job.jobId)).toEqual([{ row: 2, reason: "old", values: {} }]);
  });
});
