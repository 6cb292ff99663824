/**
 * Pins the lake tools over AWS CloudTrail Lake (CATDATA_CLOUDTRAIL_LAKE=on), through the MCP SDK's
 * own client, against a mocked CloudTrail client (aws-sdk-client-mock; CloudTrail Lake cannot run
 * here), asserting the exact commands sent:
 * - lake_query naming an event data store: StartQuery with the SQL as QueryStatement, DescribeQuery
 *   until FINISHED, then the first page (GetQueryResults: QueryId, MaxQueryResults), rows keyed by
 *   column, DescribeQuery's statistics beside GetQueryResults'
 * - get_query_results pages with next_token across CloudTrail Lake's NextToken, every answer within
 *   DEFAULT_ANSWER_BYTES, every row once and in order
 * - wait_for_completion false answers the status at once; get_query_status is DescribeQuery; a
 *   running query says to come back; a FAILED query and an AccessDenied are tool errors that say why
 *   and what to do; non-SELECT CloudTrail Lake SQL is refused before any AWS call
 * - local queries stay local (their ids start with local-; no AWS call); list_event_data_stores is
 *   ListEventDataStores (default store marked, brief form on include_details: false)
 */
import {
  AccessDeniedException,
  CloudTrailClient,
  DescribeQueryCommand,
  GetQueryResultsCommand,
  ListEventDataStoresCommand,
  QueryIdNotFoundException,
  StartQueryCommand,
} from "@aws-sdk/client-cloudtrail";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { emptyBehaviourLake, type TestBehaviourLake } from "../../testing/behaviour.js";
import { McpTestClients } from "../../testing/mcp-client.js";
import { AwsCloudTrailLake, LAKE_RESULTS_PAGE_ROWS } from "../../trail/cloudtrail-lake/aws-cloudtrail-lake.js";
import { QueryResults } from "../query-results.js";
import { DEFAULT_ANSWER_BYTES } from "./answer-budget.js";

const client = new CloudTrailClient({ region: "ap-northeast-1" });
const cloudtrail = mockClient(client);
const STORE = "0233062b-51c6-4d18-8dec-a8c90da840d9";
const ARN = `arn:aws:cloudtrail:ap-northeast-1:123456789012:eventdatastore/${STORE}`;
const QUERY_ID = "7c0a4e8e-1b2f-4c3d-9e8f-0a1b2c3d4e5f";
const SQL = `SELECT eventTime, eventName, userIdentity.arn, sourceIPAddress, eventID FROM ${STORE} WHERE eventTime > '2026-11-01 00:00:00' ORDER BY eventTime`;
const $metadata = { httpStatusCode: 400, requestId: "req-1" };

let lake: TestBehaviourLake;
const mcp = new McpTestClients();
beforeAll(async () => {
  lake = await emptyBehaviourLake();
});
beforeEach(() => cloudtrail.reset());
afterEach(async () => {
  await mcp.closeAll();
});

async function connect(): Promise<Client> {
  return mcp.connect({
    behaviour: lake.service(),
    trail: lake.trail,
    version: "0.0.0-test",
    region: "ap-northeast-1",
    queries: new QueryResults(),
    cloudTrailLake: new AwsCloudTrailLake({ client, region: "ap-northeast-1", defaultEventDataStore: STORE }),
  });
}

async function call(mcp: Client, name: string, args: Record<string, unknown>) {
  const result = await mcp.callTool({ name, arguments: args });
  const text = (result.content as { type: string; text: string }[])[0]?.text ?? "";
  return {
    isError: result.isError === true,
    text,
    bytes: Buffer.byteLength(text),
    answer: result.structuredContent as Record<string, unknown> & {
      query_id: string;
      query_result_rows: Record<string, string>[];
      next_token?: string;
    },
  };
}

/** A CloudTrail Lake row as GetQueryResults answers it: an array of single-key objects. */
const awsRow = (i: number): Record<string, string>[] => [
  { eventTime: `2026-11-${String(1 + (i % 28)).padStart(2, "0")} 09:${String(i % 60).padStart(2, "0")}:00.000` },
  { eventName: i % 3 === 0 ? "ConsoleLogin" : "GetObject" },
  { arn: `arn:aws:iam::123456789012:user/developer-${i % 5}` },
  { sourceIPAddress: `203.0.113.${i % 250}` },
  { eventID: `e${String(i).padStart(4, "0")}-4c3d-9e8f-0a1b2c3d4e5f` },
];
const asObject = (cells: Record<string, string>[]) => Object.assign({}, ...cells) as Record<string, string>;

