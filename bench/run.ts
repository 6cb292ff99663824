import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { benchApiLoad } from "./api-load.js";
import { benchCliStart } from "./cli-start.js";
import { benchBigCsv, benchEtl } from "./etl.js";
import { benchQuery } from "./query.js";
import { benchTrailLoad } from "./trail-load.js";

/**
 * `npm run bench`: every benchmark, as ratios against a reference measured in the same run.
 * `npm run bench -- --only etl,big` runs a subset; results are printed and written to
 * bench/results/latest.json.
 */
const samplesDir = path.resolve(process.env.CATDATA_SAMPLES_DIR ?? "../shared/data");
const only =
  process.argv
    .find((a) => a.startsWith("--only="))
    ?.slice(7)
    .split(",") ?? process.argv[process.argv.indexOf("--only") + 1]?.split(",");

const BENCHES: Record<string, () => Promise<Record<string, number>>> = {
  etl: () => benchEtl(samplesDir),
  query1m: () => benchQuery(1_000_000),
  query10m: () => benchQuery(10_000_000),
  trail: () =>
    benchTrailLoad({
      events: Number(process.env.CATDATA_BENCH_TRAIL_EVENTS ?? 1_000_000),
      ...(process.env.CATDATA_BENCH_TRAIL_DIR ? { dir: process.env.CATDATA_BENCH_TRAIL_DIR } : {}),
    }),
  api: () => benchApiLoad(),
  big: () => benchBigCsv(Number(process.env.CATDATA_BENCH_BIG_BYTES ?? 1024 ** 3)),
  cli: async () => benchCliStart(),
};

const results: Record<string, Record<string, number>> = {};
for (const [name, run] of Object.entries(BENCHES)) {
  if (only && !only.includes(name)) continue;
  if (name === "etl" && !existsSync(samplesDir)) {
    process.stderr.write(`skipping ${name}: no samples at ${samplesDir} (set CATDATA_SAMPLES_DIR)\n`);
    continue;
  }
  process.stderr.write(`running ${name}…\n`);
  results[name] = await run();
  const rows = Object.entries(results[name] ?? {}).map(
    ([k, v]) => `  ${k.padEnd(28)} ${Number.isInteger(v) ? v : v.toFixed(3)}`,
  );
  process.stdout.write(`${name}\n${rows.join("\n")}\n`);
}
mkdirSync(path.resolve("bench/results"), { recursive: true });
writeFileSync(
  path.resolve("bench/results/latest.json"),
  `${JSON.stringify({ at: new Date().toISOString(), results }, null, 2)}\n`,
);
