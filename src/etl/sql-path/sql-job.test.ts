/**
 * The DuckDB path wired into the ETL job (run-job.ts): the same uploads through a runtime with the
 * SQL path on and one with it off (CATDATA_ETL_SQL_PATH=off) end in the same job records (status,
 * counts, datasets, table entry and schema sample), the same lake rows and the same quarantine —
 * including dedup across jobs (a re-export overlapping an earlier load) and a correction
 * (`--replaces`). The log says which path read each file; what the JS reader's table shaper would
 * treat differently (a title row, a total row, a footnote, an empty row) goes to the JS path.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { Writable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "../../log/logger.js";
import { openRuntime, type Runtime } from "../../runtime.js";
import { AUSTIN_HEADER, austinRows } from "../../testing/austin-rows.js";
import { tempConfig, tempDir } from "../../testing/fixtures.js";
import { ingestFile } from "../ingest.js";
import type { JobRecord } from "../job-log.js";

let runtimes: Runtime[] = [];
afterEach(async () => {
  for (const r of runtimes) await r.close();
  runtimes = [];
});

/** A runtime whose log lines are kept (to see which path read a file). */
async function runtimeWith(sqlPath: "on" | "off") {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const r = await openRuntime(tempConfig({ CATDATA_ETL_SQL_PATH: sqlPath }), createLogger("info", sink), {
    rebuildMartsAfterLoad: false,
  });
  runtimes.push(r);
  return { runtime: r, lines };
}

const write = (name: string, lines: string[]) => {
  const file = path.join(tempDir("catdata-sqljob-"), name);
  writeFileSync(file, `${lines.join("\n")}\n`);
  return file;
};

/** Dogs, bad dates, unknown intake types, a repeated cat — so every count is exercised. */
const mixed = (rows: string[]) => [
  ...rows,
  rows[0] as string,
  "D1,Rex,01/03/2019 04:19:00 PM,x,Here,Stray,Normal,Dog,Intact Male,2 years,Lab,Black",
  "B1,Tom,13/03/2019 04:19:00 PM,x,Here,Stray,Normal,Cat,Intact Male,2 years,DSH,Black",
  "B2,Tom,01/03/2019 04:19:00 PM,x,Here,Transfer,Normal,Cat,Intact Male,2 years,DSH,Black",
  "B3,Tom,01/03/2019 04:19:00 PM,x,Here,Stray,Normal,Cat,Intact Male,-1 years,DSH,Black",
];

/** The parts of a job record both paths must agree on (ids and timings differ). */
const comparable = (j: JobRecord) => ({
  status: j.status,
  error: j.error ?? null,
  profile: j.profile,
  municipality: j.municipality,
  counts: j.counts,
  loadedByDataset: j.loadedByDataset,
  skippedBy: j.skippedBy,
  tables: j.tables,
});

const rowsOf = async (r: Runtime) =>
  (await r.query.query("SELECT * EXCLUDE (source_job) FROM intakes", { maxRows: 1_000_000 })).rows
    .map((row) => JSON.stringify(row))
    .sort();

const quarantineOf = async (r: Runtime, job: JobRecord) =>
  (await r.jobs.readQuarantine(job.jobId)).map((q) => ({ row: q.row, reason: q.reason, values: q.values }));

describe("the DuckDB path in the ETL job", () => {
  it("ends in the same jobs, rows and quarantine as the JS path, across a re-export and a correction", async () => {
    const first = write("Austin_Animal_Center_Intakes.csv", [AUSTIN_HEADER, ...mixed(austinRows(300))]);
    // A re-export: 200 of the first rows again (deduplicated against the first load), 150 new ones.
    const all = austinRows(450);
    const again = write("Austin_Animal_Center_Intakes_2.csv", [AUSTIN_HEADER, ...all.slice(100)]);
    const sql = await runtimeWith("on");
    const js = await runtimeWith("off");
    const jobs: Record<"sql" | "js", JobRecord[]> = { sql: [], js: [] };
    for (const [name, r] of [
      ["sql", sql.runtime],
      ["js", js.runtime],
    ] as const) {
      const a = await ingestFile(r, first);
      const b = await ingestFile(r, again);
      // The correction: the first file again, replacing job a (its rows leave, these come back).
      const c = await ingestFile(r, first, { replaces: a.jobId });
      jobs[name].push(a, b, c);
    }
    expect(jobs.sql.map(comparable)).toEqual(jobs.js.map(comparable));
    const [a, b, c] = jobs.sql as [JobRecord, JobRecord, JobRecord];
    expect(a.counts).toMatchObject({ read: 305, loaded: 300, deduplicated: 1, skipped: 1, quarantined: 3 });
    expect(a.skippedBy).toEqual([{ reason: "not a cat", label: "Dog", rows: 1 }]);
    expect(b.counts).toMatchObject({ read: 350, loaded: 150, deduplicated: 200 });
    expect(c.status).toBe("succeeded");
    expect(await rowsOf(sql.runtime)).toEqual(await rowsOf(js.runtime));
    expect((await rowsOf(sql.runtime)).length).toBe(450);
    for (let i = 0; i < 3; i++)
      expect(await quarantineOf(sql.runtime, jobs.sql[i] as JobRecord)).toEqual(
        await quarantineOf(js.runtime, jobs.js[i] as JobRecord),
      );
    // DuckDB read every file in the runtime with the SQL path on, none in the other.
    expect(sql.lines.filter((l) => l.includes("DuckDB read and mapped the file"))).toHaveLength(3);
    expect(js.lines.filter((l) => l.includes("DuckDB read and mapped the file"))).toHaveLength(0);
  }, 120_000);

  it("leaves to the JS path what its table shaper decides: a title row, a total, a footnote, an empty row", async () => {
    const rows = austinRows(40);
    const cases: [string, string[], number][] = [
      ["title", ["Austin Animal Center intakes 2019", AUSTIN_HEADER, ...rows], 40],
      ["total", [AUSTIN_HEADER, ...rows, "Total,40,,,,,,,,,,"], 40],
      ["footnote", [AUSTIN_HEADER, ...rows, "Source: City of Austin open data portal, exported 2020"], 40],
      ["empty", [AUSTIN_HEADER, ...rows.slice(0, 20), ",,,,,,,,,,,", ...rows.slice(20)], 40],
      ["sums", [AUSTIN_HEADER, ...rows, ",1,2,,,,,,,,,"], 40],
    ];
    const sql = await runtimeWith("on");
    const js = await runtimeWith("off");
    for (const [name, template, loaded] of cases) {
      // Animal ids of their own per case (the same ids would be deduplicated against the earlier case).
      const lines = template.map((l) => l.replace(/^A(\d+),/, `${name}-$1,`));
      const file = write(`${name}-Austin_Animal_Center_Intakes.csv`, lines);
      const before = sql.lines.length;
      const viaSql = await ingestFile(sql.runtime, file);
      const viaJs = await ingestFile(js.runtime, file);
      expect(comparable(viaSql), name).toEqual(comparable(viaJs));
      expect(viaSql.counts.loaded, `${name}: ${viaSql.error}`).toBe(loaded);
      const logged = sql.lines.slice(before).join("");
      expect(logged, name).not.toContain("DuckDB read and mapped the file");
      if (name !== "title") expect(logged, name).toContain("the JS path reads this file");
    }
  }, 120_000);
});
