import { monitorEventLoopDelay } from "node:perf_hooks";
import type { RequestMetrics } from "../../api/context.js";
import type { RecorderStats } from "../../audit/recorder.js";
import type { Runtime } from "../../runtime.js";
import { Counter, type Family, Histogram, MetricsRegistry } from "./registry.js";

/**
 * The platform's metrics (the CloudWatch role), served as `/metrics` on the health port:
 * HTTP requests by route pattern and status with latency histograms (fed by the API's access log),
 * rate-limit refusals, ETL jobs by status and the dead-letter list (read from the job log at scrape
 * time), the audit trail's delivery state (the recorder's `stats()`), and the process itself.
 */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const JOB_STATUSES = ["running", "succeeded", "needs_review", "failed", "duplicate"] as const;
const STARTED_AT = Math.round(Date.now() / 1000 - process.uptime());

export interface PlatformMetrics extends RequestMetrics {
  registry: MetricsRegistry;
  /** Reads the trail recorder at each scrape (set once the trail is open). */
  watchTrail(stats: () => RecorderStats): void;
  stop(): void;
}

export function createPlatformMetrics(runtime: Pick<Runtime, "jobs" | "config">): PlatformMetrics {
  const registry = new MetricsRegistry();
  const requests = new Counter("catdata_http_requests_total", "HTTP requests by method, route pattern and status.");
  const latency = new Histogram(
    "catdata_http_request_duration_seconds",
    "HTTP request latency by method and route pattern.",
    LATENCY_BUCKETS,
  );
  const limited = new Counter("catdata_rate_limited_total", "Requests refused by a rate limit (scope: ip or user).");
  let trail: (() => RecorderStats) | undefined;
  const loop = monitorEventLoopDelay({ resolution: 20 });
  loop.enable();

  registry.register(() => [requests.collect(), latency.collect(), limited.collect()]);
  registry.register(() => etlFamilies(runtime));
  registry.register(() => (trail ? trailFamilies(trail()) : []));
  registry.register(() => processFamilies(loop.mean / 1e9));

  return {
    registry,
    observe({ method, route, status, seconds }) {
      requests.inc({ method, route, status: String(status) });
      latency.observe({ method, route }, seconds);
    },
    rateLimited: (scope) => limited.inc({ scope }),
    watchTrail(stats) {
      trail = stats;
    },
    stop: () => loop.disable(),
  };
}

async function etlFamilies(runtime: Pick<Runtime, "jobs" | "config">): Promise<Family[]> {
  const jobs = await runtime.jobs.list();
  const byStatus = new Map<string, number>(JOB_STATUSES.map((s) => [s, 0]));
  const rows = { loaded: 0, quarantined: 0, deduplicated: 0, skipped: 0 };
  for (const job of jobs) {
    byStatus.set(job.status, (byStatus.get(job.status) ?? 0) + 1);
    for (const k of Object.keys(rows) as (keyof typeof rows)[]) rows[k] += job.counts[k];
  }
  const deadLetters = await runtime.jobs
    .deadLetters()
    .then((list) => list.length)
    .catch(() => 0);
  return [
    {
      name: "catdata_etl_jobs",
      help: "ETL (process-cat-data) jobs in the job log by status.",
      type: "gauge",
      samples: [...byStatus].map(([status, value]) => ({ labels: { status }, value })),
    },
    {
      name: "catdata_etl_rows",
      help: "Rows read by all jobs, by outcome.",
      type: "gauge",
      samples: Object.entries(rows).map(([outcome, value]) => ({ labels: { outcome }, value })),
    },
    {
      name: "catdata_etl_dead_letters",
      help: "Uploads that failed every attempt (the dead-letter list).",
      type: "gauge",
      samples: [{ value: deadLetters }],
    },
  ];
}

function trailFamilies(s: RecorderStats): Family[] {
  const gauge = (name: string, help: string, value: number): Family => ({
    name,
    help,
    type: "gauge",
    samples: [{ value }],
  });
  const counter = (name: string, help: string, value: number): Family => ({
    name,
    help,
    type: "counter",
    samples: [{ value }],
  });
  return [
    gauge(
      "catdata_trail_delivery_lag_seconds",
      "Oldest record of the last delivered trail file to its delivery (NaN before the first).",
      s.lastDeliveryLagMs === null ? Number.NaN : s.lastDeliveryLagMs / 1000,
    ),
    gauge("catdata_trail_buffered_records", "Audit records waiting for delivery.", s.buffered),
    counter("catdata_trail_delivered_files_total", "Trail log files delivered.", s.deliveredFiles),
    counter("catdata_trail_delivered_records_total", "Audit records delivered.", s.deliveredRecords),
    counter("catdata_trail_digests_total", "Digest files written.", s.digests),
    counter("catdata_trail_failed_deliveries_total", "Trail deliveries that failed (retried).", s.failedDeliveries),
    counter("catdata_trail_dropped_records_total", "Audit records dropped (buffer full).", s.droppedRecords),
  ];
}

function processFamilies(eventLoopLagSeconds: number): Family[] {
  const memory = process.memoryUsage();
  const cpu = process.cpuUsage();
  const one = (name: string, help: string, type: "gauge" | "counter", value: number): Family => ({
    name,
    help,
    type,
    samples: [{ value }],
  });
  return [
    one("process_cpu_seconds_total", "User and system CPU time.", "counter", (cpu.user + cpu.system) / 1e6),
    one("process_resident_memory_bytes", "Resident memory.", "gauge", memory.rss),
    one("nodejs_heap_used_bytes", "V8 heap in use.", "gauge", memory.heapUsed),
    one("process_start_time_seconds", "Start time (Unix seconds).", "gauge", STARTED_AT),
    one("nodejs_eventloop_lag_seconds", "Mean event-loop delay.", "gauge", eventLoopLagSeconds),
  ];
}
