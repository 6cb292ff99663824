import path from "node:path";
import { AgentChat } from "./agent/agent-chat.js";
import { AgentService } from "./agent/agent-service.js";
import type { ConversationStore } from "./agent/conversation-store.js";
import { LocalConversationStore } from "./agent/local-conversation-store.js";
import { S3ConversationStore } from "./agent/s3-conversation-store.js";
import { LocalUserPool } from "./auth/local-user-pool.js";
import type { UserPool } from "./auth/user-pool.js";
import { BehaviourService } from "./behaviour/behaviour-service.js";
import { LocalModelStore } from "./behaviour/model/local-model-store.js";
import type { ModelStore } from "./behaviour/model/model-store.js";
import { S3ModelStore } from "./behaviour/model/s3-model-store.js";
import type { Config } from "./config/config.js";
import type { JobLog } from "./etl/job-log.js";
import { JobQueue } from "./etl/job-queue.js";
import { LocalJobLog } from "./etl/local-job-log.js";
import { createProcessCatData, type ProcessCatData } from "./etl/process-cat-data.js";
import { QuarantineCipher } from "./etl/quarantine-cipher.js";
import { S3JobLog } from "./etl/s3-job-log.js";
import type { KeyStore } from "./keys/key-store.js";
import { LocalKeyStore } from "./keys/local-key-store.js";
import type { Lake } from "./lake/lake.js";
import { LocalLake } from "./lake/local-lake.js";
import { S3Lake } from "./lake/s3-lake.js";
import { DataDir } from "./local/data-dir.js";
import type { Logger } from "./log/logger.js";
import { AthenaQueryEngine } from "./sql/athena-engine.js";
import { DuckDbQueryEngine } from "./sql/duckdb-engine.js";
import { LocalSavedQueries } from "./sql/local-saved-queries.js";
import type { QueryEngine } from "./sql/query-engine.js";
import type { SavedQueries } from "./sql/saved-queries.js";
import { LocalObjectStore } from "./store/local-store.js";
import { loadOrCreateMasterKey } from "./store/master-key.js";
import type { ObjectStore } from "./store/object-store.js";
import { S3ObjectStore } from "./store/s3-store.js";
import { createCloudTrailLake } from "./trail/cloudtrail-lake/create-cloudtrail-lake.js";
import { LocalTrailLake } from "./trail/lake/local-trail-lake.js";
import { S3TrailLake } from "./trail/lake/s3-trail-lake.js";
import type { TrailLake } from "./trail/lake/trail-lake.js";
import { VERSION } from "./version.js";
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
  /** The curated lake and its catalog: under CATDATA_HOME, or `curated/` in the bucket with CATDATA_STORE=s3. */
  lake: Lake;
  jobs: JobLog;
  query: QueryEngine;
  /** The marts (the Redshift role): DuckDB file by default, Postgres/Redshift by config. */
  warehouse: Warehouse;
  /** Rebuilds the marts after loads (coalesced: a burst of loads costs at most two rebuilds). */
  marts: RebuildScheduler;
  /** The user pool (the Cognito role): local files under CATDATA_HOME (also in the Lambda, under /tmp, for now). */
  users: UserPool;
  /** Token signing keys and the audit trail's digest signing key. */
  keys: KeyStore;
  /** Saved named queries. */
  savedQueries: SavedQueries;
  /** The CloudTrail lake: DataDir.trail, or `trail/` in the bucket with CATDATA_STORE=s3. */
  trail: TrailLake;
  /** CloudTrail behaviour (principals, profiles, predictions, anomalies, lookup) over `trail` and the stored model. */
  behaviour: BehaviourService;
  /** The AI agent (chat page, `catdata ask`): one Strands agent per conversation, tools over MCP, history in the store. */
  agent: AgentService;
  /** The chat routes' view of the agent (POST /api/chat streams its events). */
  chat: AgentChat;
  /** The durable queue put events go to; its worker runs process-cat-data in the background. */
  queue: JobQueue;
  /** process-cat-data over this runtime's store, lake and job log (the Lambda entry calls it). */
  processCatData: ProcessCatData;
  /** The clock everything below takes its time from. */
  now: () => Date;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  /** Rebuild the marts after each successful load (default true; tests that drive rebuilds turn it off). */
  rebuildMartsAfterLoad?: boolean;
  now?: () => Date;
}