function finished() {
  cloudtrail.on(StartQueryCommand).resolves({ QueryId: QUERY_ID });
  cloudtrail.on(DescribeQueryCommand).resolves({
    QueryId: QUERY_ID,
    QueryString: SQL,
    QueryStatus: "FINISHED",
    QueryStatistics: { EventsMatched: 57, EventsScanned: 9120, BytesScanned: 4_194_304, ExecutionTimeInMillis: 1830 },
  });
  const first = Array.from({ length: LAKE_RESULTS_PAGE_ROWS }, (_, i) => awsRow(i));
  const second = Array.from({ length: 7 }, (_, i) => awsRow(LAKE_RESULTS_PAGE_ROWS + i));
  cloudtrail
    .on(GetQueryResultsCommand, { QueryId: QUERY_ID, NextToken: undefined })
    .resolves({
      QueryStatus: "FINISHED",
      QueryStatistics: { ResultsCount: 50, TotalResultsCount: 57, BytesScanned: 4_194_304 },
      QueryResultRows: first,
      NextToken: "AWS-NEXT-TOKEN-2",
    })
    .on(GetQueryResultsCommand, { QueryId: QUERY_ID, NextToken: "AWS-NEXT-TOKEN-2" })
    .resolves({
      QueryStatus: "FINISHED",
      QueryStatistics: { ResultsCount: 7, TotalResultsCount: 57, BytesScanned: 4_194_304 },
      QueryResultRows: second,
    });
  return [...first, ...second].map(asObject);
}

