/**
 * Pins the read-only check on user SQL (DuckDB's parser decides, not regexes):
 * - one SELECT / WITH … SELECT / FROM-first / VALUES statement passes, also with $1 parameters,
 *   a `;` inside a string or comment, or one trailing `;`
 * - any other statement is refused naming what was found (INSERT, COPY, ATTACH, PRAGMA, SET, CALL,
 *   CREATE, INSTALL, LOAD, EXPORT, WITH … INSERT)
 * - a second `;`-separated statement, an empty or comment-only query, and a syntax error are refused
 * - file access through table functions (read_csv, read_text, glob, query, …) or through a table
 *   named like a file or URL (`FROM '/etc/passwd'`) is refused, also inside subqueries and unions
 */
import { describe, expect, it } from "vitest";
import { CatdataError } from "../errors.js";
import { assertReadOnlySql } from "./read-only.js";

async function refusal(sql: string): Promise<string> {
  try {
    await assertReadOnlySql(sql);
  } catch (error) {
    expect(error).toBeInstanceOf(CatdataError);
    expect((error as CatdataError).code).toBe("BAD_INPUT");
    return (error as Error).message;
  }
  throw new Error(`accepted: ${sql}`);
}

describe("assertReadOnlySql", () => {
  it("accepts single read-only queries", async () => {
    for (const sql of [
      "SELECT count(*) FROM intakes",
      "WITH a AS (SELECT 1 AS x) SELECT x FROM a",
      "FROM intakes",
      "VALUES (1)",
      "SELECT * FROM intakes WHERE municipality = $1",
      "SELECT ';' AS semi /* ; DROP */",
      "SELECT i.* FROM intakes i JOIN outcomes o USING (animal_id), range(3) r",
      "SELECT 1 AS x;",
    ]) {
      await expect(assertReadOnlySql(sql), sql).resolves.toBeUndefined();
    }
  });

  it("refuses every other statement, naming it", async () => {
    const cases: [string, string][] = [
      ["INSERT INTO intakes VALUES (1)", "INSERT"],
      ["COPY (SELECT 1) TO '/tmp/x.csv'", "COPY"],
      ["ATTACH '/tmp/evil.db' AS evil", "ATTACH"],
      ["PRAGMA database_list", "PRAGMA"],
      ["SET enable_external_access = true", "SET"],
      ["CALL duckdb_settings()", "CALL"],
      ["CREATE TABLE t AS SELECT 1", "CREATE"],
      ["INSTALL httpfs", "INSTALL"],
      ["LOAD httpfs", "LOAD"],
      ["EXPORT DATABASE '/tmp/x'", "EXPORT"],
      ["/* hi */ DELETE FROM intakes", "DELETE"],
      ["WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x", "WITH … INSERT"],
    ];
    for (const [sql, kind] of cases) {
      expect(await refusal(sql)).toBe(`only a SELECT (or WITH … SELECT) is allowed; found ${kind}`);
    }
  });

  it("refuses a second statement, an empty query and a syntax error", async () => {
    expect(await refusal("SELECT 1; DROP TABLE intakes")).toMatch(/only one statement is allowed; found 2/);
    expect(await refusal("SELECT * FROM intakes; ATTACH '/tmp/x.db'")).toMatch(/found 2/);
    expect(await refusal("  ")).toMatch(/empty/);
    expect(await refusal("-- nothing ;")).toMatch(/no statement/);
    expect(await refusal("SELEC 1")).toMatch(/does not parse: .*syntax error at or near "SELEC"/);
  });

  it("refuses file access through table functions and file-like table names", async () => {
    expect(await refusal("SELECT * FROM read_csv('/etc/passwd')")).toMatch(/table function read_csv\(\)/);
    expect(await refusal("SELECT (SELECT content FROM read_text('/etc/hosts'))")).toMatch(/read_text\(\)/);
    expect(await refusal("SELECT 1 UNION ALL SELECT * FROM glob('/root/*')")).toMatch(/glob\(\)/);
    expect(await refusal("SELECT * FROM query('SELECT 1')")).toMatch(/query\(\)/);
    expect(await refusal("WITH t AS (FROM read_parquet('../trail/*.parquet')) FROM t")).toMatch(/read_parquet\(\)/);
    expect(await refusal("SELECT * FROM '/etc/passwd'")).toMatch(/reading a file or URL directly \("\/etc\/passwd"\)/);
    expect(await refusal("SELECT * FROM 'https://evil.example/x.csv'")).toMatch(/file or URL/);
    expect(await refusal("SELECT * FROM intakes.parquet")).toMatch(/file or URL/);
  });
});
