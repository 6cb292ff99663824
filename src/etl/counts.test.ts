/**
 * Pins the counting identity and the failure rules of process-cat-data:
 * - every job record saved (queued, running with progress, succeeded, failed, duplicate) keeps
 *   read = loaded + quarantined + deduplicated + skipped + failed, over good files, files with bad
 *   rows, files that fail mid-way and a duplicate upload
 * - a failed job reports what it read, loaded 0 (nothing was committed) and the rest as `failed`
 * - deterministic errors are final: a gzip damaged mid-stream and a profile that breaks on a row fail
 *   the job in one attempt, not dead-lettered, naming the row; an I/O error still retries (reliability.test.ts)
 * - a row error (ValueError / bad input) thrown by a profile quarantines that row with its number
 * - the species pre-filter counts non-cat rows as skipped without calling mapRow
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { templateHeaders } from "../cats/template.js";
import { badInput } from "../errors.js";
import { silentLogger } from "../log/logger.js";
import { openRuntime, type Runtime } from "../runtime.js";
import { AUSTIN_HEADER, austinCsv, austinRows } from "../testing/austin-rows.js";
import { tempConfig, tempDir } from "../testing/fixtures.js";
import { accountedFor, countsAddUp } from "./counts.js";
import { ingestFile } from "./ingest.js";
import type { JobRecord } from "./job-log.js";
import { austinIntakes } from "./profiles/austin-intakes.js";
import { PROFILES } from "./profiles/index.js";
import type { MappingProfile } from "./profiles/profile.js";

let runtime: Runtime;
let dir: string;
/** Every record the job log was asked to save, as saved. */
let saved: JobRecord[];
beforeEach(async () => {
  runtime = await openRuntime(tempConfig(), silentLogger);
  dir = tempDir();
  saved = [];
  const save = runtime.jobs.save.bind(runtime.jobs);
  runtime.jobs.save = async (job) => {
    saved.push(structuredClone(job));
    return save(job);
  };
});
afterEach(async () => runtime.close());

const file = (name: string, content: string | Buffer) => {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
};

/** A test profile (registered for one test) that maps like Austin but breaks on chosen rows. */
function withProfile(name: string, breakOn: (row: number) => Error | undefined): () => void {
  const profile: MappingProfile = {
    ...austinIntakes,
    name,
    match: () => 0,
    mapRow(values, ctx) {
      const error = breakOn(ctx.row);
      if (error) throw error;
      return austinIntakes.mapRow(values, ctx);
    },
  };
  PROFILES.push(profile);
  return () => {
    PROFILES.splice(PROFILES.indexOf(profile), 1);
  };
}

const austinLine = (id: string, when: string, type = "Cat", age = "2 years") =>
  `${id},Tom,${when},${when},Somewhere,Stray,Normal,${type},Intact Male,${age},Domestic Shorthair,Black`;