describe("lake_query over CloudTrail Lake", () => {
  it("starts the SQL, waits for it and answers its first page, sending the exact commands", async () => {
    const expected = finished();
    const mcp = await connect();
    const { answer, bytes, isError } = await call(mcp, "lake_query", { sql: SQL, max_results: 5 });
    expect(isError).toBe(false);
    expect(bytes).toBeLessThanOrEqual(DEFAULT_ANSWER_BYTES);
    expect(answer).toMatchObject({
      query_id: QUERY_ID,
      query_status: "FINISHED",
      source: "cloudtrail_lake",
      columns: ["eventTime", "eventName", "arn", "sourceIPAddress", "eventID"],
      query_statistics: {
        events_matched: 57,
        events_scanned: 9120,
        execution_time_in_millis: 1830,
        results_count: 50,
        total_results_count: 57,
        bytes_scanned: 4_194_304,
      },
    });
    expect(answer.query_result_rows).toEqual(expected.slice(0, 5));
    expect(answer.next_token).toEqual(expect.any(String));
    expect(cloudtrail.commandCalls(StartQueryCommand).map((c) => c.args[0].input)).toEqual([{ QueryStatement: SQL }]);
    expect(cloudtrail.commandCalls(DescribeQueryCommand).map((c) => c.args[0].input)).toEqual([{ QueryId: QUERY_ID }]);
    expect(cloudtrail.commandCalls(GetQueryResultsCommand).map((c) => c.args[0].input)).toEqual([
      { QueryId: QUERY_ID, MaxQueryResults: LAKE_RESULTS_PAGE_ROWS },
    ]);
    expect(await client.config.region()).toBe("ap-northeast-1");
  });

  it("pages every row through get_query_results across CloudTrail Lake's NextToken, within the budget", async () => {
    const expected = finished();
    const mcp = await connect();
    const first = await call(mcp, "lake_query", { sql: SQL });
    expect(first.bytes).toBeLessThanOrEqual(DEFAULT_ANSWER_BYTES);
    expect(first.answer.note).toMatch(/page cut to \d+ rows to stay under 8 KB/);
    const rows = [...first.answer.query_result_rows];
    let token = first.answer.next_token;
    let answers = 1;
    while (token) {
      const page = await call(mcp, "get_query_results", { query_id: QUERY_ID, next_token: token });
      expect([page.isError, page.bytes <= DEFAULT_ANSWER_BYTES]).toEqual([false, true]);
      rows.push(...page.answer.query_result_rows);
      token = page.answer.next_token;
      answers++;
    }
    expect(rows).toEqual(expected);
    expect(answers).toBeGreaterThan(2);
    const sent = cloudtrail.commandCalls(GetQueryResultsCommand).map((c) => c.args[0].input);
    expect(new Set(sent.map((i) => i.NextToken))).toEqual(new Set([undefined, "AWS-NEXT-TOKEN-2"]));
    expect(sent.every((i) => i.QueryId === QUERY_ID && i.MaxQueryResults === LAKE_RESULTS_PAGE_ROWS)).toBe(true);
    // A token of this query is refused for another.
    const foreign = await call(mcp, "get_query_results", {
      query_id: "11111111-2222-4333-8444-555555555555",
      next_token: first.answer.next_token,
    });
    expect([foreign.isError, foreign.text]).toEqual([true, expect.stringContaining("belongs to another query")]);
  });

  it("answers the status at once without waiting, and says a running query is still running", async () => {
    cloudtrail.on(StartQueryCommand).resolves({ QueryId: QUERY_ID });
    cloudtrail
      .on(DescribeQueryCommand)
      .resolvesOnce({ QueryId: QUERY_ID, QueryStatus: "QUEUED" })
      .resolves({ QueryId: QUERY_ID, QueryStatus: "RUNNING", QueryStatistics: { EventsScanned: 1200 } });
    cloudtrail.on(GetQueryResultsCommand).resolves({ QueryStatus: "RUNNING", QueryResultRows: [] });
    const mcp = await connect();
    const started = await call(mcp, "lake_query", { sql: SQL, wait_for_completion: false });
    expect(started.answer).toMatchObject({ query_id: QUERY_ID, query_status: "QUEUED", source: "cloudtrail_lake" });
    expect(cloudtrail.commandCalls(GetQueryResultsCommand)).toHaveLength(0);
    const status = await call(mcp, "get_query_status", { query_id: QUERY_ID });
    expect(status.answer).toMatchObject({
      query_id: QUERY_ID,
      query_status: "RUNNING",
      query_statistics: { events_scanned: 1200 },
      note: expect.stringContaining("still running"),
    });
    const rows = await call(mcp, "get_query_results", { query_id: QUERY_ID });
    expect(rows.answer).toMatchObject({ query_status: "RUNNING", query_result_rows: [] });
    expect(rows.answer.note).toMatch(/still running: call get_query_results again/);
  });

  it("makes a FAILED query a tool error with CloudTrail Lake's reason", async () => {
    const reason = "Query failed: COLUMN_NOT_FOUND: line 1:8: Column 'eventnam' cannot be resolved";
    cloudtrail.on(StartQueryCommand).resolves({ QueryId: QUERY_ID });
    cloudtrail.on(DescribeQueryCommand).resolves({ QueryId: QUERY_ID, QueryStatus: "FAILED", ErrorMessage: reason });
    cloudtrail.on(GetQueryResultsCommand).resolves({ QueryStatus: "FAILED", ErrorMessage: reason });
    const mcp = await connect();
    const failed = await call(mcp, "lake_query", { sql: `SELECT eventnam FROM ${STORE}` });
    expect(failed.isError).toBe(true);
    expect(failed.text).toContain(`CloudTrail Lake query ${QUERY_ID} is FAILED: ${reason}`);
    expect(failed.text).toMatch(/fix the SQL/);
    const status = await call(mcp, "get_query_status", { query_id: QUERY_ID });
    expect(status.answer).toMatchObject({ query_status: "FAILED", error_message: reason });
    const rows = await call(mcp, "get_query_results", { query_id: QUERY_ID });
    expect([rows.isError, rows.text]).toEqual([true, expect.stringContaining(`is FAILED: ${reason}`)]);
  });

  it("makes AccessDenied and unknown query ids tool errors that say what to do", async () => {
    cloudtrail.on(StartQueryCommand).rejects(
      new AccessDeniedException({
        $metadata,
        message:
          "User: arn:aws:sts::123456789012:assumed-role/catdata/mcp is not authorized to perform: cloudtrail:StartQuery",
      }),
    );
    cloudtrail
      .on(DescribeQueryCommand)
      .rejects(new QueryIdNotFoundException({ $metadata, message: "Query not found" }));
    const mcp = await connect();
    const denied = await call(mcp, "lake_query", { sql: `SELECT eventName FROM ${ARN}` });
    expect(denied.isError).toBe(true);
    expect(denied.text).toMatch(
      /AccessDeniedException.*grant the server's AWS role the IAM action cloudtrail:StartQuery/,
    );
    expect(cloudtrail.commandCalls(StartQueryCommand)[0]?.args[0].input).toEqual({
      QueryStatement: `SELECT eventName FROM ${ARN}`,
    });
    const unknown = await call(mcp, "get_query_status", { query_id: "11111111-2222-4333-8444-555555555555" });
    expect([unknown.isError, unknown.text]).toEqual([
      true,
      expect.stringMatching(/QueryIdNotFound.*run lake_query again/),
    ]);
  });

  it("refuses CloudTrail Lake SQL that is not one SELECT before any AWS call", async () => {
    const mcp = await connect();
    for (const sql of [`DELETE FROM ${STORE}`, `SELECT 1 FROM ${STORE}; SELECT 2 FROM ${STORE}`]) {
      const refused = await call(mcp, "lake_query", { sql });
      expect([refused.isError, refused.text]).toEqual([
        true,
        expect.stringContaining("refused the CloudTrail Lake SQL"),
      ]);
    }
    expect(cloudtrail.calls()).toHaveLength(0);
  });
});

