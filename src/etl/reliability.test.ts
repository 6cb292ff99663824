/**
 * Pins process-cat-data's delivery guarantees:
 * - a transient read failure is retried with backoff and the job then succeeds (attempts counted)
 * - a failure that outlives every attempt lands in the dead-letter list; bad input is not retried
 * - two uploads at once both commit, and the catalog lists both
 * - a crash (kill -9) in the middle of an ETL run leaves no partial data visible and the raw version
 *   intact; on restart the job is rerun and loads every row exactly once
 */
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Readable } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import { LakeCatalog } from "../catalog/lake-catalog.js";
import { templateHeaders } from "../cats/template.js";
import { lakePaths } from "../lake/layout.js";
import { silentLogger } from "../log/logger.js";
import { openRuntime, type Runtime } from "../runtime.js";
import { LocalObjectStore } from "../store/local-store.js";
import { loadOrCreateMasterKey } from "../store/master-key.js";
import { tempConfig, tempDir } from "../testing/fixtures.js";
import { ingestFile } from "./ingest.js";
import { JobLog } from "./jobs.js";
import { createProcessCatData } from "./process-cat-data.js";

const AUSTIN_HEADER =
  "Animal ID,Name,DateTime,MonthYear,Found Location,Intake Type,Intake Condition,Animal Type,Sex upon Intake,Age upon Intake,Breed,Color";
const austinRows = (n: number) =>
  Array.from(
    { length: n },
    (_, i) =>
      `A${i},N,0${1 + (i % 9)}/1${i % 10}/2019 10:00:00 AM,x,Somewhere in Austin (TX),Stray,Normal,Cat,Intact Female,${1 + (i % 5)} years,Domestic Shorthair,Black`,
  );

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
    for (const [failures, expected] of [
      [2, "succeeded"],
      [5, "failed"],
    ] as const) {
      const store = flaky(new LocalObjectStore(path.join(config.home, `store-${failures}`), "b", key), failures);
      const waits: number[] = [];
      const handler = createProcessCatData({
        home: config.home,
        store,
        logger: silentLogger,
        sleep: async (ms) => waits.push(ms),
      });
      store.onPut((e) => handler({ Records: [e] }).then(() => {}));
      const v = await store.put(`raw/x/${failures}.csv`, Buffer.from(csv));
      const job = (await new JobLog(config.home).list()).find((j) => j.versionId === v.versionId);
      expect(job?.status).toBe(expected);
      expect(job?.attempts).toBe(3);
      expect(waits).toEqual([200, 800]);
    }
    const dlq = readFileSync(path.join(lakePaths(config.home).jobs, "dead-letter.jsonl"), "utf8")
      .trim()
      .split("\n");
    expect(dlq).toHaveLength(1);
    expect(JSON.parse(dlq[0] ?? "{}")).toMatchObject({
      error: expect.stringMatching(/EIO/),
      event: { s3: { object: { key: "raw/x/5.csv" } } },
    });
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
    const state = await new LakeCatalog(runtime.config.home).read();
    expect(new Set(state.tables.complaints?.files.map((f) => f.jobId))).toEqual(new Set(jobs.map((j) => j.jobId)));
    expect((await runtime.query.query("SELECT count(*)::INT AS n FROM complaints")).rows[0]?.n).toBe(100);
  });

  it("recovers from kill -9 in the middle of an ETL run", async () => {
    const config = tempConfig();
    const dir = tempDir();
    const file = path.join(dir, "big.csv");
    const rows = 300_000;
    writeFileSync(file, `${AUSTIN_HEADER}\n${austinRows(rows).join("\n")}\n`);
    const env = {
      ...process.env,
      CATDATA_HOME: config.home,
      CATDATA_KEY_FILE: config.keyFile,
      CATDATA_LOG_LEVEL: "silent",
    };
    const child = spawn(process.execPath, [path.resolve("bin/catdata.js"), "ingest", file], { env, stdio: "ignore" });
    const staging = lakePaths(config.home).staging;
    const deadline = Date.now() + 60_000;
    // Wait until the run has flushed some Parquet to staging, i.e. it is mid-way.
    while (Date.now() < deadline) {
      const staged = existsSync(staging)
        ? readdirSync(staging, { recursive: true }).filter((f) => String(f).endsWith(".parquet"))
        : [];
      if (staged.length > 0) break;
      await sleep(50);
    }
    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));
    runtime = await openRuntime(config, silentLogger);
    const [stuck] = await runtime.jobs.list();
    expect(stuck?.status).toBe("running");
    expect(await runtime.query.tables()).not.toContain("intakes");
    const raw = await runtime.store.get(stuck!.key, stuck!.versionId);
    expect(raw.equals(readFileSync(file))).toBe(true);
    const [recovered] = await runtime.recoverJobs();
    expect(recovered?.status).toBe("succeeded");
    expect(recovered?.counts.read).toBe(rows);
    const n = await runtime.query.query(
      "SELECT count(*)::INT AS n, count(DISTINCT animal_id)::INT AS ids FROM intakes",
    );
    expect(n.rows[0]).toEqual({ n: recovered?.counts.loaded, ids: recovered?.counts.loaded });
  });
});
