import { randomUUID } from "node:crypto";

/**
 * The results of `lake_query` runs, kept for `get_query_status` and `get_query_results` (CloudTrail
 * Lake's StartQuery / DescribeQuery / GetQueryResults, over the local trail lake). One store per
 * server process, created where the MCP dependencies are built (on HTTP every request gets a fresh
 * MCP server, so the store must outlive it); bounded: at most QUERY_RESULTS_MAX_QUERIES runs, each
 * forgotten QUERY_RESULTS_TTL_MS after it finished (oldest first when full). Clock and ids injected.
 * Every id it gives starts with LOCAL_QUERY_ID_PREFIX, so it never collides with a CloudTrail Lake
 * query id (a bare UUID): the tools send an id without the prefix to CloudTrail Lake when it is on.
 */
export const QUERY_RESULTS_MAX_QUERIES = 64;
export const QUERY_RESULTS_TTL_MS = 60 * 60_000;
/** The start of every local query id. */
export const LOCAL_QUERY_ID_PREFIX = "local-";

/** Whether `queryId` names a run of the local trail lake (else it may be CloudTrail Lake's). */
export const isLocalQueryId = (queryId: string): boolean => queryId.startsWith(LOCAL_QUERY_ID_PREFIX);

export type QueryStatus = "FINISHED" | "FAILED";

export interface StoredQuery {
  queryId: string;
  sql: string;
  status: QueryStatus;
  columns: string[];
  rows: Record<string, unknown>[];
  /** True when the row cap cut the result. */
  truncated: boolean;
  errorMessage?: string;
  elapsedMs: number;
  /** ms since the epoch. */
  finishedAt: number;
}

export interface QueryResultsOptions {
  now?: () => number;
  newId?: () => string;
  maxQueries?: number;
  ttlMs?: number;
}

/** The state a server's tools share beside McpDeps: optional, so a server without one makes its own. */
export interface QueryResultsDeps {
  queries?: QueryResults | undefined;
}

export class QueryResults {
  private readonly byId = new Map<string, StoredQuery>();
  private readonly now: () => number;
  private readonly newId: () => string;
  private readonly maxQueries: number;
  private readonly ttlMs: number;

  constructor(options: QueryResultsOptions = {}) {
    this.now = options.now ?? (() => Date.now());
    this.newId = options.newId ?? randomUUID;
    this.maxQueries = options.maxQueries ?? QUERY_RESULTS_MAX_QUERIES;
    this.ttlMs = options.ttlMs ?? QUERY_RESULTS_TTL_MS;
  }

  /** Keeps a finished (or failed) run under a new id (LOCAL_QUERY_ID_PREFIX + newId()); the oldest goes when full. */
  add(run: Omit<StoredQuery, "queryId" | "finishedAt">): StoredQuery {
    this.sweep();
    while (this.byId.size >= this.maxQueries) {
      const oldest = this.byId.keys().next().value;
      if (oldest === undefined) break;
      this.byId.delete(oldest);
    }
    const stored: StoredQuery = { ...run, queryId: `${LOCAL_QUERY_ID_PREFIX}${this.newId()}`, finishedAt: this.now() };
    this.byId.set(stored.queryId, stored);
    return stored;
  }

  get(queryId: string): StoredQuery | undefined {
    this.sweep();
    return this.byId.get(queryId);
  }

  get size(): number {
    this.sweep();
    return this.byId.size;
  }

  private sweep(): void {
    const cutoff = this.now() - this.ttlMs;
    for (const [id, query] of this.byId) {
      if (query.finishedAt > cutoff) break; // insertion order is finish order
      this.byId.delete(id);
    }
  }
}
