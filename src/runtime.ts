import path from "node:path";
import type { Config } from "./config/config.js";
import { JobLog, type JobRecord } from "./etl/jobs.js";
import { createProcessCatData, RAW_PREFIX } from "./etl/process-cat-data.js";
import { lakePaths } from "./lake/layout.js";
import type { Logger } from "./log/logger.js";
import { AthenaQueryEngine } from "./sql/athena-engine.js";
import { DuckDbQueryEngine } from "./sql/duckdb-engine.js";
import type { QueryEngine } from "./sql/query-engine.js";
import { LocalObjectStore } from "./store/local-store.js";
import { loadOrCreateMasterKey } from "./store/master-key.js";
import type { ObjectStore } from "./store/object-store.js";
import { S3ObjectStore } from "./store/s3-store.js";
import { createRebuildScheduler, openWarehouse, type RebuildScheduler, type Warehouse } from "./warehouse/index.js";

/**
 * The one place that chooses implementations from the configuration and wires them together:
 * the object store, the put-triggered `process-cat-data` handler and the query engine.
 * The server and the CLI both start from here.
 */
export interface Runtime {
  config: Config;
  logger: Logger;
  store: ObjectStore;
  jobs: JobLog;
  query: QueryEngine;
  /** The marts (the Redshift role): DuckDB file by default, Postgres/Redshift by config. */
  warehouse: Warehouse;
  /** Rebuilds the marts after loads (coalesced: a burst of loads costs at most two rebuilds). */
  marts: RebuildScheduler;
  /** Reruns jobs a crash left `running` (called at start-up). */
  recoverJobs(): Promise<JobRecord[]>;
  /** Progress of the ETL run triggered by the current put (set by the CLI for its progress bar). */
  setEtlProgress(listener: ((done: number, total: number) => void) | undefined): void;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  /** Rebuild the marts after each successful load (default true; tests that drive rebuilds turn it off). */
  rebuildMartsAfterLoad?: boolean;
}

export async function openRuntime(config: Config, logger: Logger, options: RuntimeOptions = {}): Promise<Runtime> {
  const store = createStore(config);
  let progress: ((done: number, total: number) => void) | undefined;
  const warehouse = openWarehouse(config, logger);
  const marts = createRebuildScheduler(warehouse, config.home, logger);
  const process = createProcessCatData({
    home: config.home,
    store,
    logger,
    onProgress: (done, total) => progress?.(done, total),
    onSucceeded: async () => {
      if (options.rebuildMartsAfterLoad !== false) void marts.request();
    },
  });
  // The S3 event notification of the design: every put under raw/ runs process-cat-data.
  store.onPut(async (event) => {
    if (event.s3.object.key.startsWith(RAW_PREFIX)) await process({ Records: [event] });
  });
  const query: QueryEngine =
    config.queryEngine.kind === "athena"
      ? new AthenaQueryEngine({
          workgroup: config.queryEngine.athenaWorkgroup,
          outputBucket: config.store.bucket,
          region: config.region,
        })
      : await DuckDbQueryEngine.open(config.home);
  return {
    config,
    logger,
    store,
    jobs: new JobLog(config.home),
    query,
    warehouse,
    marts,
    recoverJobs: () => process.recover(),
    setEtlProgress: (listener) => {
      progress = listener;
    },
    close: async () => {
      await marts.idle();
      await warehouse.close();
      await query.close();
    },
  };
}

function createStore(config: Config): ObjectStore {
  if (config.store.kind === "s3") {
    // With an endpoint (a local S3-compatible server) this process emits the put events itself;
    // in AWS the bucket's event notification invokes the process-cat-data Lambda instead.
    return new S3ObjectStore({
      bucket: config.store.bucket,
      region: config.region,
      ...(config.store.endpoint ? { endpoint: config.store.endpoint } : {}),
      emitLocalEvents: config.store.endpoint !== undefined,
    });
  }
  const key = loadOrCreateMasterKey(config.keyFile, config.home);
  return new LocalObjectStore(lakePaths(config.home).store, config.store.bucket, key);
}

export const rawKeyFor = (municipality: string | undefined, fileName: string, now = new Date()) =>
  path.posix.join(RAW_PREFIX, municipality ?? "unassigned", now.toISOString().slice(0, 10), path.basename(fileName));
