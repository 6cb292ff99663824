/**
 * The DuckDB ingest path against the JS path (the acceptance for wiring it into run-job):
 * - the real Austin intakes file: identical records (every column of every row), counts and quarantine
 * - a generated file of bad values (bad dates of every refusal, unknown intake types, an age over the
 *   INTEGER limit, negative and unreadable ages, an empty Animal ID, dogs, repeats, quoted cells,
 *   JS-only whitespace, tabs / form feeds / spaces at cells' edges): identical, decided by the SQL
 *   itself (no fallback)
 * - what the SQL does not decide (an unterminated quote, a line over the limit, another date form,
 *   a 13-digit age, a fractional age) falls back before writing anything
 * - the age digits limit: 12 digits decided, 13 fall back
 * - one DuckDB thread below ONE_THREAD_BYTES of numbered copy, the default from there on
 */
import { createReadStream, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { StagedFiles } from "../../lake/lake.js";
import { silentLogger } from "../../log/logger.js";
import { openRuntime, type Runtime } from "../../runtime.js";
import { hasSamples, sample, tempConfig, tempDir } from "../../testing/fixtures.js";
import { ingestFile } from "../ingest.js";
import { austinIntakesSql, MAX_AGE_DIGITS } from "./austin-intakes-sql.js";
import {
  duckdbThreadsFor,
  ONE_THREAD_BYTES,
  type QuarantinedRow,
  type SqlIngestResult,
  sqlIngest,
} from "./sql-path.js";

const AUSTIN = sample("cats", "austin-aac-intakes-2013-2020", "Austin_Animal_Center_Intakes.csv");
const HEADER =
  "Animal ID,Name,DateTime,MonthYear,Found Location,Intake Type,Intake Condition,Animal Type,Sex upon Intake,Age upon Intake,Breed,Color";
const row = (
  id: string,
  when: string,
  o: { type?: string; age?: string; intake?: string; sex?: string; place?: string; cond?: string } = {},
) =>
  `${id},Tom,${when},${when},${o.place ?? "Somewhere in Austin (TX)"},${o.intake ?? "Stray"},${o.cond ?? "Normal"},${o.type ?? "Cat"},${o.sex ?? "Intact Male"},${o.age ?? "2 years"},Domestic Shorthair,Black`;

const BAD_VALUES = [
  HEADER,
  row("A1", "01/03/2019 04:19:00 PM"),
  row("A2", "10/01/2019 09:00:00 AM", { age: "3 weeks", sex: "Spayed Female" }),
  row("A3", "01/03/2019 04:19:00 PM", { type: "Dog" }),
  row("A4", "13/03/2019 04:19:00 PM"),
  row("A5", "04/31/2019 04:19:00 PM"),
  row("A6", "02/29/2019 12:00:00 AM"),
  row("A7", "02/29/2020 12:00:00 AM", { sex: "Neutered Male", age: "1 month" }),
  row("A8", "01/03/2019 00:19:00 AM"),
  row("A9", "01/03/2019 13:19:00 PM"),
  row("A10", "01/03/2019 04:61:00 PM"),
  row("A11", "01/03/1800 04:19:00 PM"),
  row("A12", "00/03/2019 04:19:00 PM"),
  row("A13", ""),
  row("A14", "not a date"),
  row("A15", "01/03/2019 04:19:00 PM", { intake: "Transfer" }),
  row("A16", "01/03/2019 04:19:00 PM", { age: "99999999 years" }),
  row("A17", "01/03/2019 04:19:00 PM", { age: `${"9".repeat(MAX_AGE_DIGITS)} days` }),
  row("A18", "01/03/2019 04:19:00 PM", { age: "-1 years" }),
  row("A19", "01/03/2019 04:19:00 PM", { age: "old" }),
  row("A20", "01/03/2019 04:19:00 PM", { age: "Unknown", sex: "Unknown" }),
  row("", "01/03/2019 04:19:00 PM"),
  row("A1", "01/03/2019 04:19:00 PM"),
  row("A1", "01/03/2019 04:20:00 PM", { intake: " owner surrender ", cond: " Sick " }),
  row("A22", "11/15/2016 11:05:00 am", { place: '"Austin, ""TX"""', type: " cat " }),
  row("A23", "11/15/2016 11:05:00 AM", { place: "\u3000Lamar Blvd\u00a0", intake: "Wildlife", type: "Bird" }),
  row("A24", "07/04/2015 03:00:00 PM", { intake: "Euthanasia Request", sex: "", age: "" }),
  row("A25", "09/30/2015 11:59:59 PM", { intake: "Public Assist", age: "0 days" }),
  row("A26", "01/03/2019 04:19:00 PM", { type: "Dog", age: "-5 years" }),
  // whitespace at cells' edges: tab, form feed, vertical tab (the line is trimmed in full), spaces only
  row("A27", "01/03/2019 04:19:00 PM", { intake: "\tStray", sex: "Neutered Male\f" }),
  row(" A28 ", "01/03/2019 04:19:00 PM", { place: " Lamar ", cond: "Normal ", type: "Cat " }),
  row("A29", "01/03/2019 04:19:00 PM", { age: " 2 years", intake: "Stray\v" }),
].join("\r\n");

let runtimes: Runtime[] = [];
afterEach(async () => {
  for (const r of runtimes) await r.close();
  runtimes = [];
});

async function newRuntime(overrides: Record<string, string> = {}): Promise<Runtime> {
  const r = await openRuntime(tempConfig(overrides), silentLogger);
  runtimes.push(r);
  return r;
}

const AUSTIN_PLAN = { profile: austinIntakesSql, municipality: "us-tx-austin", fiscalYearStartMonth: 10 };

const sorted = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).sort();
const ALL = { maxRows: 10_000_000 };