export async function openRuntime(config: Config, logger: Logger, options: RuntimeOptions = {}): Promise<Runtime> {
  const now = options.now ?? (() => new Date());
  const dataDir = new DataDir(config.dataDirectory);
  const trail = createTrailLake(config, dataDir);
  const store = createStore(config, dataDir);
  const lake = createLake(config, dataDir);
  const warehouse = createWarehouse(config, logger, dataDir);
  const marts = createRebuildScheduler(warehouse, lake, logger);
  const jobs = createJobLog(config, dataDir);
  const processCatData = createProcessCatData({
    store,
    lake,
    jobs,
    logger,
    now,
    limits: config.ingest,
    sqlPath: config.etlSqlPath,
    municipalities: config.municipalities,
    onSucceeded: async () => {
      if (options.rebuildMartsAfterLoad !== false) void marts.request();
    },
  });
  const queue = new JobQueue({ jobs, store, process: processCatData, logger, now });
  // The S3 event notification of the design: a put under raw/ is queued (fast), and the queue's
  // worker runs process-cat-data. In AWS (no local events) the bucket invokes the Lambda instead.
  if (consumesPutEvents(config)) {
    store.onPut(async (event) => {
      await queue.enqueue(event);
    });
    // Jobs a crash or kill -9 left queued/running are taken up again, in the background.
    await queue.recover();
  }
  const query: QueryEngine =
    config.queryEngine.kind === "athena"
      ? new AthenaQueryEngine({
          workgroup: config.queryEngine.athenaWorkgroup,
          outputBucket: config.store.bucket,
          region: config.region,
        })
      : await DuckDbQueryEngine.open(lake, { now: () => now().getTime() });
  const behaviour = createBehaviour(config, dataDir, now, trail);
  const agent = createAgent(config, dataDir, now, { behaviour, trail, warehouse });
  return {
    config,
    logger,
    store,
    lake,
    jobs,
    query,
    warehouse,
    marts,
    users: createUserPool(config, dataDir, now),
    keys: createKeyStore(config, dataDir),
    savedQueries: createSavedQueries(config, dataDir, now),
    trail,
    behaviour,
    agent,
    chat: new AgentChat(agent, { logger }),
    queue,
    processCatData,
    now,
    close: async () => {
      await agent.close();
      await queue.close();
      await marts.idle();
      await warehouse.close();
      await query.close();
    },
  };
}

/** This process runs the ETL for its own puts: always locally, and with S3 only against a local endpoint. */
const consumesPutEvents = (config: Config) => config.store.kind !== "s3" || config.store.endpoint !== undefined;

/** Where every S3 implementation lives with CATDATA_STORE=s3: the store's bucket, region and endpoint. */
const inBucket = (config: Config) => ({
  bucket: config.store.bucket,
  region: config.region,
  ...(config.store.endpoint ? { endpoint: config.store.endpoint } : {}),
});

/**
 * The job log: `jobs/` in the bucket with CATDATA_STORE=s3 (shared with the Lambdas), else DataDir.jobs.
 * Quarantined rows are sealed under the store's master key wherever this process has it (locally,
 * and with S3 on a local endpoint); in AWS they rely on SSE (a KMS data key is a later step).
 */
export function createJobLog(config: Config, dataDir = new DataDir(config.dataDirectory)): JobLog {
  if (config.store.kind === "s3") {
    const cipher = consumesPutEvents(config) ? quarantineCipher(config, dataDir) : undefined;
    return new S3JobLog({ ...inBucket(config), ...(cipher ? { cipher } : {}) });
  }
  return new LocalJobLog(dataDir.jobs, { cipher: quarantineCipher(config, dataDir) });
}

const quarantineCipher = (config: Config, dataDir: DataDir) =>
  new QuarantineCipher(loadOrCreateMasterKey(config.keyFile, dataDir.root));

/** The warehouse (the marts): a DuckDB file under CATDATA_HOME, or Postgres/Redshift by CATDATA_WAREHOUSE. */
export const createWarehouse = (
  config: Config,
  logger: Logger,
  dataDir = new DataDir(config.dataDirectory),
): Warehouse => openWarehouse(config, dataDir, logger);

