/**
 * Pins crash recovery with a REAL process killed with SIGKILL in the middle of an ETL run:
 * - the child's job record shows progress (bytes read > 0) while it runs, and it is still `running`
 *   after the kill; the lake shows nothing of the job (no catalog files, no table) and the raw version
 *   is intact
 * - opening a runtime again (a restart) makes the queue finish the job by itself, exactly once: the
 *   counts reconcile with the file (read = rows; read = loaded + quarantined + deduplicated + skipped)
 *   and the query engine counts `loaded` distinct rows
 */
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import { filesOfJob } from "../lake/catalog-state.js";
import { LocalLake } from "../lake/local-lake.js";
import { DataDir } from "../local/data-dir.js";
import { silentLogger } from "../log/logger.js";
import { openRuntime, type Runtime } from "../runtime.js";
import { austinCsv } from "../testing/austin-rows.js";
import { tempConfig, tempDir } from "../testing/fixtures.js";
import type { JobRecord } from "./job-log.js";
import { LocalJobLog } from "./local-job-log.js";

const ROWS = 200_000;
let runtime: Runtime | undefined;
afterEach(async () => runtime?.close());

describe("crash recovery", () => {
  it("finishes a job whose process was killed with -9, exactly once", async () => {
    const config = tempConfig();
    const dataDir = new DataDir(config.dataDirectory);
    const file = path.join(tempDir(), "big.csv");
    writeFileSync(file, austinCsv(ROWS));
    const env = {
      ...process.env,
      CATDATA_HOME: config.dataDirectory,
      CATDATA_KEY_FILE: config.keyFile,
      CATDATA_LOG_LEVEL: "silent",
      CATDATA_DEMO: "false",
    };
    const child = spawn(process.execPath, ["--import", "tsx", path.resolve("src/testing/ingest-child.ts"), file], {
      env,
      stdio: "ignore",
    });
    const exited = new Promise((resolve) => child.once("exit", resolve));
    const jobs = new LocalJobLog(dataDir.jobs);
    let seen: JobRecord | undefined;
    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline && child.exitCode === null) {
      seen = (await jobs.list())[0];
      if (seen?.status === "running" && (seen.progress?.bytesRead ?? 0) > 0) break;
      await sleep(25);
    }
    child.kill("SIGKILL");
    await exited;
    expect(seen?.progress?.bytesRead).toBeGreaterThan(0);
    const [stuck] = await jobs.list();
    expect(stuck?.status).toBe("running");
    expect(stuck!.progress!.bytesRead).toBeLessThan(stuck!.progress!.totalBytes);
    const catalog = await new LocalLake(dataDir).readCatalog();
    expect(filesOfJob(catalog, stuck!.jobId)).toEqual([]);

    runtime = await openRuntime(config, silentLogger, { rebuildMartsAfterLoad: false });
    const raw = await runtime.store.get(stuck!.key, stuck!.versionId);
    expect(raw.equals(readFileSync(file))).toBe(true);
    const done = await runtime.jobs.waitFor(stuck!.jobId, { timeoutMs: 120_000 });
    expect(done.status).toBe("succeeded");
    expect(done.attempts).toBeGreaterThan(stuck!.attempts);
    const c = done.counts;
    expect(c.read).toBe(ROWS);
    expect(c.loaded + c.quarantined + c.deduplicated + c.skipped).toBe(c.read);
    const n = await runtime.query.query(
      "SELECT count(*)::INT AS n, count(DISTINCT animal_id)::INT AS ids FROM intakes",
    );
    expect(n.rows[0]).toEqual({ n: c.loaded, ids: c.loaded });
    expect(filesOfJob(await runtime.lake.readCatalog(), done.jobId).length).toBeGreaterThan(0);
  }, 240_000);
});