/** Both paths on one file: the JS path through a runtime, the SQL path committed into another one's lake. */
async function bothPaths(file: string) {
  const js = await newRuntime({ CATDATA_ETL_SQL_PATH: "off" });
  const job = await ingestFile(js, file);
  const jsRows = (await js.query.query("SELECT * FROM intakes", ALL)).rows;
  const jsQuarantine = await js.jobs.readQuarantine(job.jobId);

  const sqlRuntime = await newRuntime();
  const staging = await sqlRuntime.lake.openStaging(job.jobId);
  const quarantined: QuarantinedRow[] = [];
  const result = await sqlIngest({
    open: () => createReadStream(file),
    plan: async () => AUSTIN_PLAN,
    jobId: job.jobId,
    staging,
    tempDir: tempDir("catdata-sql-tmp-"),
    onQuarantine: (r) => {
      quarantined.push(r);
    },
  });
  if (result.kind !== "done") return { job, jsRows, jsQuarantine, result, quarantined, sqlRows: [] };
  await sqlRuntime.lake.commitJob(job.jobId, result.staged as StagedFiles, {
    source: { sha256: job.sha256 ?? "", municipality: "us-tx-austin" },
  });
  const sqlRows = (await sqlRuntime.query.query("SELECT * FROM intakes", ALL)).rows;
  return { job, jsRows, jsQuarantine, result, quarantined, sqlRows };
}

function expectParity(p: Awaited<ReturnType<typeof bothPaths>>) {
  expect(p.result.kind, p.result.kind === "fallback" ? p.result.why : "").toBe("done");
  const done = p.result as Extract<SqlIngestResult, { kind: "done" }>;
  expect(done.counts).toEqual(p.job.counts);
  expect(p.sqlRows.length).toBe(p.jsRows.length);
  const a = sorted(p.sqlRows);
  const b = sorted(p.jsRows);
  const firstDiff = a.findIndex((x, i) => x !== b[i]);
  expect(a[firstDiff] ?? null).toEqual(b[firstDiff] ?? null);
  expect(a).toEqual(b);
  expect(p.quarantined).toEqual(p.jsQuarantine.map((q) => ({ row: q.row, reason: q.reason, values: q.values })));
}

async function sqlOnly(content: string, limits = {}): Promise<SqlIngestResult> {
  const dir = tempDir("catdata-sql-");
  const file = path.join(dir, "f.csv");
  writeFileSync(file, content);
  const staging = path.join(dir, "staging");
  const result = await sqlIngest({
    open: () => createReadStream(file),
    plan: async () => AUSTIN_PLAN,
    limits,
    jobId: "job",
    staging,
    tempDir: path.join(dir, "tmp"),
  });
  if (result.kind === "fallback") expect(() => readdirSync(staging)).toThrow(); // nothing written
  return result;
}

describe("sqlIngest (DuckDB path) against the JS path", () => {
  it.skipIf(!hasSamples)(
    "gives identical records, counts and quarantine on the real Austin file",
    async () => {
      const p = await bothPaths(AUSTIN);
      expect(p.job.counts.loaded).toBeGreaterThan(1000);
      expectParity(p);
    },
    120_000,
  );

  it("gives identical records, counts and quarantine on a file of bad values, deciding them itself", async () => {
    const dir = tempDir("catdata-sql-");
    const file = path.join(dir, "austin-bad.csv");
    writeFileSync(file, BAD_VALUES);
    const p = await bothPaths(file);
    expect(p.job.counts.quarantined).toBeGreaterThanOrEqual(15);
    expect(p.job.counts.deduplicated).toBe(1);
    expect(p.job.counts.skipped).toBe(3);
    expectParity(p);
  }, 60_000);

  it("falls back, writing nothing, on an unterminated quote", async () => {
    const csv = [HEADER, row("A1", "01/03/2019 04:19:00 PM"), row("A2", "01/03/2019 04:19:00 PM", { place: '"open' })];
    expect(await sqlOnly(csv.join("\n"))).toMatchObject({ kind: "fallback", why: expect.stringMatching(/quotes/) });
  });

  it("falls back at the line limit, and decides a line one byte under it", async () => {
    const line = row("A1", "01/03/2019 04:19:00 PM");
    const longest = Math.max(HEADER.length, line.length);
    const csv = `${HEADER}\n${line}\n`;
    expect(await sqlOnly(csv, { maxLineBytes: longest + 1 })).toMatchObject({ kind: "done" });
    expect(await sqlOnly(csv, { maxLineBytes: longest })).toMatchObject({ kind: "fallback" });
  });

  it("falls back on a date form, a fractional age or an age over the digits it decides", async () => {
    for (const r of [
      row("A1", "2019-01-03"),
      row("A1", "01/03/0013 04:19:00 PM"),
      row("A1", "01/03/2019 04:19:00 PM", { age: "1.5 years" }),
      row("A1", "01/03/2019 04:19:00 PM", { age: `${"9".repeat(MAX_AGE_DIGITS + 1)} days` }),
      row("A1", "01/03/2019 04:19:00 PM", { intake: "Constructor" }),
      row("A1", "01/03/2019 04:19:00 PM", { sex: "メス" }),
    ]) {
      expect(await sqlOnly(`${HEADER}\n${r}\n`), r).toMatchObject({ kind: "fallback" });
    }
  });

  it("maps a numbered copy under ONE_THREAD_BYTES on one DuckDB thread, a larger one on the default", () => {
    expect(duckdbThreadsFor(0)).toEqual({ threads: "1" });
    expect(duckdbThreadsFor(ONE_THREAD_BYTES - 1)).toEqual({ threads: "1" });
    expect(duckdbThreadsFor(ONE_THREAD_BYTES)).toEqual({});
  });
});
