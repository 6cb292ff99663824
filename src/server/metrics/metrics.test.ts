/**
 * Pins `/metrics` (the CloudWatch role) on the health app, in process:
 * - the text parses as Prometheus exposition format: HELP/TYPE before samples, valid names and
 *   label syntax, escaped label values, histograms with cumulative buckets ending in +Inf = _count
 * - API requests are counted by route *pattern* and status, with latency histograms; unmatched
 *   paths share one label; rate-limit refusals are counted
 * - ETL jobs by status and the trail's delivery lag come from the job log and the recorder's stats
 * - it is served to loopback only by default (403 to another address, or none)
 */
import { describe, expect, it } from "vitest";
import { createApiApp } from "../../api/app.js";
import { DataDir } from "../../local/data-dir.js";
import { silentLogger } from "../../log/logger.js";
import { openRuntime } from "../../runtime.js";
import { createTestAuth } from "../../testing/auth.js";
import { tempConfig } from "../../testing/fixtures.js";
import { createHealthApp } from "../health.js";
import { createPlatformMetrics } from "./platform-metrics.js";
import { Counter, renderFamilies } from "./registry.js";

interface ParsedSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** A strict reader of the text format: throws on any line it does not understand. */
function parseExposition(text: string): { types: Map<string, string>; samples: ParsedSample[] } {
  const types = new Map<string, string>();
  const samples: ParsedSample[] = [];
  const name = "[a-zA-Z_:][a-zA-Z0-9_:]*";
  const sampleLine = new RegExp(`^(${name})(?:\\{(.*)\\})? (\\S+)$`);
  for (const line of text.split("\n")) {
    if (line === "") continue;
    const meta = new RegExp(`^# (HELP|TYPE) (${name}) (.*)$`).exec(line);
    if (meta) {
      if (meta[1] === "TYPE") types.set(meta[2] ?? "", meta[3] ?? "");
      continue;
    }
    const m = sampleLine.exec(line);
    if (!m) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    const labelText = m[2] ?? "";
    const labelRe = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(,|$)/gy;
    let consumed = 0;
    for (const l of labelText.matchAll(labelRe)) {
      labels[l[1] ?? ""] = (l[2] ?? "").replace(/\\n/g, "\n").replace(/\\(.)/g, "$1");
      consumed += l[0].length;
    }
    if (consumed !== labelText.length) throw new Error(`bad labels: ${line}`);
    const family = (m[1] ?? "").replace(/_(bucket|sum|count)$/, "");
    if (!types.has(m[1] ?? "") && !types.has(family)) throw new Error(`sample before its TYPE: ${line}`);
    const value = m[3] === "+Inf" ? Number.POSITIVE_INFINITY : Number(m[3]);
    if (m[3] !== "NaN" && Number.isNaN(value)) throw new Error(`bad value: ${line}`);
    samples.push({ name: m[1] ?? "", labels, value });
  }
  return { types, samples };
}
const find = (samples: ParsedSample[], name: string, labels: Record<string, string>) =>
  samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));

describe("/metrics", () => {
  it("escapes label values", () => {
    const c = new Counter("x_total", "help with \\ and\nnewline");
    c.inc({ path: 'a"b\\c\nd' });
    const text = renderFamilies([c.collect()]);
    expect(text).toContain('x_total{path="a\\"b\\\\c\\nd"} 1');
    expect(parseExposition(text).samples[0]?.labels.path).toBe('a"b\\c\nd');
  });

  it("serves request, ETL, trail and process metrics to loopback", async () => {
    const runtime = await openRuntime(
      tempConfig({ CATDATA_RATE_LIMIT_IP_PER_MINUTE: "60", CATDATA_RATE_LIMIT_BURST: "4" }),
      silentLogger,
    );
    try {
      const metrics = createPlatformMetrics(runtime);
      metrics.watchTrail(() => ({
        deliveredFiles: 2,
        deliveredRecords: 40,
        digests: 1,
        lastDeliveryLagMs: 1500,
        buffered: 3,
        failedDeliveries: 0,
        droppedRecords: 0,
      }));
      await runtime.jobs.save({ ...JOB, jobId: "a".repeat(20), status: "failed" });
      await runtime.jobs.save({ ...JOB, jobId: "b".repeat(20) });
      const api = createApiApp({
        runtime,
        ...(await createTestAuth(new DataDir(runtime.config.dataDirectory))),
        metrics,
      });
      const peer = { incoming: { socket: { remoteAddress: "192.0.2.9" } } };
      for (const path of ["/openapi.json", "/openapi.json", "/uploads/0123456789abcdef0123", "/nope/1", "/nope/2"]) {
        await api.request(path, {}, peer);
      }
      const health = createHealthApp(runtime, new Date(), metrics);
      const res = await health.request("/metrics", {}, { incoming: { socket: { remoteAddress: "127.0.0.1" } } });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
      const { types, samples } = parseExposition(await res.text());
      expect(types.get("catdata_http_request_duration_seconds")).toBe("histogram");
      const ok = {
        name: "catdata_http_requests_total",
        labels: { method: "GET", route: "/openapi.json", status: "200" },
      };
      expect(find(samples, ok.name, ok.labels)?.value).toBe(2);
      expect(find(samples, ok.name, { route: "/uploads/:id", status: "401" })?.value).toBe(1);
      expect(find(samples, ok.name, { route: "unmatched", status: "404" })?.value).toBe(1);
      expect(find(samples, ok.name, { route: "unmatched", status: "429" })?.value).toBe(1);
      expect(find(samples, "catdata_rate_limited_total", { scope: "ip" })?.value).toBe(1);
      const buckets = samples.filter((s) => s.name.endsWith("_bucket") && s.labels.route === "/openapi.json");
      expect(buckets.map((b) => b.value)).toEqual([...buckets.map((b) => b.value)].sort((a, b) => a - b));
      expect(buckets.at(-1)).toMatchObject({ labels: { le: "+Inf" }, value: 2 });
      expect(find(samples, "catdata_http_request_duration_seconds_count", { route: "/openapi.json" })?.value).toBe(2);
      expect(find(samples, "catdata_etl_jobs", { status: "failed" })?.value).toBe(1);
      expect(find(samples, "catdata_etl_jobs", { status: "succeeded" })?.value).toBe(1);
      expect(find(samples, "catdata_trail_delivery_lag_seconds", {})?.value).toBe(1.5);
      expect(find(samples, "process_resident_memory_bytes", {})?.value).toBeGreaterThan(0);

      const remote = await health.request("/metrics", {}, peer);
      expect(remote.status).toBe(403);
      expect((await health.request("/metrics")).status).toBe(403);
      metrics.stop();
    } finally {
      await runtime.close();
    }
  });
});

const JOB = {
  jobId: "",
  bucket: "b",
  key: "raw/x.csv",
  versionId: "v",
  sha256: "",
  status: "succeeded" as const,
  profile: null,
  municipality: null,
  attempts: 1,
  startedAt: "2024-01-01T00:00:00Z",
  finishedAt: null,
  progress: null,
  counts: { read: 3, loaded: 2, quarantined: 1, deduplicated: 0, skipped: 0 },
  loadedByDataset: {},
  tables: [],
  error: null,
  duplicateOf: null,
};
