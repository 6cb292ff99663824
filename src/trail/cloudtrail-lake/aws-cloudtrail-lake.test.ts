/**
 * Pins the CloudTrail Lake adapter by the exact requests it sends and its handling of realistic
 * responses (aws-sdk-client-mock; CloudTrail Lake cannot run here):
 * - createCloudTrailLake: none when off; on, a client for config.region and the default store
 * - StartQuery with QueryStatement only; DescribeQuery with QueryId, its statistics kept
 * - GetQueryResults with QueryId, MaxQueryResults = LAKE_RESULTS_PAGE_ROWS and NextToken; rows
 *   (arrays of single-key objects, as the API answers) become objects keyed by column, in order
 * - ListEventDataStores followed through NextToken (at most LIST_EVENT_DATA_STORES_MAX_PAGES)
 * - waitForQuery polls every LAKE_QUERY_POLL_MS until final, and gives up at the wait limit
 * - AccessDenied, EventDataStoreNotFound, InvalidQueryStatement and unknown AWS faults become
 *   CatdataErrors whose hint says what to do
 */
import {
  AccessDeniedException,
  CloudTrailClient,
  DescribeQueryCommand,
  EventDataStoreNotFoundException,
  GetQueryResultsCommand,
  InvalidQueryStatementException,
  ListEventDataStoresCommand,
  StartQueryCommand,
} from "@aws-sdk/client-cloudtrail";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import {
  AwsCloudTrailLake,
  LAKE_QUERY_MAX_WAIT_MS,
  LAKE_QUERY_POLL_MS,
  LAKE_RESULTS_PAGE_ROWS,
  LIST_EVENT_DATA_STORES_MAX_PAGES,
} from "./aws-cloudtrail-lake.js";
import { createCloudTrailLake } from "./create-cloudtrail-lake.js";

const client = new CloudTrailClient({ region: "ap-northeast-1" });
const cloudtrail = mockClient(client);
const QUERY_ID = "7c0a4e8e-1b2f-4c3d-9e8f-0a1b2c3d4e5f";
const STORE = "0233062b-51c6-4d18-8dec-a8c90da840d9";
const ARN = `arn:aws:cloudtrail:ap-northeast-1:123456789012:eventdatastore/${STORE}`;
const $metadata = { httpStatusCode: 400, requestId: "req-1" };
let clock = 0;
let sleeps: number[] = [];

const lake = () =>
  new AwsCloudTrailLake({
    client,
    region: "ap-northeast-1",
    now: () => clock,
    sleep: async (ms) => {
      sleeps.push(ms);
      clock += ms;
    },
  });

beforeEach(() => {
  cloudtrail.reset();
  clock = 0;
  sleeps = [];
});

describe("createCloudTrailLake", () => {
  it("gives none when off, and a client for the configured region when on", async () => {
    expect(
      createCloudTrailLake({ enabled: false, defaultEventDataStore: undefined }, "ap-northeast-1"),
    ).toBeUndefined();
    const on = createCloudTrailLake({ enabled: true, defaultEventDataStore: ARN }, "eu-west-1");
    expect(on).toBeInstanceOf(AwsCloudTrailLake);
    expect([on?.region, on?.defaultEventDataStore]).toEqual(["eu-west-1", ARN]);
    const made = (on as unknown as { client: CloudTrailClient }).client;
    expect(await made.config.region()).toBe("eu-west-1");
  });
});

