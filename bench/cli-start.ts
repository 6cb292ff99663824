import { spawnSync } from "node:child_process";
import path from "node:path";
import { performance } from "node:perf_hooks";

/**
 * `npm run bench -- --only cli`: wall time of `catdata --help` (the light start, from the cached
 * bundle) and of `catdata trail --help` (a command: tsx and that command's modules), each the
 * median of `runs`, against `node -e 0` measured in the same run as the reference. The goal is
 * `--help` under 0.5 s; `help_vs_node` is the ratio that travels between machines.
 */
function medianMs(args: string[], runs: number): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const result = spawnSync(process.execPath, args, { stdio: ["ignore", "ignore", "pipe"] });
    times.push(performance.now() - started);
    if (result.status !== 0 && !args.includes("-e")) throw new Error(`${args.join(" ")} failed: ${result.stderr}`);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? Number.NaN;
}

export function benchCliStart(runs = 5): Record<string, number> {
  const bin = path.resolve("bin/catdata.js");
  medianMs([bin, "--help"], 1); // builds the bundle if it is stale: not part of the measure
  const node = medianMs(["-e", "0"], runs);
  const help = medianMs([bin, "--help"], runs);
  const command = medianMs([bin, "trail", "--help"], runs);
  return {
    node_ms: node,
    help_ms: help,
    command_help_ms: command,
    help_vs_node: help / node,
    command_help_vs_node: command / node,
  };
}
