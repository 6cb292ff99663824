/**
 * Pins the shared query service (CLI and API), with the real DuckDB engine and local store:
 * - a read-only query returns its rows, a query id and the key of its CSV in the store
 * - the CSV lands under athena-query-results/<yyyy>/<mm>/<dd>/<queryId>.csv (UTC date), with
 *   formulas neutralised and the same rows the caller got; an empty result keeps its header
 * - an engine's own query id (Athena's) is kept
 * - a refused query (not read-only) never reaches the engine and writes nothing
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
});
