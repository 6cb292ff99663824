/**
 * Pins duplicates under concurrency: the same bytes uploaded several times at once load once.
 * - four runtimes on one data directory (as four processes would) ingest one file at the same time:
 *   exactly one job succeeds, three end `duplicate` pointing at it, and the lake holds the rows once
 * - without the content lock (as with the S3 job log), two jobs with the same bytes that run at once
 *   are still told apart AT COMMIT by the lake's guard: one succeeds, the other ends `duplicate` with
 *   `duplicateOf` and publishes nothing
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { filesOfJob } from "../lake/catalog-state.js";
import { LocalLake } from "../lake/local-lake.js";
import { DataDir } from "../local/data-dir.js";
import { silentLogger } from "../log/logger.js";
import { openRuntime, type Runtime } from "../runtime.js";
import { LocalObjectStore } from "../store/local-store.js";
import { loadOrCreateMasterKey } from "../store/master-key.js";
import { objectCreatedEvent } from "../store/object-store.js";
import { austinCsv } from "../testing/austin-rows.js";
import { tempConfig, tempDir } from "../testing/fixtures.js";
import { ingestFile } from "./ingest.js";
import { LocalJobLog } from "./local-job-log.js";
import { createProcessCatData } from "./process-cat-data.js";

const ROWS = 2_000;
let runtimes: Runtime[] = [];
afterEach(async () => {
  await Promise.all(runtimes.map((r) => r.close()));
  runtimes = [];
});

describe("concurrent duplicates", () => {
  it("loads a file uploaded four times at once exactly once", async () => {
    const config = tempConfig();
    const file = path.join(tempDir(), "same.csv");
    writeFileSync(file, austinCsv(ROWS));
    runtimes = await Promise.all(
      [1, 2, 3, 4].map(() => openRuntime(config, silentLogger, { rebuildMartsAfterLoad: false })),
    );
    const jobs = await Promise.all(runtimes.map((r) => ingestFile(r, file, { municipality: "us-tx-austin" })));
    const statuses = jobs.map((j) => j.status).sort();
    expect(statuses).toEqual(["duplicate", "duplicate", "duplicate", "succeeded"]);
    const winner = jobs.find((j) => j.status === "succeeded")!;
    for (const dup of jobs.filter((j) => j.status === "duplicate")) expect(dup.duplicateOf).toBe(winner.jobId);
    expect(new Set(jobs.map((j) => j.jobId)).size).toBe(4);
    const [runtime] = runtimes;
    const n = await runtime!.query.query("SELECT count(*)::INT AS n FROM intakes");
    expect(n.rows[0]).toEqual({ n: ROWS });
    const catalog = await runtime!.lake.readCatalog();
    for (const j of jobs) expect(filesOfJob(catalog, j.jobId).length > 0).toBe(j === winner);
  }, 120_000);

  it("refuses the second of two same-content jobs at commit when nothing serialises them", async () => {
    const config = tempConfig();
    const dataDir = new DataDir(config.dataDirectory);
    const store = new LocalObjectStore(dataDir.store, "b", loadOrCreateMasterKey(config.keyFile));
    const lake = new LocalLake(dataDir);
    // Two job logs whose content lock does not lock (the S3 job log's behaviour), one per "process".
    const unlocked = () => {
      const log = new LocalJobLog(dataDir.jobs);
      log.withContentLock = (_sha, fn) => fn();
      return log;
    };
    const body = Buffer.from(austinCsv(ROWS));
    const versions = await Promise.all(["a.csv", "b.csv"].map((n) => store.put(`raw/us-tx-austin/${n}`, body)));
    const results = await Promise.all(
      versions.map((v) =>
        createProcessCatData({ store, lake, jobs: unlocked(), logger: silentLogger })({
          Records: [objectCreatedEvent("b", v)],
        }),
      ),
    );
    const jobs = results.flat();
    expect(jobs.map((j) => j.status).sort()).toEqual(["duplicate", "succeeded"]);
    const winner = jobs.find((j) => j.status === "succeeded")!;
    const loser = jobs.find((j) => j.status === "duplicate")!;
    expect(loser.duplicateOf).toBe(winner.jobId);
    expect(loser.error).toMatch(/already committed/);
    expect(loser.counts).toMatchObject({ read: ROWS, loaded: 0, deduplicated: ROWS });
    const catalog = await lake.readCatalog();
    expect(filesOfJob(catalog, loser.jobId)).toEqual([]);
    expect(filesOfJob(catalog, winner.jobId).length).toBeGreaterThan(0);
  }, 120_000);
});