describe("local queries and event data stores with CloudTrail Lake on", () => {
  it("keeps SQL over events local, under a local- id, with no AWS call", async () => {
    const mcp = await connect();
    const local = await call(mcp, "lake_query", { sql: "SELECT 41 + 1 AS n" });
    expect(local.answer.query_id).toMatch(/^local-/);
    expect(local.answer.query_result_rows).toEqual([{ n: 42 }]);
    const status = await call(mcp, "get_query_status", { query_id: local.answer.query_id });
    expect(status.answer).toMatchObject({ query_status: "FINISHED", query_statistics: { results_count: 1 } });
    const gone = await call(mcp, "get_query_results", { query_id: "local-no-such-query" });
    expect([gone.isError, gone.text]).toEqual([true, expect.stringContaining('no query "local-no-such-query"')]);
    expect(cloudtrail.calls()).toHaveLength(0);
  });

  it("lists the event data stores from ListEventDataStores, the default one marked", async () => {
    cloudtrail.on(ListEventDataStoresCommand).resolves({
      EventDataStores: [
        {
          EventDataStoreArn: ARN,
          Name: "management-events",
          Status: "ENABLED",
          RetentionPeriod: 2557,
          MultiRegionEnabled: true,
          OrganizationEnabled: false,
          TerminationProtectionEnabled: true,
          CreatedTimestamp: new Date("2024-04-01T00:00:00Z"),
          UpdatedTimestamp: new Date("2025-04-01T00:00:00Z"),
        },
        {
          EventDataStoreArn:
            "arn:aws:cloudtrail:ap-northeast-1:123456789012:eventdatastore/9a0e7f1c-2b3d-4e5f-8a9b-0c1d2e3f4a5b",
          Name: "s3-data-events",
          Status: "STOPPED_INGESTION",
          RetentionPeriod: 90,
          MultiRegionEnabled: false,
        },
      ],
    });
    const mcp = await connect();
    const { answer, bytes, isError } = await call(mcp, "list_event_data_stores", {});
    expect([isError, bytes <= DEFAULT_ANSWER_BYTES]).toEqual([false, true]);
    expect(answer).toMatchObject({
      source: "cloudtrail_lake",
      region: "ap-northeast-1",
      default_event_data_store: STORE,
    });
    expect(answer.event_data_stores).toEqual([
      {
        id: STORE,
        name: "management-events",
        status: "ENABLED",
        default: true,
        arn: ARN,
        retention_period_days: 2557,
        multi_region_enabled: true,
        organization_enabled: false,
        termination_protection_enabled: true,
        created_timestamp: "2024-04-01T00:00:00.000Z",
        updated_timestamp: "2025-04-01T00:00:00.000Z",
      },
      {
        id: "9a0e7f1c-2b3d-4e5f-8a9b-0c1d2e3f4a5b",
        name: "s3-data-events",
        status: "STOPPED_INGESTION",
        arn: "arn:aws:cloudtrail:ap-northeast-1:123456789012:eventdatastore/9a0e7f1c-2b3d-4e5f-8a9b-0c1d2e3f4a5b",
        retention_period_days: 90,
        multi_region_enabled: false,
      },
    ]);
    const brief = await call(mcp, "list_event_data_stores", { include_details: false });
    expect(brief.answer.event_data_stores).toEqual([
      { id: STORE, name: "management-events", status: "ENABLED", default: true },
      { id: "9a0e7f1c-2b3d-4e5f-8a9b-0c1d2e3f4a5b", name: "s3-data-events", status: "STOPPED_INGESTION" },
    ]);
    expect(cloudtrail.commandCalls(ListEventDataStoresCommand).map((c) => c.args[0].input)).toEqual([{}, {}]);
    const tools = await mcp.listTools();
    const lakeQuery = tools.tools.find((t) => t.name === "lake_query");
    expect(lakeQuery?.description).toContain(`FROM ${STORE}`);
    expect(lakeQuery?.annotations).toMatchObject({ readOnlyHint: true, openWorldHint: true });
  });
});
