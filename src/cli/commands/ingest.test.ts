/**
 * Pins `catdata ingest`, `jobs` and `quarantine` through the CLI program:
 * - ingest uploads the file, waits for its job on the job record (JobLog.waitFor, not the store's
 *   versions) and prints the finished job; `--json` gives the record
 * - `jobs` lists it; `quarantine <job>` shows the rejected rows with their reasons
 * - a failed file makes the command fail after printing its job
 * - a workbook sheet no profile matches is printed as skipped, and the printed counts are the job record's
 * - `--fiscal-year-start` is stored in the upload's metadata; a month outside 1–12 is a usage error
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import ExcelJS from "exceljs";
import { afterEach, describe, expect, it, vi } from "vitest";
import { templateHeaders } from "../../cats/template.js";
import type { JobRecord } from "../../etl/job-log.js";
import { LocalJobLog } from "../../etl/local-job-log.js";
import { silentLogger } from "../../log/logger.js";
import { openRuntime } from "../../runtime.js";
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

  it("prints a skipped sheet with its reason, and the job record's counts", async () => {
    const config = tempConfig();
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet("summary").addRows([
      ["total", "55"],
      ["cats", "55"],
    ]);
    const sheet = wb.addWorksheet("intakes");
    sheet.addRow(templateHeaders("intakes", "ja"));
    sheet.addRow(["131041", "S-1", "2024-05-01", "10:30", "所有者不明", "子猫", "", "メス", "未", "良好", "新宿区"]);
    const file = path.join(tempDir(), "book.xlsx");
    await wb.xlsx.writeFile(file);
    const cli = cliHarness(config, registerIngestCommands);
    await cli.run("ingest", file, "--municipality", "131041");
    expect(cli.text.out).toMatch(/book\.xlsx: succeeded/);
    expect(cli.text.out).toMatch(/skipped sheet summary: no mapping profile matches book\.xlsx \(sheet summary\)/);
    const list = cliHarness(config, registerIngestCommands);
    await list.run("jobs", "--json");
    const [job] = JSON.parse(list.text.out) as JobRecord[];
    const c = job!.counts;
    expect(cli.text.out).toContain(`read ${c.read} · loaded ${c.loaded} · quarantined ${c.quarantined}`);
    expect(c.loaded).toBe(1);
  });

  it("stores --fiscal-year-start in the upload's metadata and refuses a month outside 1-12", async () => {
    const config = tempConfig();
    const file = path.join(tempDir(), "austin.csv");
    writeFileSync(file, `${AUSTIN_HEADER}\n${austinRows(2).join("\n")}\n`);
    const cli = cliHarness(config, registerIngestCommands);
    await cli.run("ingest", file, "--fiscal-year-start", "7", "--json");
    const [job] = JSON.parse(cli.text.out) as JobRecord[];
    const runtime = await openRuntime(config, silentLogger);
    try {
      expect((await runtime.store.head(job!.key, job!.versionId)).metadata).toMatchObject({ fiscalYearStart: "7" });
    } finally {
      await runtime.close();
    }
    const bad = cliHarness(config, registerIngestCommands);
    await expect(bad.run("ingest", file, "--fiscal-year-start", "13")).rejects.toThrow(/1–12/);
  });
});
