/**
 * Pins the Athena engine by the exact requests it sends and its handling of realistic responses
 * (aws-sdk-client-mock; Athena cannot run here):
 * - StartQueryExecution: QueryString, WorkGroup, catalog + database, result location
 *   s3://<bucket>/athena-query-results/ with SSE_S3, positional ExecutionParameters as literals
 * - GetQueryExecution is polled with growing delays until SUCCEEDED; FAILED and CANCELLED become
 *   clear errors (user errors as BAD_INPUT); at the timeout StopQueryExecution is sent
 * - GetQueryResults pages with NextToken, MaxResults bounded by the row limit, the header row
 *   dropped, values typed from the result-set metadata, `truncated` set when rows remain
 * - tables() pages ListTableMetadata; SDK errors map to CatdataError codes
 */
import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  type GetQueryResultsOutput,
  ListTableMetadataCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
} from "@aws-sdk/client-athena";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { AthenaQueryEngine } from "./athena-engine.js";

const client = new AthenaClient({ region: "ap-northeast-1" });
const athena = mockClient(client);
let clock = 0;
let sleeps: number[] = [];

function engine() {
  return new AthenaQueryEngine({
    workgroup: "catdata",
    outputBucket: "cat-data-bucket",
    client,
    now: () => clock,
    sleep: async (ms) => {
      sleeps.push(ms);
      clock += ms;
    },
  });
}

const columns = [
  { Name: "municipality", Type: "varchar" },
  { Name: "n", Type: "bigint" },
  { Name: "rate", Type: "double" },
  { Name: "tnr", Type: "boolean" },
];
const row = (...values: (string | undefined)[]) => ({ Data: values.map((VarCharValue) => ({ VarCharValue })) });
const page = (rows: ReturnType<typeof row>[], NextToken?: string): GetQueryResultsOutput => ({
  ResultSet: { ResultSetMetadata: { ColumnInfo: columns }, Rows: rows },
  ...(NextToken ? { NextToken } : {}),
});

beforeEach(() => {
  athena.reset();
  clock = 0;
  sleeps = [];
  athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: "exec-1" });
});

describe("AthenaQueryEngine", () => {
  it("starts the query with the configured workgroup, catalog, result location and parameters", async () => {
    athena.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: "SUCCEEDED" } } });
    athena.on(GetQueryResultsCommand).resolves(page([row("municipality", "n", "rate", "tnr")]));
    const result = await engine().query("SELECT * FROM intakes WHERE municipality = ? AND n > ?", {
      params: ["131041", 5],
    });
    expect(athena.commandCalls(StartQueryExecutionCommand)[0]?.args[0].input).toEqual({
      QueryString: "SELECT * FROM intakes WHERE municipality = ? AND n > ?",
      WorkGroup: "catdata",
      QueryExecutionContext: { Database: "catdata", Catalog: "AwsDataCatalog" },
      ResultConfiguration: {
        OutputLocation: "s3://cat-data-bucket/athena-query-results/",
        EncryptionConfiguration: { EncryptionOption: "SSE_S3" },
      },
      ExecutionParameters: ["'131041'", "5"],
    });
    expect(result).toEqual({
      columns: ["municipality", "n", "rate", "tnr"],
      rows: [],
      truncated: false,
      queryId: "exec-1",
    });
    await expect(engine().query("SELECT 1", { params: { a: 1 } })).rejects.toThrow(/positional parameters only/);
  });

  it("polls with backoff, then pages the results up to the row limit with typed values", async () => {
    athena
      .on(GetQueryExecutionCommand)
      .resolvesOnce({ QueryExecution: { Status: { State: "QUEUED" } } })
      .resolvesOnce({ QueryExecution: { Status: { State: "RUNNING" } } })
      .resolves({ QueryExecution: { Status: { State: "SUCCEEDED" } } });
    athena
      .on(GetQueryResultsCommand, { NextToken: undefined })
      .resolves(page([row("municipality", "n", "rate", "tnr"), row("131041", "12", "0.75", "true")], "t2"));
    athena
      .on(GetQueryResultsCommand, { NextToken: "t2" })
      .resolves(page([row("272051", "9007199254740993", undefined, "false"), row("x", "1", "1", "true")], "t3"));
    const result = await engine().query("SELECT …", { maxRows: 2 });
    expect(sleeps).toEqual([100, 200]);
    expect(result.rows).toEqual([
      { municipality: "131041", n: 12, rate: 0.75, tnr: true },
      { municipality: "272051", n: "9007199254740993", rate: null, tnr: false },
    ]);
    expect(result.truncated).toBe(true);
    const calls = athena.commandCalls(GetQueryResultsCommand).map((c) => c.args[0].input);
    expect(calls).toEqual([
      { QueryExecutionId: "exec-1", MaxResults: 4, NextToken: undefined },
      { QueryExecutionId: "exec-1", MaxResults: 2, NextToken: "t2" },
    ]);
  });

  it("turns FAILED and CANCELLED into clear errors", async () => {
    athena.on(GetQueryExecutionCommand).resolves({
      QueryExecution: {
        Status: {
          State: "FAILED",
          AthenaError: { ErrorCategory: 2, ErrorMessage: "COLUMN_NOT_FOUND: line 1:8: Column 'x' cannot be resolved" },
        },
      },
    });
    await expect(engine().query("SELECT x FROM intakes")).rejects.toMatchObject({
      code: "BAD_INPUT",
      message: "Athena query exec-1 failed: COLUMN_NOT_FOUND: line 1:8: Column 'x' cannot be resolved",
    });
    athena.on(GetQueryExecutionCommand).resolves({
      QueryExecution: { Status: { State: "CANCELLED", StateChangeReason: "Query cancelled by user" } },
    });
    await expect(engine().query("SELECT 1")).rejects.toMatchObject({ code: "UNAVAILABLE" });
  });

  it("stops the query at its timeout", async () => {
    athena.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: "RUNNING" } } });
    athena.on(StopQueryExecutionCommand).resolves({});
    await expect(engine().query("SELECT 1", { timeoutMs: 5_000 })).rejects.toThrow(/stopped after 5 s/);
    expect(athena.commandCalls(StopQueryExecutionCommand)[0]?.args[0].input).toEqual({ QueryExecutionId: "exec-1" });
    expect(sleeps).toEqual([100, 200, 400, 800, 1600]);
    expect(athena.commandCalls(GetQueryResultsCommand)).toHaveLength(0);
  });

  it("lists the catalog's tables across pages and maps SDK errors", async () => {
    athena
      .on(ListTableMetadataCommand, { NextToken: undefined })
      .resolves({ TableMetadataList: [{ Name: "outcomes" }], NextToken: "n" });
    athena.on(ListTableMetadataCommand, { NextToken: "n" }).resolves({ TableMetadataList: [{ Name: "intakes" }] });
    expect(await engine().tables()).toEqual(["intakes", "outcomes"]);
    expect(athena.commandCalls(ListTableMetadataCommand)[0]?.args[0].input).toEqual({
      CatalogName: "AwsDataCatalog",
      DatabaseName: "catdata",
      NextToken: undefined,
    });
    const denied = Object.assign(new Error("User is not authorized"), { name: "AccessDeniedException" });
    athena.on(StartQueryExecutionCommand).rejects(denied);
    await expect(engine().query("SELECT 1")).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});
