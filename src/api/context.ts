import type { AuditRecorder } from "../audit/recorder.js";
import type { Claims, TokenIssuer } from "../auth/tokens.js";
import type { UserPool } from "../auth/user-pool.js";
import type { BehaviourService } from "../behaviour/behaviour-service.js";
import type { Config } from "../config/config.js";
import type { JobLog } from "../etl/job-log.js";
import type { Lake } from "../lake/lake.js";
import type { Logger } from "../log/logger.js";
import type { QueryEngine } from "../sql/query-engine.js";
import type { SavedQueries } from "../sql/saved-queries.js";
import type { ObjectStore } from "../store/object-store.js";
import type { TrailLake } from "../trail/lake/trail-lake.js";
import type { Warehouse } from "../warehouse/warehouse.js";
import type { ChatService } from "./chat-port.js";

/**
 * The services the HTTP API uses, declared here so that the API depends on them and not on the
 * composition root: the `Runtime` of `src/runtime.ts` satisfies this structurally (the server and
 * the Lambda pass theirs), tests may pass anything with these members.
 */
export interface ApiServices {
  config: Config;
  logger: Logger;
  /** Uploads go here (raw/…), query results too (athena-query-results/…). */
  store: ObjectStore;
  /** ETL job records and their quarantine. */
  jobs: JobLog;
  query: QueryEngine;
  savedQueries: SavedQueries;
  /** The CloudTrail lake and the behaviour features over it (the /trail routes, the /mcp endpoint). */
  trail: TrailLake;
  behaviour: BehaviourService;
  /** The curated lake's catalog: loads and their corrections (the /loads routes). */
  lake?: Pick<Lake, "readCatalog" | "retractJob">;
  /** The agent behind the chat (the /chat routes); none: they answer 503. */
  chat?: ChatService;
  /** The KPI marts (the /kpis route); none: that route answers 503. */
  warehouse?: Pick<Warehouse, "kpis">;
  /** Rebuilds the marts after a correction (coalesced). */
  marts?: { request(): Promise<unknown> };
  /** The clock (default: the system's). */
  now?: () => Date;
}

/** What the HTTP app needs: the services plus the user pool and its token issuer/verifier. */
export interface ApiDeps {
  runtime: ApiServices;
  users: UserPool;
  tokens: TokenIssuer;
  verify: (token: string) => Promise<Claims>;
  /** The audit trail (the CloudTrail role): every call becomes one record; none: not recorded. */
  audit?: AuditRecorder;
  /** Where request counts and latencies go (the `/metrics` of the health port); none: not measured. */
  metrics?: RequestMetrics;
}

/** The monitoring side of the API (implemented by `src/server/metrics/`). */
export interface RequestMetrics {
  observe(request: { method: string; route: string; status: number; seconds: number }): void;
  rateLimited(scope: "ip" | "user"): void;
}

export type ApiEnv = {
  Variables: {
    requestId: string;
    user: Claims;
    /** The caller's source IP as the protection middleware sees it (`unknown` when none). */
    clientIp: string;
  };
};
