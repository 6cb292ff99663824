/**
 * Pins the shared query service (CLI and API), with the real DuckDB engine and local store:
 * - a read-only query returns its rows, a query id and the key of its CSV in the store
 * - the CSV lands under athena-query-results/<yyyy>/<mm>/<dd>/<queryId>.csv (UTC date), with
 *   formulas neutralised and the same rows the caller got; an empty result keeps its header
 * - an engine's own query id (Athena's) is kept
 * - a refused query (not read-only) never reaches the engine and writes nothing
 * - the CSV keeps negative numbers as numbers, writes structs and lists as JSON, and neutralises
 *   full-width and zero-width-prefixed formulas (real DuckDB values)
 * - the byte cap (config.results.maxBytes): a CSV of exactly the cap is stored, one byte more is 400
 *   with a hint to narrow the query, nothing is stored, and serialising stops early (rows not all read)
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { DataDir } from "../local/data-dir.js";
import { LocalObjectStore } from "../store/local-store.js";
import { tempDir } from "../testing/fixtures.js";
import { writeTestLake } from "../testing/test-lake.js";
import { DuckDbQueryEngine } from "./duckdb-engine.js";
import type { QueryEngine } from "./query-engine.js";
import { resultKeyFor, runQuery } from "./query-service.js";

let engine: DuckDbQueryEngine;
let store: LocalObjectStore;
const now = () => new Date("2024-03-09T23:30:00Z");

beforeAll(async () => {
  const dataDir = new DataDir(tempDir("catdata-service-"));
  engine = await DuckDbQueryEngine.open((await writeTestLake(dataDir)).lake);
  store = new LocalObjectStore(dataDir.store, "cat-data-bucket", randomBytes(32));
});
afterAll(() => engine.close());

describe("runQuery", () => {
  it("returns the rows and writes them as a formula-safe CSV under athena-query-results/", async () => {
    const run = await runQuery(
      { query: engine, store, now, newQueryId: () => "q-1" },
      "SELECT animal_id, note FROM intakes ORDER BY animal_id",
      { maxRows: 2 },
    );
    expect(run).toMatchObject({ queryId: "q-1", columns: ["animal_id", "note"], truncated: true });
    expect(run.rows).toEqual([
      { animal_id: "A1", note: "ok" },
      { animal_id: "A2", note: '=HYPERLINK("http://x")' },
    ]);
    expect(run.resultKey).toBe("athena-query-results/2024/03/09/q-1.csv");
    const body = (await store.get(run.resultKey)).toString();
    expect(body).toBe(`animal_id,note\r\nA1,ok\r\nA2,"'=HYPERLINK(""http://x"")"\r\n`);
  });

  it("keeps the header of an empty result and an engine's own query id", async () => {
    const run = await runQuery({ query: engine, store, now }, "SELECT animal_id FROM intakes WHERE false");
    expect(run.queryId).toMatch(/^[0-9a-f-]{36}$/);
    expect((await store.get(run.resultKey)).toString()).toBe("animal_id\r\n");
    const athenaLike: QueryEngine = {
      kind: "athena",
      tables: async () => [],
      query: async () => ({ columns: ["n"], rows: [{ n: 1 }], truncated: false, queryId: "exec-42" }),
      close: async () => {},
    };
    const r = await runQuery({ query: athenaLike, store, now }, "SELECT 1 AS n");
    expect(r.resultKey).toBe(resultKeyFor("exec-42", now()));
  });

  it("refuses a query that is not read-only before the engine sees it", async () => {
    const spy = vi.spyOn(engine, "query");
    const before = await store.list("athena-query-results/");
    await expect(runQuery({ query: engine, store, now }, "COPY intakes TO '/tmp/x.csv'")).rejects.toThrow(/found COPY/);
    expect(spy).not.toHaveBeenCalled();
    expect(await store.list("athena-query-results/")).toHaveLength(before.length);
    spy.mockRestore();
  });

  it("keeps negative numbers, writes structs and lists as JSON, and neutralises disguised formulas", async () => {
    const run = await runQuery(
      { query: engine, store, now },
      "SELECT -5 AS n, '-12' AS s, {'a': 1, 'b': 'x'} AS st, [1, -2] AS l, '＝1+1' AS fw, chr(8203) || '=1' AS zw",
    );
    expect((await store.get(run.resultKey)).toString()).toBe(
      `n,s,st,l,fw,zw\r\n-5,-12,"{""a"":1,""b"":""x""}","[1,-2]",'＝1+1,'\u200b=1\r\n`,
    );
  });

  it("refuses a result over the byte cap with 400 while writing it, and stores nothing", async () => {
    const config = { results: { maxBytes: 1024 } };
    // "t\r\n" + 1019 x's + "\r\n" is exactly 1024 bytes.
    const exact = await runQuery({ query: engine, store, now, config }, "SELECT repeat('x', 1019) AS t");
    expect((await store.get(exact.resultKey)).length).toBe(1024);
    const before = await store.list("athena-query-results/");
    const over = runQuery({ query: engine, store, now, config }, "SELECT repeat('x', 1020) AS t");
    await expect(over).rejects.toMatchObject({
      code: "BAD_INPUT",
      status: 400,
      message: "the result is larger than 1,024 bytes",
      hint: expect.stringMatching(/LIMIT.*WHERE filter.*fewer columns/),
    });
    expect(await store.list("athena-query-results/")).toHaveLength(before.length);

    let read = 0;
    const rows = Array.from({ length: 10_000 }, () => ({
      get t() {
        read += 1;
        return "y".repeat(100);
      },
    }));
    const big: QueryEngine = {
      kind: "athena",
      tables: async () => [],
      query: async () => ({ columns: ["t"], rows, truncated: false }),
      close: async () => {},
    };
    await expect(runQuery({ query: big, store, now, config }, "SELECT t FROM x")).rejects.toMatchObject({
      code: "BAD_INPUT",
    });
    expect(read).toBeLessThan(20);
  });
});