describe("AwsCloudTrailLake", () => {
  it("starts a query with its statement only and describes it with its statistics", async () => {
    cloudtrail.on(StartQueryCommand).resolves({ QueryId: QUERY_ID });
    cloudtrail.on(DescribeQueryCommand).resolves({
      QueryId: QUERY_ID,
      QueryString: `SELECT eventName FROM ${STORE}`,
      QueryStatus: "FINISHED",
      QueryStatistics: {
        EventsMatched: 12,
        EventsScanned: 3400,
        BytesScanned: 1_048_576,
        ExecutionTimeInMillis: 2100,
        CreationTime: new Date("2026-12-04T10:00:00Z"),
      },
    });
    const sql = `SELECT eventName FROM ${STORE}`;
    expect(await lake().startQuery(sql)).toBe(QUERY_ID);
    expect(cloudtrail.commandCalls(StartQueryCommand).map((c) => c.args[0].input)).toEqual([{ QueryStatement: sql }]);
    expect(await lake().describeQuery(QUERY_ID)).toEqual({
      queryId: QUERY_ID,
      status: "FINISHED",
      sql,
      eventsMatched: 12,
      eventsScanned: 3400,
      bytesScanned: 1_048_576,
      executionTimeMs: 2100,
      createdAt: "2026-12-04T10:00:00.000Z",
      errorMessage: undefined,
    });
    expect(cloudtrail.commandCalls(DescribeQueryCommand)[0]?.args[0].input).toEqual({ QueryId: QUERY_ID });
  });

  it("reads result pages with QueryId, MaxQueryResults and NextToken, rows keyed by column", async () => {
    cloudtrail
      .on(GetQueryResultsCommand, { QueryId: QUERY_ID, NextToken: undefined })
      .resolves({
        QueryStatus: "FINISHED",
        QueryStatistics: { ResultsCount: 2, TotalResultsCount: 3, BytesScanned: 2048 },
        QueryResultRows: [
          [{ eventName: "ConsoleLogin" }, { n: "5" }],
          [{ eventName: "GetObject" }, { n: "3" }],
        ],
        NextToken: "aws-page-2",
      })
      .on(GetQueryResultsCommand, { QueryId: QUERY_ID, NextToken: "aws-page-2" })
      .resolves({
        QueryStatus: "FINISHED",
        QueryStatistics: { ResultsCount: 1, TotalResultsCount: 3, BytesScanned: 2048 },
        QueryResultRows: [[{ eventName: "ListBuckets" }, { n: "1" }]],
      });
    const first = await lake().getQueryResults(QUERY_ID);
    expect(first).toEqual({
      status: "FINISHED",
      columns: ["eventName", "n"],
      rows: [
        { eventName: "ConsoleLogin", n: "5" },
        { eventName: "GetObject", n: "3" },
      ],
      resultsCount: 2,
      totalResultsCount: 3,
      bytesScanned: 2048,
      nextToken: "aws-page-2",
      errorMessage: undefined,
    });
    const second = await lake().getQueryResults(QUERY_ID, first.nextToken);
    expect([second.rows, second.nextToken]).toEqual([[{ eventName: "ListBuckets", n: "1" }], undefined]);
    expect(cloudtrail.commandCalls(GetQueryResultsCommand).map((c) => c.args[0].input)).toEqual([
      { QueryId: QUERY_ID, MaxQueryResults: LAKE_RESULTS_PAGE_ROWS },
      { QueryId: QUERY_ID, MaxQueryResults: LAKE_RESULTS_PAGE_ROWS, NextToken: "aws-page-2" },
    ]);
  });

  it("lists every page of event data stores, up to the page limit", async () => {
    const store = (n: number) => ({
      EventDataStoreArn: `arn:aws:cloudtrail:ap-northeast-1:123456789012:eventdatastore/0000000${n}-51c6-4d18-8dec-a8c90da840d9`,
      Name: `store-${n}`,
      Status: "ENABLED" as const,
      RetentionPeriod: 2557,
      MultiRegionEnabled: true,
      OrganizationEnabled: false,
      TerminationProtectionEnabled: true,
      CreatedTimestamp: new Date("2024-01-01T00:00:00Z"),
    });
    cloudtrail
      .on(ListEventDataStoresCommand, { NextToken: undefined })
      .resolves({ EventDataStores: [store(1)], NextToken: "t2" })
      .on(ListEventDataStoresCommand, { NextToken: "t2" })
      .resolves({ EventDataStores: [store(2)] });
    const stores = await lake().listEventDataStores();
    expect(stores.map((s) => [s.id, s.name, s.status, s.retentionDays, s.multiRegion, s.createdAt])).toEqual([
      ["00000001-51c6-4d18-8dec-a8c90da840d9", "store-1", "ENABLED", 2557, true, "2024-01-01T00:00:00.000Z"],
      ["00000002-51c6-4d18-8dec-a8c90da840d9", "store-2", "ENABLED", 2557, true, "2024-01-01T00:00:00.000Z"],
    ]);
    expect(cloudtrail.commandCalls(ListEventDataStoresCommand).map((c) => c.args[0].input)).toEqual([
      {},
      { NextToken: "t2" },
    ]);
    cloudtrail.reset();
    cloudtrail.on(ListEventDataStoresCommand).resolves({ EventDataStores: [store(3)], NextToken: "again" });
    expect(await lake().listEventDataStores()).toHaveLength(LIST_EVENT_DATA_STORES_MAX_PAGES);
    expect(cloudtrail.commandCalls(ListEventDataStoresCommand)).toHaveLength(LIST_EVENT_DATA_STORES_MAX_PAGES);
  });

  it("waits for a query by polling DescribeQuery, and gives up at the wait limit", async () => {
    cloudtrail
      .on(DescribeQueryCommand)
      .resolvesOnce({ QueryId: QUERY_ID, QueryStatus: "QUEUED" })
      .resolvesOnce({ QueryId: QUERY_ID, QueryStatus: "RUNNING" })
      .resolves({ QueryId: QUERY_ID, QueryStatus: "FAILED", ErrorMessage: "column eventname2 does not exist" });
    const failed = await lake().waitForQuery(QUERY_ID);
    expect([failed.status, failed.errorMessage]).toEqual(["FAILED", "column eventname2 does not exist"]);
    expect(sleeps).toEqual([LAKE_QUERY_POLL_MS, LAKE_QUERY_POLL_MS]);
    cloudtrail.reset();
    sleeps = [];
    const started = clock;
    cloudtrail.on(DescribeQueryCommand).resolves({ QueryId: QUERY_ID, QueryStatus: "RUNNING" });
    const running = await lake().waitForQuery(QUERY_ID);
    expect(running.status).toBe("RUNNING");
    expect(sleeps).toHaveLength(LAKE_QUERY_MAX_WAIT_MS / LAKE_QUERY_POLL_MS);
    expect(clock - started).toBe(LAKE_QUERY_MAX_WAIT_MS);
  });

  it("turns AWS errors into errors that say what to do", async () => {
    cloudtrail.on(StartQueryCommand).rejects(
      new AccessDeniedException({
        $metadata,
        message: "User: arn:aws:iam::123456789012:user/dev is not authorized to perform: cloudtrail:StartQuery",
      }),
    );
    await expect(lake().startQuery(`SELECT 1 FROM ${STORE}`)).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: expect.stringContaining("CloudTrail Lake StartQuery failed: AccessDeniedException: User:"),
      hint: "grant the server's AWS role the IAM action cloudtrail:StartQuery",
    });
    cloudtrail.on(StartQueryCommand).rejects(new EventDataStoreNotFoundException({ $metadata, message: "not found" }));
    await expect(lake().startQuery(`SELECT 1 FROM ${STORE}`)).rejects.toMatchObject({
      code: "NOT_FOUND",
      hint: expect.stringContaining("list_event_data_stores"),
    });
    cloudtrail
      .on(StartQueryCommand)
      .rejects(new InvalidQueryStatementException({ $metadata, message: "line 1:8: mismatched input" }));
    await expect(lake().startQuery("SELECT FROM x")).rejects.toMatchObject({
      code: "BAD_INPUT",
      hint: expect.stringContaining("FROM <event data store id>"),
    });
    const fault = Object.assign(new Error("We encountered an internal error"), {
      name: "InternalFailure",
      $fault: "server",
      $metadata,
    });
    cloudtrail.on(ListEventDataStoresCommand).rejects(fault);
    await expect(lake().listEventDataStores()).rejects.toMatchObject({
      code: "UNAVAILABLE",
      message: "CloudTrail Lake ListEventDataStores failed: InternalFailure: We encountered an internal error",
    });
  });
});
