/**
 * Pins SQL over the trail lake for the MCP tools: `events` holds the loaded events once each (a file
 * delivered twice is not counted twice), an empty lake is an empty table of the same columns, the
 * database is locked down beneath the read-only check (even our own SQL cannot read another file),
 * results are cut at maxRows, and a long query is stopped at its timeout.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { tempTrailLake } from "../testing/trail.js";
import { TRAIL_COLUMNS } from "../trail/lake/lake-schema.js";
import { loadTrailFolder } from "../trail/lake/load-trail.js";
import { runReadOnlyTrailSql, runTrailSql, TRAIL_SQL_MAX_ROWS } from "./trail-sql.js";

const records = Array.from({ length: 30 }, (_, i) => ({
  eventVersion: "1.08",
  eventID: `ev-${i}`,
  eventTime: `2024-05-01T10:00:${String(i).padStart(2, "0")}Z`,
  eventSource: "s3.amazonaws.com",
  eventName: i % 3 === 0 ? "PutObject" : "GetObject",
  userIdentity: { type: "IAMUser", userName: "alice", accountId: "111122223333" },
}));

describe("runTrailSql", () => {
  const lake = tempTrailLake("catdata-trail-sql-");
  beforeAll(async () => {
    const folder = mkdtempSync(path.join(os.tmpdir(), "catdata-trail-sql-src-"));
    writeFileSync(path.join(folder, "a.json"), JSON.stringify({ Records: records }));
    writeFileSync(path.join(folder, "again.json"), JSON.stringify({ Records: records.slice(0, 5) }));
    await loadTrailFolder(lake, folder);
  });

  it("counts each event once, whatever file delivered it", async () => {
    const { rows, columns } = await runTrailSql(
      lake,
      "SELECT event_name, count(*)::INTEGER AS n FROM events GROUP BY 1 ORDER BY 1",
    );
    expect(columns).toEqual(["event_name", "n"]);
    expect(rows).toEqual([
      { event_name: "GetObject", n: 20 },
      { event_name: "PutObject", n: 10 },
    ]);
  });

  it("answers an empty lake from an empty table with the lake's columns", async () => {
    const empty = tempTrailLake("catdata-trail-sql-empty-");
    const { rows } = await runTrailSql(empty, "SELECT count(*)::INTEGER AS n FROM events");
    expect(rows).toEqual([{ n: 0 }]);
    const { columns } = await runTrailSql(empty, "SELECT * FROM events");
    expect(columns).toEqual(TRAIL_COLUMNS.map((c) => c.name));
  });

  it("cannot read any other file, even without the read-only check", async () => {
    await expect(runTrailSql(lake, "SELECT * FROM read_text('/etc/passwd')")).rejects.toThrow(/the query failed/);
    await expect(runReadOnlyTrailSql(lake, "SELECT * FROM read_text('/etc/passwd')")).rejects.toThrow(
      /lake_query refused the SQL: the table function read_text\(\) is not allowed/,
    );
  });

  it("cuts results at maxRows and stops a query at its timeout", async () => {
    const cut = await runTrailSql(lake, "SELECT event_id FROM events", { maxRows: 7 });
    expect([cut.rows.length, cut.truncated]).toEqual([7, true]);
    const byDefault = await runTrailSql(lake, "SELECT range FROM range(5000)");
    expect([byDefault.rows.length, byDefault.truncated]).toEqual([TRAIL_SQL_MAX_ROWS, true]);
    const whole = await runTrailSql(lake, "SELECT event_id FROM events", { maxRows: 30 });
    expect([whole.rows.length, whole.truncated]).toEqual([30, false]);
    await expect(
      runTrailSql(lake, "SELECT sum(a.range * b.range) FROM range(100000000) a, range(1000) b", { timeoutMs: 200 }),
    ).rejects.toThrow(/stopped after 0.2 s/);
  });
});
