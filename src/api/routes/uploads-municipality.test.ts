/**
 * Pins that the CLI (`catdata ingest --municipality`) and the API (`POST /uploads`) check a
 * municipality with the same validator against the same directory (built-in + CATDATA_MUNICIPALITIES_FILE):
 * - a bad check digit, a wrong length, a name (with its code suggested) and an unknown code are
 *   refused by both with the same reason, and nothing is stored
 * - 272035 豊中市 is accepted by both and loads
 * - a municipality the file adds (a US city, fiscal year from July) is accepted by both, and its
 *   fiscal-year start travels in the upload's `fiscalYearStart` metadata: a June row lands in the
 *   fiscal year before (independent rule: July start)
 * - POST /uploads takes `fiscalYearStart` (query or form) into the metadata; outside 1–12 is a 400
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { templateHeaders } from "../../cats/template.js";
import { registerIngestCommands } from "../../cli/commands/ingest.js";
import type { JobRecord } from "../../etl/job-log.js";
import { DataDir } from "../../local/data-dir.js";
import { silentLogger } from "../../log/logger.js";
import { openRuntime, type Runtime } from "../../runtime.js";
import { createTestAuth, signIn } from "../../testing/auth.js";
import { cliHarness } from "../../testing/cli-harness.js";
import { tempConfig, tempDir } from "../../testing/fixtures.js";
import { PORTLAND, writeMunicipalitiesFile } from "../../testing/municipalities-file.js";
import { createApiApp } from "../app.js";

const PASSWORD = "Correct-Horse-9";
const dir = tempDir();
const municipalitiesFile = writeMunicipalitiesFile(dir, [PORTLAND]);
const config = tempConfig({ CATDATA_MUNICIPALITIES_FILE: municipalitiesFile });
let runtime: Runtime;
let app: ReturnType<typeof createApiApp>;
let token = "";

/** A TNR template file (English headers) for `code`: one row per date, 1 cat each. */
function tnrCsv(code: string, dates: string[]): string {
  const rows = dates.map((d) => [code, d, "North", "female", "1", ""].join(","));
  return [templateHeaders("tnr", "en").join(","), ...rows].join("\n");
}
const write = (name: string, text: string) => {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
};
const post = (query: string, body: string) =>
  app.request(`/uploads?filename=tnr.csv${query}`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "text/csv" },
    body,
  });
async function finished(jobId: string): Promise<JobRecord> {
  return runtime.jobs.waitFor(jobId);
}
const rawCount = async () => (await runtime.store.list("raw/")).length;

beforeAll(async () => {
  runtime = await openRuntime(config, silentLogger);
  const auth = await createTestAuth(new DataDir(runtime.config.dataDirectory));
  app = createApiApp({ runtime, ...auth });
  await auth.users.create({ username: "admin", password: PASSWORD, groups: ["admin"] });
  token = await signIn(app, "admin", PASSWORD);
});
afterAll(async () => runtime.close());

