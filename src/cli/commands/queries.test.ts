import { beforeAll, describe, expect, it } from "vitest";
import { DataDir } from "../../local/data-dir.js";
import { LocalSavedQueries } from "../../sql/local-saved-queries.js";
import { cliHarness } from "../../testing/cli-harness.js";
import { tempConfig } from "../../testing/fixtures.js";
import { writeTestLake } from "../../testing/test-lake.js";
import { registerQueriesCommands } from "./queries.js";

const config = tempConfig();
beforeAll(() => writeTestLake(new DataDir(config.dataDirectory)));

const harness = () => cliHarness(config, registerQueriesCommands);

describe("catdata queries", () => {
  it("lists, runs and deletes saved queries", async () => {
    const empty = harness();
    await empty.run("queries", "list");
    expect(empty.text.out).toMatch(/no saved queries/);

    await new LocalSavedQueries(new DataDir(config.dataDirectory)).save({
      name: "strays",
      sql: "SELECT animal_id\nFROM intakes WHERE intake_type = 'stray' ORDER BY 1",
      description: "stray intakes",
      createdBy: "kenji",
    });
    const list = harness();
    await list.run("queries", "list");
    expect(list.text.out).toMatch(/strays\s+stray intakes\s+SELECT animal_id FROM intakes WHERE .*\s+kenji/);

    const ran = harness();
    await ran.run("queries", "run", "strays", "--format", "json");
    expect(JSON.parse(ran.text.out)).toEqual([{ animal_id: "A1" }, { animal_id: "A3" }]);
    expect(ran.text.err).toMatch(/^result: athena-query-results\/.*\.csv/);

    const del = harness();
    await del.run("queries", "delete", "strays");
    expect(del.text.out).toBe("deleted strays\n");
    await expect(harness().run("queries", "run", "strays")).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(harness().run("queries", "delete", "strays")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
