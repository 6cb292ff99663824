/**
 * Pins the CloudTrail Lake-style tools over the trail lake, through the SDK's own client:
 * - lake_query runs one read-only SELECT over `events` on flaws2 and answers the real counts, with a
 *   query_id; get_query_status reports it FINISHED; get_query_results pages every row with
 *   next_token, each page within DEFAULT_ANSWER_BYTES (also for whole raw records)
 * - anything but one SELECT is refused with the reason; SQL naming a CloudTrail Lake event data
 *   store, with CloudTrail Lake off, says how to turn it on (CATDATA_CLOUDTRAIL_LAKE=on); unknown arguments name the allowed ones;
 *   unknown query ids and foreign tokens are tool errors
 * - list_event_data_stores says plainly that the source is local, how to turn CloudTrail Lake on, and lists the columns
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { emptyBehaviourLake, type TestBehaviourLake } from "../../testing/behaviour.js";
import { hasSamples, sample } from "../../testing/fixtures.js";
import { McpTestClients } from "../../testing/mcp-client.js";
import { loadTrailFolder } from "../../trail/lake/load-trail.js";
import { QueryResults } from "../query-results.js";
import { DEFAULT_ANSWER_BYTES } from "./answer-budget.js";
import { LAKE_QUERY_MAX_STORED_BYTES } from "./lake-query.js";
import { QUERY_CELL_MAX_CHARS, QUERY_PAGE_MAX_RESULTS } from "./query-page.js";

const mcp = new McpTestClients();
afterEach(async () => {
  await mcp.closeAll();
});

async function connect(lake: TestBehaviourLake, queries = new QueryResults()): Promise<Client> {
  return mcp.connect({
    behaviour: lake.service(),
    trail: lake.trail,
    version: "0.0.0-test",
    region: "us-east-1",
    queries,
  });
}

interface QueryAnswer {
  query_id: string;
  query_status: string;
  query_statistics: { results_count: number };
  columns: string[];
  query_result_rows: Record<string, unknown>[];
  next_token?: string;
  note?: string;
}

async function call(client: Client, name: string, args: Record<string, unknown>) {
  const result = await client.callTool({ name, arguments: args });
  const text = (result.content as { type: string; text: string }[])[0]?.text ?? "";
  return {
    isError: result.isError === true,
    text,
    bytes: Buffer.byteLength(text),
    answer: result.structuredContent as QueryAnswer,
  };
}

function recordsOf(folder: string): { eventID: string; eventName: string }[] {
  const out: ReturnType<typeof recordsOf> = [];
  for (const name of readdirSync(folder)) {
    const file = path.join(folder, name);
    if (statSync(file).isDirectory()) out.push(...recordsOf(file));
    else if (name.endsWith(".json.gz")) out.push(...JSON.parse(gunzipSync(readFileSync(file)).toString()).Records);
  }
  return out;
}

describe("lake_query and list_event_data_stores on any lake", () => {
  it("refuses anything but one SELECT, with the reason", async () => {
    const client = await connect(await emptyBehaviourLake());
    const cases: [string, RegExp][] = [
      ["DELETE FROM events", /only a SELECT .* is allowed; found DELETE/],
      ["SELECT 1; SELECT 2", /only one statement is allowed/],
      ["CREATE TABLE x AS SELECT 1", /only a SELECT .* is allowed/],
      ["SELECT * FROM read_parquet('/etc/passwd')", /table function read_parquet\(\) is not allowed/],
      ["SELECT * FROM '/etc/passwd'", /reading a file or URL directly/],
      ["SELEC 1", /does not parse/],
      ["SELECT nope FROM events", /the query failed: Binder Error/],
    ];
    for (const [sql, reason] of cases) {
      const { isError, text } = await call(client, "lake_query", { sql });
      expect([sql, isError, text]).toEqual([sql, true, expect.stringMatching(reason)]);
    }
  });

  it("says a CloudTrail Lake event data store needs CloudTrail Lake turned on", async () => {
    const client = await connect(await emptyBehaviourLake());
    const { isError, text } = await call(client, "lake_query", {
      sql: "SELECT eventname FROM 0233062b-51c6-4d18-8dec-a8c90da840d9 WHERE eventname = 'ConsoleLogin'",
    });
    expect(isError).toBe(true);
    expect(text).toMatch(
      /event data store, and CloudTrail Lake is off on this server.*CATDATA_CLOUDTRAIL_LAKE=on.*FROM events/,
    );
    expect(text).not.toContain("no AWS credentials");
  });

  it("refuses unknown arguments naming the allowed ones, and unknown query ids", async () => {
    const client = await connect(await emptyBehaviourLake());
    const unknown = await call(client, "lake_query", { query: "SELECT 1" });
    expect(unknown.text).toContain(
      'lake_query does not take "query"; its arguments are sql, wait_for_completion, max_results, region',
    );
    const missing = await call(client, "get_query_results", { query_id: "no-such-query" });
    expect([missing.isError, missing.text]).toEqual([true, expect.stringContaining('no query "no-such-query"')]);
    const status = await call(client, "get_query_status", { query_id: "no-such-query", region: "ap-south-1" });
    expect([status.isError, status.text]).toEqual([true, expect.stringContaining("configured for us-east-1")]);
  });

  it("keeps at most LAKE_QUERY_MAX_STORED_BYTES of rows and says the result was cut", async () => {
    const client = await connect(await emptyBehaviourLake());
    const { answer, bytes } = await call(client, "lake_query", {
      sql: "SELECT range::INTEGER AS i, repeat('x', 5000) AS pad FROM range(1000)",
    });
    expect(bytes).toBeLessThanOrEqual(DEFAULT_ANSWER_BYTES);
    const kept = answer.query_statistics.results_count;
    const bytesOf = (n: number) =>
      Array.from({ length: n }, (_, i) => Buffer.byteLength(JSON.stringify({ i, pad: "x".repeat(5000) })) + 1).reduce(
        (a, b) => a + b,
        0,
      );
    expect(bytesOf(kept)).toBeLessThanOrEqual(LAKE_QUERY_MAX_STORED_BYTES);
    expect(bytesOf(kept + 1)).toBeGreaterThan(LAKE_QUERY_MAX_STORED_BYTES);
    expect(answer.query_statistics).toMatchObject({ truncated: true });
    const rows = await call(client, "get_query_results", { query_id: answer.query_id, max_results: 1 });
    expect(rows.answer.query_result_rows).toEqual([{ i: 0, pad: "x".repeat(5000) }]);
    expect(rows.answer.note).toMatch(/the result was cut at \d+ rows/);
  });

  it("shortens cells only when one row alone is over the budget, and bounds max_results", async () => {
    const client = await connect(await emptyBehaviourLake());
    const { answer, bytes } = await call(client, "lake_query", { sql: "SELECT 7 AS n, repeat('y', 20000) AS big" });
    expect(bytes).toBeLessThanOrEqual(DEFAULT_ANSWER_BYTES);
    expect(answer.query_result_rows).toEqual([{ n: 7, big: `${"y".repeat(QUERY_CELL_MAX_CHARS)}…(20000 characters)` }]);
    expect(answer.note).toMatch(/long values cut to 512 characters/);
    const tooMany = await call(client, "get_query_results", {
      query_id: answer.query_id,
      max_results: QUERY_PAGE_MAX_RESULTS + 1,
    });
    expect(tooMany.isError).toBe(true);
  });

  it("lists no event data stores and says the events are local, with the table's columns", async () => {
    const lake = await emptyBehaviourLake();
    const client = await connect(lake);
    const { answer, isError, bytes } = await call(client, "list_event_data_stores", { include_details: true });
    const stores = answer as unknown as {
      event_data_stores: unknown[];
      source: string;
      message: string;
      columns: { name: string }[];
    };
    expect(isError).toBe(false);
    expect(bytes).toBeLessThanOrEqual(DEFAULT_ANSWER_BYTES);
    expect(stores.event_data_stores).toEqual([]);
    expect(stores.source).toBe("local");
    expect(stores.message).toMatch(
      /CloudTrail Lake is off on this server.*CATDATA_CLOUDTRAIL_LAKE=on.*lake_query FROM events/,
    );
    expect(stores.message).toContain(lake.trail.location);
    expect(stores.columns.map((c) => c.name)).toEqual(
      expect.arrayContaining(["event_time", "event_name", "principal", "raw"]),
    );
  });
});

describe.skipIf(!hasSamples)("lake_query on flaws2", () => {
  let lake: TestBehaviourLake;
  const records = hasSamples ? recordsOf(sample("cloudtrail", "flaws2")) : [];
  beforeAll(async () => {
    lake = await emptyBehaviourLake();
    await loadTrailFolder(lake.trail, sample("cloudtrail", "flaws2"));
  });

  it("answers the real counts with a query id its status and results tools know", async () => {
    const queries = new QueryResults();
    const client = await connect(lake, queries);
    const { answer, bytes, isError } = await call(client, "lake_query", {
      sql: "SELECT event_name, count(*)::INTEGER AS n FROM events GROUP BY 1 ORDER BY n DESC, event_name",
    });
    expect(isError).toBe(false);
    expect(bytes).toBeLessThanOrEqual(DEFAULT_ANSWER_BYTES);
    const expected = new Map<string, number>();
    for (const r of records) expected.set(r.eventName, (expected.get(r.eventName) ?? 0) + 1);
    expect(new Map(answer.query_result_rows.map((r) => [r.event_name as string, r.n as number]))).toEqual(expected);
    expect(answer.query_result_rows[0]).toEqual({ event_name: "GetObject", n: expected.get("GetObject") });
    expect(answer).toMatchObject({ query_status: "FINISHED", columns: ["event_name", "n"] });
    expect(answer.next_token).toBeUndefined();
    // Another server over the same store (HTTP makes one per request) knows the query id.
    const other = await connect(lake, queries);
    const status = await call(other, "get_query_status", { query_id: answer.query_id });
    expect(status.answer).toMatchObject({
      query_id: answer.query_id,
      query_status: "FINISHED",
      query_statistics: { results_count: expected.size },
    });
  });

  it("pages whole raw records through get_query_results, each page within the budget", async () => {
    const client = await connect(lake);
    const first = await call(client, "lake_query", {
      sql: "SELECT event_id, raw FROM events ORDER BY event_time, event_id",
    });
    expect(first.bytes).toBeLessThanOrEqual(DEFAULT_ANSWER_BYTES);
    expect(first.answer.note).toMatch(/page cut to \d+ rows/);
    const ids = first.answer.query_result_rows.map((r) => r.event_id);
    let token = first.answer.next_token;
    while (token) {
      const page = await call(client, "get_query_results", { query_id: first.answer.query_id, next_token: token });
      expect(page.bytes).toBeLessThanOrEqual(DEFAULT_ANSWER_BYTES);
      ids.push(...page.answer.query_result_rows.map((r) => r.event_id));
      token = page.answer.next_token;
    }
    expect(ids).toHaveLength(37);
    expect(new Set(ids)).toEqual(new Set(records.map((r) => r.eventID)));
  });

  it("answers the status only when not waiting, and pages by max_results", async () => {
    const client = await connect(lake);
    const started = await call(client, "lake_query", {
      sql: "SELECT event_id FROM events ORDER BY event_id",
      wait_for_completion: false,
    });
    expect(started.answer.query_result_rows).toBeUndefined();
    expect(started.answer.query_status).toBe("FINISHED");
    const ids: unknown[] = [];
    let next_token: string | undefined;
    do {
      const page = await call(client, "get_query_results", {
        query_id: started.answer.query_id,
        max_results: 10,
        ...(next_token ? { next_token } : {}),
      });
      expect(page.answer.query_result_rows.length).toBeLessThanOrEqual(10);
      ids.push(...page.answer.query_result_rows.map((r) => r.event_id));
      next_token = page.answer.next_token;
    } while (next_token);
    expect(ids).toEqual(records.map((r) => r.eventID).sort());
    const another = await call(client, "lake_query", { sql: "SELECT 1 AS one" });
    const foreign = await call(client, "get_query_results", {
      query_id: another.answer.query_id,
      next_token: (await call(client, "get_query_results", { query_id: started.answer.query_id, max_results: 1 }))
        .answer.next_token,
    });
    expect([foreign.isError, foreign.text]).toEqual([true, expect.stringContaining("belongs to another query")]);
  });
});
