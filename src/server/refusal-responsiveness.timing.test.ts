/**
 * Pins that hostile uploads are refused without hurting the running platform: the real platform in a
 * child process on 127.0.0.1, while it processes
 * - a gzipped CSV that is one 50 MB line (no line break at all), and
 * - an .xlsx (~1 MB, built here with a deflate stream) whose shared strings hold three 400 MB cells,
 * then (after one warm-up request, before the uploads start)
 * - every /healthcheck on the health port answers within 100 ms the whole time,
 * - the process's peak RSS (VmHWM from /proc) stays under 1 GB,
 * - both jobs end failed (refused, one attempt) with an error naming the limit's setting.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createGzip } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { tempDir } from "../testing/fixtures.js";
import { freePort } from "../testing/free-port.js";
import { buildZip, repeat, workbookEntries } from "../testing/zip-builder.js";

const HEALTH_ANSWER_MS = 100;
const PEAK_RSS_BYTES = 1024 ** 3;
const MiB = 1024 * 1024;
const hasProc = (() => {
  try {
    readFileSync("/proc/self/status");
    return true;
  } catch {
    return false;
  }
})();

/** The platform, then each file through the upload pipeline; prints READY <healthUrl>, then JOB <record> per file. */
const CHILD = `
const root = process.env.CATDATA_TEST_ROOT;
const { loadConfig } = await import(root + "/src/config/config.ts");
const { silentLogger } = await import(root + "/src/log/logger.ts");
const { startPlatform } = await import(root + "/src/server/start-platform.ts");
const { ingestFile } = await import(root + "/src/etl/ingest.ts");
const platform = await startPlatform(loadConfig(process.env), silentLogger);
process.stdout.write("READY " + platform.healthUrl + "\\n");
await new Promise((resolve) => process.stdin.once("data", resolve));
const files = JSON.parse(process.env.CATDATA_TEST_FILES);
await Promise.all(files.map(async (file) => {
  const job = await ingestFile(platform.deps.runtime, file, { municipality: "131041" });
  process.stdout.write("JOB " + JSON.stringify({ file, status: job.status, attempts: job.attempts, error: job.error }) + "\\n");
}));
process.stdout.write("DONE\\n");
setInterval(() => {}, 1000);
`;

async function gzipOneLine(file: string, bytes: number): Promise<void> {
  const gz = createGzip({ level: 1 });
  const parts: Buffer[] = [];
  gz.on("data", (c: Buffer) => parts.push(c));
  const done = new Promise((resolve) => gz.on("end", resolve));
  gz.write("Animal ID,Name,DateTime,");
  const piece = Buffer.alloc(MiB, "x");
  for (let n = 0; n < bytes / MiB; n++) if (!gz.write(piece)) await new Promise((r) => gz.once("drain", r));
  gz.end();
  await done;
  writeFileSync(file, Buffer.concat(parts));
}

async function hugeSharedStrings(file: string, cells: number, cellBytes: number): Promise<void> {
  function* strings(): Generator<Buffer | string> {
    yield `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="${cells}" uniqueCount="${cells}">`;
    for (let i = 0; i < cells; i++) {
      yield "<si><t>";
      yield* repeat("x".repeat(MiB), cellBytes / MiB);
      yield "</t></si>";
    }
    yield "</sst>";
  }
  const sheet = [
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>',
    '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row>',
    "</sheetData></worksheet>",
  ];
  writeFileSync(file, await buildZip(workbookEntries(sheet, strings())));
}

let child: ChildProcess | undefined;
afterAll(() => {
  if (child && child.exitCode === null) child.kill("SIGKILL");
});

describe.skipIf(!hasProc)("refusing hostile uploads", () => {
  it("keeps /healthcheck under 100 ms and the process under 1 GB, and names the limits", async () => {
    const dir = tempDir("catdata-refusal-");
    const line = path.join(dir, "one-line.csv.gz");
    const xlsx = path.join(dir, "huge-strings.xlsx");
    await gzipOneLine(line, 50 * MiB);
    await hugeSharedStrings(xlsx, 3, 400 * MiB);
    expect(readFileSync(xlsx).length).toBeLessThan(8 * MiB);

    let output = "";
    child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", CHILD], {
      env: {
        ...process.env,
        CATDATA_TEST_ROOT: path.resolve("."),
        CATDATA_TEST_FILES: JSON.stringify([line, xlsx]),
        CATDATA_HOME: path.join(dir, "home"),
        CATDATA_KEY_FILE: path.join(dir, "key"),
        CATDATA_HOST: "127.0.0.1",
        CATDATA_PORT: String(await freePort()),
        CATDATA_HEALTH_PORT: String(await freePort()),
        CATDATA_LOG_LEVEL: "silent",
        CATDATA_DEMO: "false",
      },
      stdio: ["pipe", "pipe", "pipe"],
    });
    const proc = child;
    proc.stdout?.on("data", (d) => (output += d));
    proc.stderr?.on("data", (d) => (output += d));
    const until = async (pattern: RegExp, ms: number) => {
      const t0 = Date.now();
      for (;;) {
        const m = pattern.exec(output);
        if (m) return m;
        if (proc.exitCode !== null || Date.now() - t0 > ms) throw new Error(`no ${pattern}; output:\n${output}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    };
    const healthUrl = (await until(/READY (\S+)/, 60_000))[1] ?? "";
    // Warm up: the platform's first answer (connection, lazy imports) is not what this measures.
    await (await fetch(`${healthUrl}healthcheck`)).arrayBuffer();
    proc.stdin?.write("go\n");

    const slow: number[] = [];
    let polls = 0;
    while (!/DONE/.test(output)) {
      if (proc.exitCode !== null) throw new Error(`the platform exited; output:\n${output}`);
      const t0 = performance.now();
      const res = await fetch(`${healthUrl}healthcheck`, { signal: AbortSignal.timeout(10_000) });
      await res.arrayBuffer();
      const ms = performance.now() - t0;
      polls += 1;
      if (ms > HEALTH_ANSWER_MS) slow.push(Math.round(ms));
      await new Promise((r) => setTimeout(r, 20));
      if (polls > 20_000) throw new Error(`the jobs did not finish; output:\n${output}`);
    }
    const hwm = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${proc.pid}/status`, "utf8"))?.[1]) * 1024;
    const jobs = [...output.matchAll(/JOB (.*)/g)].map(
      (m) => JSON.parse(m[1] ?? "{}") as { file: string; status: string; attempts: number; error: string },
    );
    const byFile = new Map(jobs.map((j) => [j.file, j]));

    expect(polls).toBeGreaterThan(0);
    expect(slow, `health answers over ${HEALTH_ANSWER_MS} ms (of ${polls})`).toEqual([]);
    expect(hwm).toBeGreaterThan(0);
    expect(hwm, `peak RSS ${Math.round(hwm / MiB)} MiB`).toBeLessThan(PEAK_RSS_BYTES);
    expect(byFile.get(line)).toMatchObject({ status: "failed", attempts: 1 });
    expect(byFile.get(line)?.error).toMatch(/CATDATA_MAX_(LINE|RECORD)_BYTES/);
    expect(byFile.get(xlsx)).toMatchObject({ status: "failed", attempts: 1 });
    expect(byFile.get(xlsx)?.error).toMatch(/CATDATA_MAX_(SHARED_STRINGS|DECOMPRESSED)_BYTES/);
  }, 240_000);
});