describe("municipality codes, CLI and API alike", () => {
  it.each([
    ["272036", "check digit is 6, expected 5"],
    ["27203", "not 6 digits (5 digits)"],
    ["Toyonaka City", "a name, not a code: use the code, e.g. 272035 for 豊中市"],
    // 2729x is no code in 大阪府 (the full list holds 27201…27383); 0 is its check digit.
    ["272990", "unknown code"],
    [
      "伊達市",
      "a name, not a code: 2 municipalities have this name: 012335 伊達市 (北海道), 072133 伊達市 (福島県); give the code",
    ],
  ])("refuses %j with the same reason in both", async (code, reason) => {
    const before = await rawCount();
    const file = write("bad.csv", tnrCsv("272035", ["2024-05-01"]));
    const cli = cliHarness(config, registerIngestCommands);
    const cliError = await cli.run("ingest", file, "--municipality", code).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(cliError?.message).toBe(`municipality ${JSON.stringify(code)}: ${reason}`);

    const res = await post(`&municipality=${encodeURIComponent(code)}`, tnrCsv("272035", ["2024-05-01"]));
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("BAD_INPUT");
    expect(body.error.message.startsWith(`${cliError?.message} (`)).toBe(true);
    expect(await rawCount()).toBe(before);
  });

  it("accepts 272035 豊中市 in both, and loads its rows", async () => {
    const dates = ["2024-05-01", "2024-06-02", "令和6年7月3日"];
    const cli = cliHarness(config, registerIngestCommands);
    await cli.run("ingest", write("toyonaka.csv", tnrCsv("272035", dates)), "--municipality", "272035", "--json");
    const [cliJob] = JSON.parse(cli.text.out) as JobRecord[];
    expect(cliJob).toMatchObject({ status: "succeeded", municipality: "272035", counts: { loaded: dates.length } });

    const res = await post("&municipality=272035", tnrCsv("272035", ["2024-08-01", "2024-09-01"]));
    expect(res.status).toBe(202);
    const job = await finished(((await res.json()) as { jobId: string }).jobId);
    expect(job).toMatchObject({ status: "succeeded", municipality: "272035", counts: { loaded: 2 } });
  });

  it("accepts the small town 013030 当別町 (full list, not built in before) in both, with an April fiscal year", async () => {
    const cliDates = ["2024-03-31", "2024-04-01"];
    const apiDates = ["2025-02-10"];
    // 地方自治法 §208, by the rule itself: before April belongs to the fiscal year that began the April before.
    const fyOf = (d: string) => Number(d.slice(0, 4)) - (Number(d.slice(5, 7)) < 4 ? 1 : 0);
    const cli = cliHarness(config, registerIngestCommands);
    await cli.run("ingest", write("tobetsu.csv", tnrCsv("013030", cliDates)), "--municipality", "013030", "--json");
    const [cliJob] = JSON.parse(cli.text.out) as JobRecord[];
    expect(cliJob, cliJob?.error ?? "").toMatchObject({ status: "succeeded", counts: { loaded: cliDates.length } });
    const res = await post("&municipality=013030", tnrCsv("013030", apiDates));
    expect(res.status).toBe(202);
    const apiJob = await finished(((await res.json()) as { jobId: string }).jobId);
    expect(apiJob, apiJob.error ?? "").toMatchObject({ status: "succeeded", counts: { loaded: apiDates.length } });
    const result = await runtime.query.query("SELECT fiscal_year FROM tnr WHERE municipality = '013030' ORDER BY 1");
    expect(result.rows.map((r) => Number(r.fiscal_year))).toEqual([...cliDates, ...apiDates].map(fyOf).sort());
  });

  it("quarantines a template row naming a valid but unknown code, never giving it April (no upload municipality)", async () => {
    const file = write(
      "mixed.csv",
      [tnrCsv("013030", ["2024-03-15", "2024-04-15"]), "272990,2024-05-01,North,female,1,"].join("\n"),
    );
    const cli = cliHarness(config, registerIngestCommands);
    await cli.run("ingest", file, "--json").catch(() => undefined);
    const [job] = JSON.parse(cli.text.out) as JobRecord[];
    expect(job?.counts).toMatchObject({ loaded: 2, quarantined: 1 });
    const [row] = await runtime.jobs.readQuarantine(job!.jobId);
    expect(JSON.stringify(row)).toContain('municipality \\"272990\\" is not a known code');
  });

  it("accepts a municipality the file adds, with its fiscal-year start carried by the upload", async () => {
    // July start, by the rule itself: a date before July belongs to the fiscal year that began the July before.
    const cliDates = ["2024-06-30", "2024-07-01", "2025-01-15"];
    const apiDates = ["2023-12-01", "2024-03-31"];
    const fyOf = (d: string) => Number(d.slice(0, 4)) - (Number(d.slice(5, 7)) < 7 ? 1 : 0);
    const expectedFy = [...cliDates, ...apiDates].map(fyOf).sort();
    const cli = cliHarness(config, registerIngestCommands);
    await cli.run(
      "ingest",
      write("portland.csv", tnrCsv("us-or-portland", cliDates)),
      "-m",
      "us-or-portland",
      "--json",
    );
    const [cliJob] = JSON.parse(cli.text.out) as JobRecord[];
    expect(cliJob, cliJob?.error ?? "").toMatchObject({ status: "succeeded", counts: { loaded: cliDates.length } });
    expect((await runtime.store.head(cliJob!.key)).metadata?.fiscalYearStart).toBe("7");

    const res = await post("&municipality=us-or-portland", tnrCsv("us-or-portland", apiDates));
    expect(res.status).toBe(202);
    const apiJob = await finished(((await res.json()) as { jobId: string }).jobId);
    expect(apiJob, apiJob.error ?? "").toMatchObject({ status: "succeeded", counts: { loaded: apiDates.length } });
    expect((await runtime.store.head(apiJob.key)).metadata?.fiscalYearStart).toBe("7");

    const result = await runtime.query.query(
      "SELECT fiscal_year FROM tnr WHERE municipality = 'us-or-portland' ORDER BY fiscal_year",
    );
    expect(result.rows.map((r) => Number(r.fiscal_year))).toEqual(expectedFy);
  });

  it("takes fiscalYearStart on POST /uploads into the upload's metadata, and refuses a month outside 1–12", async () => {
    const res = await post("&municipality=272035&fiscalYearStart=4", tnrCsv("272035", ["2024-10-01"]));
    expect(res.status).toBe(202);
    const accepted = (await res.json()) as { key: string; versionId: string };
    expect((await runtime.store.head(accepted.key, accepted.versionId)).metadata?.fiscalYearStart).toBe("4");
    expect((await post("&municipality=272035&fiscalYearStart=13", tnrCsv("272035", ["2024-10-02"]))).status).toBe(400);
  });
});
