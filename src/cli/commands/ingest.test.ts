/**
 * Pins `catdata ingest`, `jobs` and `quarantine` through the CLI program:
 * - ingest uploads the file, waits for its job on the job record (JobLog.waitFor, not the store's
 *   versions) and prints the finished job; `--json` gives the record
 * - `jobs` lists it; `quarantine <job>` shows the rejected rows with their reasons
 * - a failed file makes the command fail after printing its job
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { JobRecord } from "../../etl/job-log.js";
import { LocalJobLog } from "../../etl/local-job-log.js";
import { AUSTIN_HEADER, austinRows } from "../../testing/austin-rows.js";
import { cliHarness } from "../../testing/cli-harness.js";
import { tempConfig, tempDir } from "../../testing/fixtures.js";
import { registerIngestCommands } from "./ingest.js";

afterEach(() => vi.restoreAllMocks());

describe("catdata ingest", () => {
  it("uploads, waits for the job on its record and prints it", async () => {
    const config = tempConfig();
    const file = path.join(tempDir(), "austin.csv");
    const bad = austinRows(1)[0]!.replace("1 years", "-1 years").replace("A0,", "B0,");
    writeFileSync(file, `${AUSTIN_HEADER}\n${[...austinRows(3), bad].join("\n")}\n`);
    const waitFor = vi.spyOn(LocalJobLog.prototype, "waitFor");
    const cli = cliHarness(config, registerIngestCommands);
    await cli.run("ingest", file, "--municipality", "us-tx-austin", "--json");
    const [job] = JSON.parse(cli.text.out) as JobRecord[];
    expect(job).toMatchObject({ status: "succeeded", counts: { read: 4, loaded: 3, quarantined: 1 } });
    expect(waitFor.mock.calls.map(([id]) => id)).toEqual([job!.jobId]);

    const list = cliHarness(config, registerIngestCommands);
    await list.run("jobs", "--json");
    expect((JSON.parse(list.text.out) as JobRecord[]).map((j) => [j.jobId, j.status])).toEqual([
      [job!.jobId, "succeeded"],
    ]);
    const q = cliHarness(config, registerIngestCommands);
    await q.run("quarantine", job!.jobId, "--json");
    expect(JSON.parse(q.text.out)).toEqual([expect.objectContaining({ reason: expect.stringMatching(/negative/) })]);
  });

  it("fails when a file fails to load", async () => {
    const config = tempConfig();
    const file = path.join(tempDir(), "empty.csv");
    writeFileSync(file, "");
    const cli = cliHarness(config, registerIngestCommands);
    await expect(cli.run("ingest", file)).rejects.toThrow(/failed to load/);
    expect(cli.text.out).toMatch(/empty\.csv: failed/);
  });
});
