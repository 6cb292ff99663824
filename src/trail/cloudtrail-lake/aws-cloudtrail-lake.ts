import {
  type CloudTrailClient,
  DescribeQueryCommand,
  type EventDataStore,
  GetQueryResultsCommand,
  ListEventDataStoresCommand,
  StartQueryCommand,
} from "@aws-sdk/client-cloudtrail";
import {
  type CloudTrailLake,
  type EventDataStoreSummary,
  eventDataStoreId,
  FINAL_QUERY_STATES,
  type LakeQueryDescription,
  type LakeResultsPage,
} from "./cloudtrail-lake.js";
import { lakeError } from "./lake-errors.js";

/**
 * CloudTrailLake over `@aws-sdk/client-cloudtrail` (the client injected: tests pass a mocked one).
 * ListEventDataStores is followed through every NextToken up to LIST_EVENT_DATA_STORES_MAX_PAGES;
 * GetQueryResults asks for LAKE_RESULTS_PAGE_ROWS rows a page (the tools cut pages further to their
 * answer budget); waitForQuery describes the query every LAKE_QUERY_POLL_MS until it is final or
 * LAKE_QUERY_MAX_WAIT_MS is over (clock and sleep injected).
 */
export const LAKE_RESULTS_PAGE_ROWS = 50;
export const LIST_EVENT_DATA_STORES_MAX_PAGES = 10;
export const LAKE_QUERY_POLL_MS = 1_000;
export const LAKE_QUERY_MAX_WAIT_MS = 60_000;

export interface AwsCloudTrailLakeOptions {
  client: CloudTrailClient;
  region: string;
  defaultEventDataStore?: string | undefined;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  pollMs?: number;
}

export class AwsCloudTrailLake implements CloudTrailLake {
  readonly region: string;
  readonly defaultEventDataStore: string | undefined;
  private readonly client: CloudTrailClient;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly pollMs: number;

  constructor(options: AwsCloudTrailLakeOptions) {
    this.client = options.client;
    this.region = options.region;
    this.defaultEventDataStore = options.defaultEventDataStore;
    this.now = options.now ?? (() => Date.now());
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.pollMs = options.pollMs ?? LAKE_QUERY_POLL_MS;
  }

  async listEventDataStores(): Promise<EventDataStoreSummary[]> {
    const stores: EventDataStoreSummary[] = [];
    let NextToken: string | undefined;
    for (let page = 0; page < LIST_EVENT_DATA_STORES_MAX_PAGES; page++) {
      const out = await this.attempt("ListEventDataStores", () =>
        this.client.send(new ListEventDataStoresCommand(NextToken ? { NextToken } : {})),
      );
      stores.push(...(out.EventDataStores ?? []).map(summary));
      NextToken = out.NextToken;
      if (!NextToken) break;
    }
    return stores;
  }

  async startQuery(sql: string): Promise<string> {
    const out = await this.attempt("StartQuery", () =>
      this.client.send(new StartQueryCommand({ QueryStatement: sql })),
    );
    if (!out.QueryId)
      throw lakeError(Object.assign(new Error("no QueryId in the answer"), { $fault: "server" }), "StartQuery");
    return out.QueryId;
  }

  async describeQuery(queryId: string): Promise<LakeQueryDescription> {
    const out = await this.attempt("DescribeQuery", () =>
      this.client.send(new DescribeQueryCommand({ QueryId: queryId })),
    );
    const stats = out.QueryStatistics;
    return {
      queryId: out.QueryId ?? queryId,
      status: out.QueryStatus ?? "QUEUED",
      sql: out.QueryString,
      eventsMatched: stats?.EventsMatched,
      eventsScanned: stats?.EventsScanned,
      bytesScanned: stats?.BytesScanned,
      executionTimeMs: stats?.ExecutionTimeInMillis,
      createdAt: stats?.CreationTime?.toISOString(),
      errorMessage: out.ErrorMessage,
    };
  }

  async getQueryResults(queryId: string, nextToken?: string): Promise<LakeResultsPage> {
    const out = await this.attempt("GetQueryResults", () =>
      this.client.send(
        new GetQueryResultsCommand({
          QueryId: queryId,
          MaxQueryResults: LAKE_RESULTS_PAGE_ROWS,
          ...(nextToken ? { NextToken: nextToken } : {}),
        }),
      ),
    );
    const rows = (out.QueryResultRows ?? []).map((cells) => Object.assign({}, ...cells) as Record<string, string>);
    return {
      status: out.QueryStatus ?? "FINISHED",
      columns: (out.QueryResultRows?.[0] ?? []).flatMap((cell) => Object.keys(cell)),
      rows,
      resultsCount: out.QueryStatistics?.ResultsCount,
      totalResultsCount: out.QueryStatistics?.TotalResultsCount,
      bytesScanned: out.QueryStatistics?.BytesScanned,
      nextToken: out.NextToken,
      errorMessage: out.ErrorMessage,
    };
  }

  async waitForQuery(queryId: string, maxWaitMs = LAKE_QUERY_MAX_WAIT_MS): Promise<LakeQueryDescription> {
    const deadline = this.now() + maxWaitMs;
    for (;;) {
      const described = await this.describeQuery(queryId);
      if (FINAL_QUERY_STATES.has(described.status) || this.now() + this.pollMs > deadline) return described;
      await this.sleep(this.pollMs);
    }
  }

  private async attempt<T>(action: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw lakeError(error, action);
    }
  }
}

function summary(store: EventDataStore): EventDataStoreSummary {
  const arn = store.EventDataStoreArn ?? "";
  return {
    arn,
    id: eventDataStoreId(arn),
    name: store.Name,
    status: store.Status,
    retentionDays: store.RetentionPeriod,
    multiRegion: store.MultiRegionEnabled,
    organization: store.OrganizationEnabled,
    terminationProtection: store.TerminationProtectionEnabled,
    createdAt: store.CreatedTimestamp?.toISOString(),
    updatedAt: store.UpdatedTimestamp?.toISOString(),
  };
}