/** The lake: with CATDATA_STORE=s3, `curated/` in the same bucket (same client options as the store). */
export function createLake(config: Config, dataDir = new DataDir(config.dataDirectory)): Lake {
  if (config.store.kind === "s3") {
    return new S3Lake({
      ...inBucket(config),
      scratchDir: dataDir.lake.s3Scratch,
    });
  }
  return new LocalLake(dataDir);
}

/** The trail lake: with CATDATA_STORE=s3, `trail/` in the same bucket (same client options as the store). */
export function createTrailLake(config: Config, dataDir = new DataDir(config.dataDirectory)): TrailLake {
  if (config.store.kind === "s3") {
    return new S3TrailLake({
      ...inBucket(config),
      cacheDir: dataDir.trail.s3Cache,
    });
  }
  return new LocalTrailLake(dataDir.trail);
}

/** The behaviour model: with CATDATA_STORE=s3, `models/behaviour.json` in the bucket, else DataDir.models. */
export function createModelStore(config: Config, dataDir = new DataDir(config.dataDirectory)): ModelStore {
  if (config.store.kind === "s3") {
    return new S3ModelStore(inBucket(config));
  }
  return new LocalModelStore(dataDir.models.behaviour);
}

/** The behaviour service over the trail lake and the model store (also for CLI commands). */
export const createBehaviour = (
  config: Config,
  dataDir = new DataDir(config.dataDirectory),
  now = () => new Date(),
  trail = createTrailLake(config, dataDir),
): BehaviourService =>
  new BehaviourService({ trail, models: createModelStore(config, dataDir), samplesDir: config.samplesDir, now });

/**
 * The agent: its model from config.agent (offline by default), its tools from catdata's own MCP
 * server in process (or CATDATA_AGENT_MCP_URL), its conversations in the store below.
 */
export const createAgent = (
  config: Config,
  dataDir: DataDir,
  now: () => Date,
  deps: { behaviour: BehaviourService; trail: TrailLake; warehouse?: Pick<Warehouse, "kpis"> },
): AgentService =>
  new AgentService({
    config: config.agent,
    region: config.region,
    now,
    store: createConversationStore(config, dataDir),
    mcp: {
      ...deps,
      version: VERSION,
      now,
      region: config.region,
      minCell: config.auth.minCell,
      cloudTrailLake: createCloudTrailLake(config.cloudTrailLake, config.region),
    },
  });

/** Conversation history: `agent/conversations/` in the bucket with CATDATA_STORE=s3, else under CATDATA_HOME. */
export function createConversationStore(
  config: Config,
  dataDir = new DataDir(config.dataDirectory),
): ConversationStore {
  if (config.store.kind === "s3") return new S3ConversationStore(inBucket(config));
  return new LocalConversationStore(path.join(dataDir.root, "agent", "conversations"));
}

/** The user pool, the key store and the saved queries, also for CLI commands that need no whole runtime. */
export const createUserPool = (
  config: Config,
  dataDir = new DataDir(config.dataDirectory),
  now = () => new Date(),
): UserPool => new LocalUserPool(dataDir, { lockout: config.auth.lockout, clock: now });
export const createKeyStore = (config: Config, dataDir = new DataDir(config.dataDirectory)): KeyStore =>
  new LocalKeyStore(dataDir);
export const createSavedQueries = (
  config: Config,
  dataDir = new DataDir(config.dataDirectory),
  now = () => new Date(),
): SavedQueries => new LocalSavedQueries(dataDir, now);

function createStore(config: Config, dataDir: DataDir): ObjectStore {
  if (config.store.kind === "s3") {
    // With an endpoint (a local S3-compatible server) this process emits the put events itself;
    // in AWS the bucket's event notification invokes the process-cat-data Lambda instead.
    return new S3ObjectStore({
      ...inBucket(config),
      emitLocalEvents: config.store.endpoint !== undefined,
    });
  }
  const key = loadOrCreateMasterKey(config.keyFile, dataDir.root);
  return new LocalObjectStore(dataDir.store, config.store.bucket, key);
}
