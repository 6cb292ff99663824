/**
 * AWS CloudTrail Lake, as the MCP lake tools use it (the AWS Labs CloudTrail MCP server's
 * lake_query / get_query_status / get_query_results / list_event_data_stores): list the event data
 * stores, start one SQL query (CloudTrail Lake's own dialect: the SQL names its event data store
 * after FROM), describe it, and read its rows a page at a time. One port, one implementation over
 * `@aws-sdk/client-cloudtrail` (aws-cloudtrail-lake.ts), chosen by config in
 * create-cloudtrail-lake.ts. Errors are CatdataErrors whose hint says what to do.
 */
export interface CloudTrailLake {
  /** The region the client calls (config.region). */
  readonly region: string;
  /** The event data store the tools suggest (CATDATA_CLOUDTRAIL_LAKE_EVENT_DATA_STORE), if any. */
  readonly defaultEventDataStore: string | undefined;
  listEventDataStores(): Promise<EventDataStoreSummary[]>;
  /** Starts `sql` (checked read-only first; it names its store after FROM — StartQuery takes no other). The query id. */
  startQuery(sql: string): Promise<string>;
  describeQuery(queryId: string): Promise<LakeQueryDescription>;
  getQueryResults(queryId: string, nextToken?: string): Promise<LakeResultsPage>;
  /** Describes the query until it is no longer QUEUED or RUNNING, or `maxWaitMs` is over. */
  waitForQuery(queryId: string, maxWaitMs?: number): Promise<LakeQueryDescription>;
}

/** CloudTrail Lake's query states. */
export type LakeQueryStatus = "QUEUED" | "RUNNING" | "FINISHED" | "FAILED" | "CANCELLED" | "TIMED_OUT";
/** The states after which a query's status no longer changes. */
export const FINAL_QUERY_STATES: ReadonlySet<string> = new Set(["FINISHED", "FAILED", "CANCELLED", "TIMED_OUT"]);

export interface EventDataStoreSummary {
  arn: string;
  /** The id CloudTrail Lake SQL uses after FROM: the last part of the ARN. */
  id: string;
  name: string | undefined;
  status: string | undefined;
  retentionDays: number | undefined;
  multiRegion: boolean | undefined;
  organization: boolean | undefined;
  terminationProtection: boolean | undefined;
  createdAt: string | undefined;
  updatedAt: string | undefined;
}

export interface LakeQueryDescription {
  queryId: string;
  status: LakeQueryStatus | string;
  sql: string | undefined;
  eventsMatched: number | undefined;
  eventsScanned: number | undefined;
  bytesScanned: number | undefined;
  executionTimeMs: number | undefined;
  createdAt: string | undefined;
  errorMessage: string | undefined;
}

export interface LakeResultsPage {
  status: LakeQueryStatus | string;
  /** Column names in the order of the first row. */
  columns: string[];
  /** Rows as objects keyed by column (CloudTrail Lake answers every cell as a string). */
  rows: Record<string, string>[];
  resultsCount: number | undefined;
  totalResultsCount: number | undefined;
  bytesScanned: number | undefined;
  nextToken: string | undefined;
  errorMessage: string | undefined;
}

/** The id of an event data store named by id or ARN (the part after `eventdatastore/`). */
export const eventDataStoreId = (idOrArn: string): string => idOrArn.slice(idOrArn.lastIndexOf("/") + 1);