describe("job counts", () => {
  it("add up in every saved record, for good, bad, failing and duplicate files", async () => {
    const mixed = [
      AUSTIN_HEADER,
      austinLine("A1", "01/03/2019 04:19:00 PM"),
      austinLine("A2", "13/03/2019 04:19:00 PM"),
      austinLine("A3", "01/03/2019 04:19:00 PM", "Dog"),
      austinLine("A4", "01/03/2019 04:19:00 PM", "Cat", "-1 years"),
      austinLine("A1", "01/03/2019 04:19:00 PM"),
      `${austinLine("A5", "01/03/2019 04:19:00 PM")},extra,cells`,
    ].join("\n");
    const tnr = [
      templateHeaders("tnr", "en").join(","),
      ...Array.from({ length: 20 }, (_, i) => `131041,2024-05-01,a${i},male,${i === 9 ? 2 ** 33 : 1},`),
    ].join("\n");
    const big = Buffer.from(austinCsv(30_000));
    const gz = gzipSync(big);
    const restore = withProfile("test-breaks-on-row-40", (row) => (row === 40 ? new TypeError("boom") : undefined));
    try {
      const jobs = [
        await ingestFile(runtime, file("good.csv", austinCsv(500))),
        await ingestFile(runtime, file("mixed.csv", mixed)),
        await ingestFile(runtime, file("tnr.csv", tnr), { municipality: "131041" }),
        await ingestFile(runtime, file("cut.csv.gz", gz.subarray(0, Math.floor(gz.length * 0.6)))),
        await ingestFile(runtime, file("breaks.csv", austinCsv(100).replace(/^A(\d)/gm, "B$1")), {
          profile: "test-breaks-on-row-40",
        }),
        await ingestFile(runtime, file("again.csv", austinCsv(500))),
      ];
      expect(jobs.map((j) => j.status)).toEqual([
        "succeeded",
        "succeeded",
        "succeeded",
        "failed",
        "failed",
        "duplicate",
      ]);
      expect(jobs[1]?.counts).toEqual({ read: 6, loaded: 1, quarantined: 3, deduplicated: 1, skipped: 1 });
      for (const job of jobs) {
        const records = saved.filter((s) => s.jobId === job.jobId);
        expect(records.length, job.key).toBeGreaterThan(1);
        for (const r of records)
          expect(countsAddUp(r.counts), `${job.key} ${r.status} ${JSON.stringify(r.counts)}`).toBe(true);
      }
      for (const failed of jobs.filter((j) => j.status === "failed")) {
        expect(failed.counts.loaded, failed.key).toBe(0);
        expect(failed.loadedByDataset, failed.key).toEqual({});
        expect(failed.counts.read, failed.key).toBeGreaterThan(0);
        expect(failed.counts.failed, failed.key).toBeGreaterThan(0);
        expect(accountedFor(failed.counts), failed.key).toBe(failed.counts.read);
      }
      expect(jobs[4]?.counts).toEqual({ read: 40, loaded: 0, quarantined: 0, deduplicated: 0, skipped: 0, failed: 40 });
      const lake = await runtime.query.query("SELECT count(*)::INT AS n FROM intakes");
      expect(lake.rows[0]?.n).toBe(500 + 1);
    } finally {
      restore();
    }
  });

  it("fails a gzip damaged mid-stream once, without a dead letter, and says how far it got", async () => {
    const gz = gzipSync(Buffer.from(austinCsv(30_000)));
    const job = await ingestFile(runtime, file("cut.csv.gz", gz.subarray(0, Math.floor(gz.length * 0.6))));
    expect(job.status).toBe("failed");
    expect(job.attempts).toBe(1);
    expect(job.error).toMatch(/cut\.csv\.gz is a damaged gzip file: .* \(after \d+ rows\)/);
    expect(await runtime.jobs.deadLetters()).toEqual([]);
    expect(job.counts.read).toBeGreaterThan(1000);
    expect(job.counts).toMatchObject({ loaded: 0, failed: job.counts.read });
  });

  it("fails a profile that breaks on a row once, naming the row; a row error only quarantines its row", async () => {
    const restore = [
      withProfile("test-type-error", (row) => (row === 3 ? new TypeError("cannot read x of undefined") : undefined)),
      withProfile("test-row-error", (row) => (row === 2 ? badInput("the shelter code is unknown") : undefined)),
    ];
    try {
      const broken = await ingestFile(runtime, file("a.csv", austinCsv(5)), { profile: "test-type-error" });
      expect(broken).toMatchObject({ status: "failed", attempts: 1 });
      expect(broken.error).toMatch(/^row 3 of a\.csv: the test-type-error profile could not map it \(cannot read x/);
      expect(await runtime.jobs.deadLetters()).toEqual([]);
      const rowError = await ingestFile(runtime, file("b.csv", austinCsv(5)), { profile: "test-row-error" });
      expect(rowError).toMatchObject({ status: "succeeded", counts: { read: 5, loaded: 4, quarantined: 1 } });
      expect(await runtime.jobs.readQuarantine(rowError.jobId)).toEqual([
        expect.objectContaining({ row: 2, reason: "row 2: the shelter code is unknown" }),
      ]);
    } finally {
      for (const r of restore) r();
    }
  });

  it("skips rows the species pre-filter rejects without mapping them", async () => {
    let mapped = 0;
    const profile: MappingProfile = {
      ...austinIntakes,
      name: "test-counting-maps",
      match: () => 0,
      mapRow: (values, ctx) => {
        mapped += 1;
        return austinIntakes.mapRow(values, ctx);
      },
    };
    PROFILES.push(profile);
    try {
      const rows = austinRows(30).map((r, i) => (i % 3 ? r.replace(",Cat,", ",Dog,") : r));
      const job = await ingestFile(runtime, file("c.csv", `${AUSTIN_HEADER}\n${rows.join("\n")}\n`), {
        profile: "test-counting-maps",
      });
      expect(job.counts).toEqual({ read: 30, loaded: 10, quarantined: 0, deduplicated: 0, skipped: 20 });
      expect(mapped).toBe(10);
    } finally {
      PROFILES.splice(PROFILES.indexOf(profile), 1);
    }
  });
});
