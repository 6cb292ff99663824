import { spawnSync } from "node:child_process";
import { createWriteStream, mkdtempSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadConfig } from "../src/config/config.js";
import { DuckDb, literal } from "../src/duckdb/duckdb.js";
import { ingestFile } from "../src/etl/ingest.js";
import { silentLogger } from "../src/log/logger.js";
import { openRuntime } from "../src/runtime.js";

const tmp = (p: string) => mkdtempSync(path.join(os.tmpdir(), p));
const seconds = (t0: number) => (performance.now() - t0) / 1000;
/** CPU seconds (user + system, every thread of this process: DuckDB's too) since `c0`. */
const cpuSeconds = (c0: NodeJS.CpuUsage) => {
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1e6;
};

/**
 * ETL throughput: our whole upload path (encrypted put, sniff, parse, map, dedup, Parquet, catalog
 * commit) against DuckDB's own plain `COPY (SELECT * FROM read_csv(…)) TO '….parquet'` of the same
 * file, in the same run — on the real Austin intakes file (117k rows, 63% not cats) and on generated
 * Austin-shaped files of 10k and 1M rows, so the ratio's flatness across sizes is visible. Those
 * files go through the DuckDB path (src/etl/sql-path/); the real file once more through the JS reader.
 * Each side's CPU time is reported too (`cpuRatio…`): on this shared 2-core machine the wall-clock
 * ratio moves with other processes' load far more than the CPU ratio does.
 */
