/**
 * Pins the lake_query result store: runs are kept under fresh ids, forgotten QUERY_RESULTS_TTL_MS
 * after they finished (injected clock), and at most QUERY_RESULTS_MAX_QUERIES are kept — the
 * oldest goes first; every id starts with LOCAL_QUERY_ID_PREFIX (never a CloudTrail Lake query id).
 */
import { describe, expect, it } from "vitest";
import {
  isLocalQueryId,
  LOCAL_QUERY_ID_PREFIX,
  QUERY_RESULTS_MAX_QUERIES,
  QUERY_RESULTS_TTL_MS,
  QueryResults,
} from "./query-results.js";

const run = (sql: string) => ({
  sql,
  status: "FINISHED" as const,
  columns: ["n"],
  rows: [{ n: 1 }],
  truncated: false,
  elapsedMs: 3,
});

describe("QueryResults", () => {
  it("keeps a run under a new id until its time to live is over", () => {
    let now = 1_000;
    let id = 0;
    const store = new QueryResults({ now: () => now, newId: () => `q${++id}` });
    const a = store.add(run("SELECT 1"));
    expect(a).toMatchObject({ queryId: "local-q1", finishedAt: 1_000, sql: "SELECT 1" });
    now += QUERY_RESULTS_TTL_MS - 1;
    expect(store.get("local-q1")?.sql).toBe("SELECT 1");
    now += 1;
    expect(store.get("local-q1")).toBeUndefined();
    expect(store.size).toBe(0);
  });

  it("holds at most QUERY_RESULTS_MAX_QUERIES runs, dropping the oldest", () => {
    let id = 0;
    const store = new QueryResults({ newId: () => `q${++id}` });
    for (let i = 0; i < QUERY_RESULTS_MAX_QUERIES + 3; i++) store.add(run(`SELECT ${i}`));
    expect(store.size).toBe(QUERY_RESULTS_MAX_QUERIES);
    expect(["q1", "q2", "q3"].map((q) => store.get(`local-${q}`))).toEqual([undefined, undefined, undefined]);
    expect(store.get("local-q4")?.sql).toBe("SELECT 3");
    expect(store.get(`local-q${QUERY_RESULTS_MAX_QUERIES + 3}`)).toBeDefined();
  });

  it("prefixes every id so a CloudTrail Lake query id (a bare UUID) never names a local run", () => {
    const store = new QueryResults();
    const a = store.add(run("SELECT 1"));
    expect(LOCAL_QUERY_ID_PREFIX).toBe("local-");
    expect(a.queryId).toMatch(/^local-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(isLocalQueryId(a.queryId)).toBe(true);
    expect(isLocalQueryId(a.queryId.slice(LOCAL_QUERY_ID_PREFIX.length))).toBe(false);
    expect(store.get(a.queryId.slice(LOCAL_QUERY_ID_PREFIX.length))).toBeUndefined();
  });
});
