/**
 * Pins `catdata ingest --replaces` and `catdata loads history | retract` through the real runtime:
 * a re-export ingested with --replaces takes the earlier load's records out in its commit; the
 * history lists it as replaced; a retract takes a load out (exit 0, undo hint) and `loads history
 * --json` shows the retract; retracting it again fails saying why; a bad job id is refused.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { describe, expect, it } from "vitest";
import type { JobRecord } from "../../etl/job-log.js";
import type { LoadHistory } from "../../etl/loads.js";
import { AUSTIN_HEADER, austinRows } from "../../testing/austin-rows.js";
import { cliHarness } from "../../testing/cli-harness.js";
import { tempConfig, tempDir } from "../../testing/fixtures.js";
import type { GetContext } from "../context.js";
import { registerIngestCommands } from "./ingest.js";
import { registerLoadsCommands } from "./loads.js";
import { registerQueryCommand } from "./query.js";

const register = (program: Command, getContext: GetContext) => {
  registerIngestCommands(program, getContext);
  registerLoadsCommands(program, getContext);
  registerQueryCommand(program, getContext);
};

describe("catdata loads", () => {
  it("replaces with ingest --replaces, retracts, and shows both in the history", async () => {
    const config = tempConfig();
    const dir = tempDir();
    const file = (name: string, n: number, tag = "A") => {
      const f = path.join(dir, name);
      writeFileSync(
        f,
        `${AUSTIN_HEADER}\n${austinRows(n)
          .map((l) => l.replace(/^A/, tag))
          .join("\n")}\n`,
      );
      return f;
    };
    const ingest = async (...args: string[]) => {
      const h = cliHarness(config, register);
      await h.run("ingest", ...args, "--json");
      return (JSON.parse(h.text.out) as JobRecord[])[0]!;
    };
    const intakes = async () => {
      const h = cliHarness(config, register);
      await h.run("query", "SELECT count(*)::INT AS n FROM intakes", "--format", "json");
      return JSON.parse(h.text.out)[0].n as number;
    };
    const other = await ingest(file("other.csv", 5, "K"));
    const first = await ingest(file("export-1.csv", 20));
    const second = await ingest(file("export-2.csv", 25), "--replaces", first.jobId);
    expect(second.status, second.error ?? "").toBe("succeeded");
    expect(second.counts.loaded).toBe(25);
    expect(await intakes()).toBe(5 + 25);

    const retract = cliHarness(config, register);
    await retract.run("loads", "retract", second.jobId);
    expect(retract.text.out).toContain(`retracted job ${second.jobId} (intakes: 1 part(s))`);
    expect(retract.text.out).toContain(`--replaces ${second.jobId}`);
    expect(await intakes()).toBe(5);

    const history = cliHarness(config, register);
    await history.run("loads", "history", "--json");
    const h = JSON.parse(history.text.out) as LoadHistory;
    expect(h.history.map((e) => [e.action, e.jobId, e.by])).toEqual([
      ["replace", first.jobId, second.jobId],
      ["retract", second.jobId, null],
    ]);
    expect(Object.fromEntries(h.loads.map((l) => [l.jobId, l.state]))).toEqual({
      [other.jobId]: "live",
      [first.jobId]: "replaced",
      [second.jobId]: "retracted",
    });
    const text = cliHarness(config, register);
    await text.run("loads", "history");
    expect(text.text.out).toMatch(new RegExp(`${first.jobId}.*replaced.*${second.jobId}`));

    const again = cliHarness(config, register);
    await expect(again.run("loads", "retract", second.jobId)).rejects.toMatchObject({
      message: expect.stringContaining("already retracted"),
    });
    const bad = cliHarness(config, register);
    await expect(bad.run("loads", "retract", "nope")).rejects.toMatchObject({
      message: expect.stringContaining("not a job id"),
    });
  });
});