export async function benchEtl(samplesDir: string): Promise<Record<string, number>> {
  const file = path.join(samplesDir, "cats", "austin-aac-intakes-2013-2020", "Austin_Animal_Center_Intakes.csv");
  const dir = tmp("catdata-bench-etl-");
  const small = path.join(dir, "austin-10k.csv");
  const large = path.join(dir, "austin-1m.csv");
  await writeAustinShaped(small, { rows: 10_000 });
  await writeAustinShaped(large, { rows: 1_000_000 });
  try {
    const real = await ingestVersusDuckdb(file, path.join(dir, "real"));
    // The JS reader on the same file (CATDATA_ETL_SQL_PATH=off): what the DuckDB path is measured against too.
    const realJs = await ingestVersusDuckdb(file, path.join(dir, "real-js"), "off");
    const k10 = await ingestVersusDuckdb(small, path.join(dir, "10k"));
    const m1 = await ingestVersusDuckdb(large, path.join(dir, "1m"));
    return {
      rows: real.rows,
      etlSeconds: real.ours,
      etlRowsPerSecond: real.rows / real.ours,
      duckdbCopySeconds: real.duck,
      duckdbRowsPerSecond: real.rows / real.duck,
      ratioOursToDuckdb: real.ours / real.duck,
      cpuRatioOursToDuckdb: real.oursCpu / real.duckCpu,
      etlSecondsJsPath: realJs.ours,
      ratioJsPathToDuckdb: realJs.ours / realJs.duck,
      rows10k: k10.rows,
      etlSeconds10k: k10.ours,
      duckdbCopySeconds10k: k10.duck,
      ratio10k: k10.ours / k10.duck,
      cpuRatio10k: k10.oursCpu / k10.duckCpu,
      rows1m: m1.rows,
      etlSeconds1m: m1.ours,
      etlRowsPerSecond1m: m1.rows / m1.ours,
      duckdbCopySeconds1m: m1.duck,
      ratio1m: m1.ours / m1.duck,
      etlCpuSeconds1m: m1.oursCpu,
      duckdbCopyCpuSeconds1m: m1.duckCpu,
      cpuRatio1m: m1.oursCpu / m1.duckCpu,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `catdata ingest` of one file in a fresh data directory, then DuckDB's plain COPY of it. */
async function ingestVersusDuckdb(
  file: string,
  dir: string,
  sqlPath: "on" | "off" = "on",
): Promise<{ rows: number; ours: number; duck: number; oursCpu: number; duckCpu: number }> {
  const config = loadConfig({
    CATDATA_HOME: path.join(dir, "home"),
    CATDATA_KEY_FILE: path.join(dir, "key"),
    CATDATA_LOG_LEVEL: "silent",
    CATDATA_ETL_SQL_PATH: sqlPath,
  });
  const runtime = await openRuntime(config, silentLogger);
  let t0 = performance.now();
  let c0 = process.cpuUsage();
  const job = await ingestFile(runtime, file);
  const ours = seconds(t0);
  const oursCpu = cpuSeconds(c0);
  await runtime.close();
  if (job.status !== "succeeded") throw new Error(`bench ingest of ${file} ended ${job.status}: ${job.error}`);
  const db = await DuckDb.open(":memory:");
  t0 = performance.now();
  c0 = process.cpuUsage();
  await db.run(
    `COPY (SELECT * FROM read_csv(${literal(file)})) TO ${literal(path.join(dir, "plain.parquet"))} (FORMAT parquet)`,
  );
  const duck = seconds(t0);
  const duckCpu = cpuSeconds(c0);
  db.close();
  rmSync(dir, { recursive: true, force: true });
  return { rows: job.counts.read, ours, duck, oursCpu, duckCpu };
}

const AUSTIN_SHAPED_HEADER =
  "Animal ID,Name,DateTime,MonthYear,Found Location,Intake Type,Intake Condition,Animal Type,Sex upon Intake,Age upon Intake,Breed,Color\n";

/** Generated Austin-shaped rows (two in three cats, all distinct), until `rows` rows or `bytes` bytes. */
async function writeAustinShaped(file: string, until: { rows?: number; bytes?: number }): Promise<void> {
  const out = createWriteStream(file);
  out.write(AUSTIN_SHAPED_HEADER);
  const maxRows = until.rows ?? Number.POSITIVE_INFINITY;
  const maxBytes = until.bytes ?? Number.POSITIVE_INFINITY;
  let written = 0;
  let i = 0;
  while (written < maxBytes && i < maxRows) {
    const lines: string[] = [];
    for (let k = 0; k < 10_000 && i < maxRows; k++, i++) {
      const when = `${String(1 + (i % 12)).padStart(2, "0")}/${String(1 + (i % 28)).padStart(2, "0")}/${2014 + (i % 7)} ${String(1 + (i % 12)).padStart(2, "0")}:${String(i % 60).padStart(2, "0")}:00 ${i % 2 ? "PM" : "AM"}`;
      lines.push(
        `A${i},*Name${i % 977},${when},${when},${i % 9000} Some Street in Austin (TX),${i % 5 ? "Stray" : "Owner Surrender"},Normal,${i % 3 ? "Cat" : "Dog"},${i % 2 ? "Intact Female" : "Neutered Male"},${1 + (i % 14)} ${i % 4 ? "years" : "weeks"},Domestic Shorthair Mix,Brown Tabby`,
      );
    }
    const chunk = `${lines.join("\n")}\n`;
    written += Buffer.byteLength(chunk);
    if (!out.write(chunk)) await new Promise<void>((r) => out.once("drain", () => r()));
  }
  await new Promise<void>((r) => out.end(() => r()));
}

/**
 * Peak memory of ingesting a large CSV (default 1 GiB of Austin-shaped rows): the CLI runs in a child
 * process that reports its kernel high-water mark (VmHWM) on exit.
 */
export async function benchBigCsv(bytes = 1024 ** 3): Promise<Record<string, number>> {
  const dir = tmp("catdata-bench-big-");
  const file = path.join(dir, "big.csv");
  await writeAustinShaped(file, { bytes });
  const size = statSync(file).size;
  const t0 = performance.now();
  const child = spawnSync(
    process.execPath,
    ["--require", path.resolve("bench/peak-rss.cjs"), path.resolve("bin/catdata.js"), "ingest", file, "--json"],
    {
      env: {
        ...process.env,
        CATDATA_HOME: path.join(dir, "home"),
        CATDATA_KEY_FILE: path.join(dir, "key"),
        CATDATA_LOG_LEVEL: "silent",
      },
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  const elapsed = seconds(t0);
  const peak = Number(/PEAK_RSS_KB=(\d+)/.exec(child.stderr)?.[1] ?? Number.NaN);
  const job = JSON.parse(child.stdout || "[{}]")[0] ?? {};
  rmSync(dir, { recursive: true, force: true });
  if (child.status !== 0) throw new Error(`ingest of the big CSV failed: ${child.stderr.slice(-2000)}`);
  return {
    fileMiB: size / 1024 ** 2,
    rows: job.counts?.read ?? Number.NaN,
    seconds: elapsed,
    rowsPerSecond: (job.counts?.read ?? 0) / elapsed,
    peakRssMiB: peak / 1024,
  };
}
