import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { loadConfig } from "../src/config/config.js";
import { silentLogger } from "../src/log/logger.js";
import { startPlatform } from "../src/server/start-platform.js";
import { buildCatsQuery, buildMonthlyCountsQuery } from "../src/sql/build-cats-query.js";
import { freePort } from "../src/testing/free-port.js";

/**
 * Load on the HTTP API (issue 5's "done when"): the real server stack (web + API + audit trail +
 * metrics, demo data loaded through the upload pipeline) in this process on 127.0.0.1, signed in as
 * the demo admin, then autocannon against `GET /api/cats/stats` and `GET /api/cats?limit=50` at 50
 * connections for a bounded time each. Reported: requests/s, p50/p99 latency, errors and non-2xx
 * (must be 0), and the ratio of the HTTP p50 to the p50 of the same SQL called on the query engine
 * directly (no HTTP) — at 50 connections the server is saturated and p50 is mostly queueing, so a short
 * run on one connection gives the per-request overhead of HTTP, sign-in check, rules and audit. The rate limits are raised for the run (a single client at 50 connections is
 * what they exist to stop); they stay in the path, so their cost is measured.
 * CATDATA_BENCH_API_SECONDS (default 10) and CATDATA_BENCH_API_CONNECTIONS (default 50) bound it.
 */
const seconds = Number(process.env.CATDATA_BENCH_API_SECONDS ?? 10);
const connections = Number(process.env.CATDATA_BENCH_API_CONNECTIONS ?? 50);

export async function benchApiLoad(): Promise<Record<string, number>> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "catdata-bench-api-"));
  const config = loadConfig({
    CATDATA_HOME: path.join(dir, "home"),
    CATDATA_KEY_FILE: path.join(dir, "key"),
    CATDATA_LOG_LEVEL: "silent",
    CATDATA_PORT: String(await freePort()),
    CATDATA_HEALTH_PORT: String(await freePort()),
    CATDATA_RATE_LIMIT_IP_PER_MINUTE: "100000000",
    CATDATA_RATE_LIMIT_USER_PER_MINUTE: "100000000",
    CATDATA_RATE_LIMIT_BURST: "1000000",
  });
  const platform = await startPlatform(config, silentLogger);
  try {
    const login = await fetch(`${platform.url}api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: platform.seeded.adminUsername, password: platform.seeded.adminPassword }),
    });
    if (!login.ok) throw new Error(`sign-in failed: ${login.status} ${await login.text()}`);
    const { accessToken } = (await login.json()) as { accessToken: string };
    const headers = { authorization: `Bearer ${accessToken}` };
    const { query } = platform.deps.runtime;

    const out: Record<string, number> = { records: platform.seeded.records };
    const targets = [
      { name: "stats", path: "api/cats/stats", sql: buildMonthlyCountsQuery({ dataset: "intakes" }), maxRows: 100_000 },
      {
        name: "list",
        path: "api/cats?limit=50",
        sql: buildCatsQuery({ dataset: "intakes", limit: 51, offset: 0 }),
        maxRows: 51,
      },
    ];
    for (const t of targets) {
      const direct = await medianMs(() => query.query(t.sql.sql, { params: t.sql.params, maxRows: t.maxRows }), 100);
      const url = `${platform.url}${t.path}`;
      const single = await autocannon({ url, connections: 1, duration: Math.min(3, seconds), headers });
      const r = await autocannon({ url, connections, duration: seconds, headers });
      Object.assign(out, {
        [`${t.name}RequestsPerSecond`]: r.requests.average,
        [`${t.name}P50Ms`]: r.latency.p50,
        [`${t.name}P99Ms`]: r.latency.p99,
        [`${t.name}Errors`]: r.errors + r.timeouts,
        [`${t.name}Non2xx`]: r.non2xx,
        [`${t.name}DirectP50Ms`]: direct,
        [`${t.name}RatioP50HttpToDirect`]: r.latency.p50 / direct,
        [`${t.name}OneConnectionP50Ms`]: single.latency.p50,
        [`${t.name}OneConnectionRatioToDirect`]: single.latency.p50 / direct,
        [`${t.name}OneConnectionFailures`]: single.errors + single.timeouts + single.non2xx,
      });
    }
    return out;
  } finally {
    await platform.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function medianMs(run: () => Promise<unknown>, times: number): Promise<number> {
  await run();
  const ms: number[] = [];
  for (let i = 0; i < times; i++) {
    const t0 = performance.now();
    await run();
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  return ms[Math.floor(ms.length / 2)] ?? Number.NaN;
}

// `tsx bench/api-load.ts` runs it alone and prints the figures.
if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await benchApiLoad();
  for (const [k, v] of Object.entries(result))
    process.stdout.write(`  ${k.padEnd(30)} ${Number.isInteger(v) ? v : v.toFixed(3)}\n`);
}
