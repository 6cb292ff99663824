/**
 * Pins process-cat-data's delivery guarantees:
 * - a transient read failure is retried with backoff and the job then succeeds (attempts counted)
 * - a failure that outlives every attempt lands in the dead-letter list; bad input is not retried
 * - two uploads at once both commit, and the catalog lists both
 * (a crash, kill -9, in the middle of a run: crash-recovery.test.ts)
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Readable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { templateHeaders } from "../cats/template.js";
import { LocalLake } from "../lake/local-lake.js";
import { DataDir } from "../local/data-dir.js";
import { silentLogger } from "../log/logger.js";
import { openRuntime, type Runtime } from "../runtime.js";
import { LocalObjectStore } from "../store/local-store.js";
import { loadOrCreateMasterKey } from "../store/master-key.js";
import { AUSTIN_HEADER, austinRows } from "../testing/austin-rows.js";
import { tempConfig, tempDir } from "../testing/fixtures.js";
import { ingestFile } from "./ingest.js";
import { LocalJobLog } from "./local-job-log.js";
import { createProcessCatData } from "./process-cat-data.js";

let runtime: Runtime | undefined;
afterEach(async () => runtime?.close());

/** A store whose reads fail `failures` times with an I/O error before working. */
function flaky(store: LocalObjectStore, failures: number): LocalObjectStore {
  let left = failures;
  const original = store.getStream.bind(store);
  store.getStream = async (key: string, versionId?: string): Promise<Readable> => {
    if (left > 0) {
      left -= 1;
      throw Object.assign(new Error("EIO: i/o error, read"), { code: "EIO" });
    }
    return original(key, versionId);
  };
  return store;
}

describe("process-cat-data reliability", () => {
  it("retries transient failures with backoff, then dead-letters", async () => {
    const config = tempConfig();
    const key = loadOrCreateMasterKey(config.keyFile);
    const csv = `${AUSTIN_HEADER}\n${austinRows(3).join("\n")}\n`;
    const dataDir = new DataDir(config.dataDirectory);
    const jobs = new LocalJobLog(dataDir.jobs);
    for (const [failures, expected] of [
      [2, "succeeded"],
      [5, "failed"],
    ] as const) {
      const store = flaky(
        new LocalObjectStore(path.join(config.dataDirectory, `store-${failures}`), "b", key),
        failures,
      );
      const waits: number[] = [];
      const handler = createProcessCatData({
        store,
        lake: new LocalLake(dataDir),
        jobs,
        logger: silentLogger,
        sleep: async (ms) => waits.push(ms),
      });
      store.onPut((e) => handler({ Records: [e] }).then(() => {}));
      const v = await store.put(`raw/x/${failures}.csv`, Buffer.from(csv));
      const job = (await jobs.list()).find((j) => j.versionId === v.versionId);
      expect(job?.status).toBe(expected);
      expect(job?.attempts).toBe(3);
      expect(waits).toEqual([200, 800]);
    }
    const dlq = readFileSync(dataDir.jobs.deadLetter, "utf8").trim().split("\n");
    expect(dlq).toHaveLength(1);
    expect(JSON.parse(dlq[0] ?? "{}")).toMatchObject({
      error: expect.stringMatching(/EIO/),
      event: { s3: { object: { key: "raw/x/5.csv" } } },
    });
    expect(await jobs.deadLetters()).toEqual([JSON.parse(dlq[0] ?? "{}")]);
  });

  it("commits two uploads at once", async () => {
    runtime = await openRuntime(tempConfig(), silentLogger);
    const dir = tempDir();
    const header = templateHeaders("complaints", "en").join(",");
    const files = ["a", "b"].map((n) => {
      const p = path.join(dir, `${n}.csv`);
      writeFileSync(
        p,
        `${header}\n${Array.from({ length: 50 }, (_, i) => `131041,2024-0${1 + (i % 9)}-1${i % 9},,noise,${n}${i},`).join("\n")}\n`,
      );
      return p;
    });
    const jobs = await Promise.all(files.map((f) => ingestFile(runtime!, f, { municipality: "131041" })));
    expect(jobs.map((j) => j.status)).toEqual(["succeeded", "succeeded"]);
    const state = await runtime!.lake.readCatalog();
    expect(new Set(state.tables.complaints?.files.map((f) => f.jobId))).toEqual(new Set(jobs.map((j) => j.jobId)));
    expect((await runtime.query.query("SELECT count(*)::INT AS n FROM complaints")).rows[0]?.n).toBe(100);
  });
});
