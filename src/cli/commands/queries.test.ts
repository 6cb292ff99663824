/**
 * Pins `catdata queries`:
 * - `list` says when there are none, then shows name, description, SQL and creator
 * - `run <name>` runs the saved SQL through the query service (rows + result key), with the
 *   shared --format / --max-rows / --timeout flags
 * - `delete <name>` removes it; an unknown name is NOT_FOUND for run and delete
 */
import { PassThrough } from "node:stream";
import { Command } from "commander";
import { beforeAll, describe, expect, it } from "vitest";
import { silentLogger } from "../../log/logger.js";
import { SavedQueries } from "../../sql/saved-queries.js";
import { writeTestLake } from "../../sql/test-lake.js";
import { tempConfig } from "../../testing/fixtures.js";
import type { CliContext } from "../context.js";
import { registerQueriesCommands } from "./queries.js";

const config = tempConfig();
beforeAll(() => writeTestLake(config.home));

function harness() {
  const text = { out: "", err: "" };
  const out = new PassThrough().on("data", (c: Buffer) => {
    text.out += c.toString();
  });
  const err = new PassThrough().on("data", (c: Buffer) => {
    text.err += c.toString();
  });
  const context: CliContext = { config, logger: silentLogger, out, err, interactive: false };
  const program = new Command("catdata").exitOverride();
  registerQueriesCommands(program, () => context);
  return { run: (...args: string[]) => program.parseAsync(args, { from: "user" }), text };
}

describe("catdata queries", () => {
  it("lists, runs and deletes saved queries", async () => {
    const empty = harness();
    await empty.run("queries", "list");
    expect(empty.text.out).toMatch(/no saved queries/);

    await new SavedQueries(config.home).save({
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
