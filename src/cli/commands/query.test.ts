/**
 * Pins `catdata query`:
 * - prints the rows as a table with the result's key under it; the CSV is in the store at that key
 * - `--format csv` writes only the (formula-neutralised) CSV to stdout, the key to stderr
 * - `--timeout <seconds>` stops a slow query with a clear error; bad flags are usage errors (exit 2)
 * - SQL that is not read-only is refused before it runs, naming what was found
 * - `--save <name> --description …` saves the query after it ran; an existing name fails first
 */
import os from "node:os";
import { beforeAll, describe, expect, it } from "vitest";
import { DataDir } from "../../local/data-dir.js";
import { silentLogger } from "../../log/logger.js";
import { openRuntime } from "../../runtime.js";
import { LocalSavedQueries } from "../../sql/local-saved-queries.js";
import { cliHarness } from "../../testing/cli-harness.js";
import { tempConfig } from "../../testing/fixtures.js";
import { writeTestLake } from "../../testing/test-lake.js";
import { registerQueryCommand } from "./query.js";

const config = tempConfig();
beforeAll(() => writeTestLake(new DataDir(config.dataDirectory)));

const harness = () => cliHarness(config, registerQueryCommand);

describe("catdata query", () => {
  it("prints a table and the key of the result's CSV in the store", async () => {
    const { run, text } = harness();
    await run("query", "SELECT animal_id, intake_type FROM intakes ORDER BY 1", "--max-rows", "2");
    expect(text.out).toMatch(/^animal_id\s+intake_type\n-+\s+-+\nA1\s+stray\nA2\s+owner surrender\n/);
    const key = /result: (athena-query-results\/\d{4}\/\d{2}\/\d{2}\/[0-9a-f-]{36}\.csv) \(query /.exec(text.out)?.[1];
    expect(key).toBeDefined();
    expect(text.err).toMatch(/cut at 2 rows/);
    const runtime = await openRuntime(config, silentLogger);
    try {
      expect((await runtime.store.get(key ?? "")).toString()).toBe(
        "animal_id,intake_type\r\nA1,stray\r\nA2,owner surrender\r\n",
      );
    } finally {
      await runtime.close();
    }
  });

  it("writes only formula-safe CSV to stdout with --format csv", async () => {
    const { run, text } = harness();
    await run("query", "SELECT note FROM intakes WHERE animal_id = 'A2'", "--format", "csv");
    expect(text.out).toBe(`note\r\n"'=HYPERLINK(""http://x"")"\r\n`);
    expect(text.err).toMatch(/^result: athena-query-results\//);
  });

  it("stops a slow query at --timeout and refuses bad flags and writes", async () => {
    const { run } = harness();
    await expect(run("query", "SELECT count(*) FROM range(100000000000)", "--timeout", "0.2")).rejects.toThrow(
      /stopped after 0.2 s/,
    );
    await expect(run("query", "SELECT 1", "--timeout", "soon")).rejects.toMatchObject({ exitCode: 2 });
    await expect(run("query", "ATTACH '/tmp/x.db' AS x")).rejects.toThrow(/found ATTACH/);
  });

  it("saves the query after it ran, and refuses a name already taken before running", async () => {
    const { run, text } = harness();
    await run("query", "SELECT count(*) AS n FROM intakes", "--save", "count-intakes", "--description", "how many");
    expect(text.err).toMatch(/saved as count-intakes/);
    const saved = await new LocalSavedQueries(new DataDir(config.dataDirectory)).get("count-intakes");
    expect(saved).toMatchObject({ sql: "SELECT count(*) AS n FROM intakes", description: "how many" });
    expect(saved.createdBy).toBe(os.userInfo().username);
    const again = harness();
    await expect(again.run("query", "SELECT 2", "--save", "count-intakes")).rejects.toThrow(/already exists/);
    expect(again.text.out).toBe("");
    await expect(again.run("query", "SELECT 2", "--save", "Bad Name")).rejects.toThrow(/invalid query name/);
  });
});
