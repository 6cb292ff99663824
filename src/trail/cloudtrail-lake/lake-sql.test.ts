/**
 * Pins the CloudTrail Lake SQL checks, which never parse the SQL:
 * - the event data stores named after FROM / JOIN (ids and ARNs, quoted or not), each once; none in
 *   literals, comments, or SQL over the local table `events`
 * - one SELECT (or WITH … SELECT) passes; more statements, other statements, a write keyword outside
 *   literals, and SQL longer than LAKE_SQL_MAX_CHARS are refused with the reason and a hint
 */
import { describe, expect, it } from "vitest";
import { assertReadOnlyLakeSql, LAKE_SQL_MAX_CHARS, namedEventDataStores } from "./lake-sql.js";

const ID = "0233062b-51c6-4d18-8dec-a8c90da840d9";
const OTHER = "9a0e7f1c-2b3d-4e5f-8a9b-0c1d2e3f4a5b";
const ARN = `arn:aws:cloudtrail:ap-northeast-1:123456789012:eventdatastore/${OTHER}`;

describe("namedEventDataStores", () => {
  it("finds ids and ARNs after FROM and JOIN, each once", () => {
    expect(namedEventDataStores(`SELECT eventName FROM ${ID} WHERE eventName = 'ConsoleLogin'`)).toEqual([ID]);
    expect(
      namedEventDataStores(
        `SELECT a.eventName FROM "${ID}" a JOIN ${ARN} b ON a.eventID = b.eventID JOIN ${ID} c ON 1=1`,
      ),
    ).toEqual([ID, ARN]);
  });

  it("ignores literals, comments and the local table", () => {
    expect(namedEventDataStores(`SELECT 'from ${ID}' AS x FROM events -- from ${ID}`)).toEqual([]);
    expect(namedEventDataStores(`SELECT 1 /* FROM ${ID} */`)).toEqual([]);
    expect(namedEventDataStores("SELECT event_name, count(*) FROM events GROUP BY 1")).toEqual([]);
  });
});

describe("assertReadOnlyLakeSql", () => {
  it("passes one SELECT, with a trailing semicolon, and WITH … SELECT", () => {
    for (const sql of [
      `SELECT eventName, count(*) AS n FROM ${ID} WHERE eventName = 'DeleteBucket' GROUP BY eventName;`,
      `WITH x AS (SELECT eventName FROM ${ID}) SELECT * FROM x`,
      `(SELECT eventTime FROM ${ID})`,
      `SELECT eventName FROM ${ID} WHERE eventName IN ('CreateUser', 'DropTable; DROP')  -- drop nothing`,
    ]) {
      expect(() => assertReadOnlyLakeSql(sql), sql).not.toThrow();
    }
  });

  it("refuses everything else with the reason", () => {
    const cases: [string, RegExp][] = [
      [`SELECT 1 FROM ${ID}; SELECT 2 FROM ${ID}`, /only one statement is allowed/],
      [`DELETE FROM ${ID}`, /only a SELECT is allowed; found DELETE/],
      ["", /only a SELECT is allowed; found nothing/],
      [`WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x`, /INSERT is not allowed/],
      [`SELECT * FROM ${ID} WHERE 1=1 UNION SELECT * FROM (DROP TABLE t)`, /DROP is not allowed/],
      [`SELECT '${"x".repeat(LAKE_SQL_MAX_CHARS)}'`, /longer than 20000 characters/],
    ];
    for (const [sql, reason] of cases) {
      expect(() => assertReadOnlyLakeSql(sql), sql.slice(0, 60)).toThrow(reason);
    }
    expect(() => assertReadOnlyLakeSql(`DELETE FROM ${ID}`)).toThrow(
      expect.objectContaining({ code: "BAD_INPUT", hint: expect.stringContaining("list_event_data_stores") }),
    );
  });
});
