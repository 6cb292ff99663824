/**
 * Pins the ingest slice: a CSV put under raw/ queues a process-cat-data job, `ingestFile` waits for it
 * on the job record, and its rows become queryable.
 * - Austin's real intakes file: every cat row is accounted for (loaded + quarantined + deduplicated),
 *   counted independently with DuckDB's own CSV reader
 * - `put` returns once the version exists, with the job only queued (the ETL runs on the queue's
 *   worker); waiting on the job record reports its progress and ends with the finished job
 * - a re-delivered put event does not duplicate rows (exactly once per object version)
 * - uploading the same file again is a duplicate job; nothing is loaded twice
 * - bad input (empty, header only, binary) fails the job with a clear reason; the raw version stays
 * - negative ages and 13th months are quarantined with their reason
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DuckDb, literal } from "../duckdb/duckdb.js";
import { silentLogger } from "../log/logger.js";
import { openRuntime, type Runtime } from "../runtime.js";
import { austinCsv } from "../testing/austin-rows.js";
import { hasSamples, sample, tempConfig, tempDir } from "../testing/fixtures.js";
import { ingestFile } from "./ingest.js";
import { jobIdFor } from "./job-log.js";
import { createProcessCatData } from "./process-cat-data.js";

const HEADER =
  "Animal ID,Name,DateTime,MonthYear,Found Location,Intake Type,Intake Condition,Animal Type,Sex upon Intake,Age upon Intake,Breed,Color";
const row = (id: string, when: string, type = "Cat", age = "2 years") =>
  `${id},Tom,${when},${when},Somewhere in Austin (TX),Stray,Normal,${type},Intact Male,${age},Domestic Shorthair,Black`;

let runtime: Runtime;
let dir: string;
beforeEach(async () => {
  runtime = await openRuntime(tempConfig(), silentLogger);
  dir = tempDir();
});
afterEach(async () => runtime.close());

function file(name: string, content: string | Buffer): string {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
}

describe("ingest", () => {
  it("loads cat rows, skips other animals, quarantines bad values, dedups repeats", async () => {
    const csv = [
      HEADER,
      row("A1", "01/03/2019 04:19:00 PM"),
      row("A2", "10/01/2019 09:00:00 AM", "Cat", "3 weeks"),
      row("A3", "01/03/2019 04:19:00 PM", "Dog"),
      row("A4", "13/03/2019 04:19:00 PM"),
      row("A5", "01/03/2019 04:19:00 PM", "Cat", "-1 years"),
      row("A1", "01/03/2019 04:19:00 PM"),
    ].join("\r\n");
    const job = await ingestFile(runtime, file("austin.csv", csv));
    expect(job.status).toBe("succeeded");
    expect(job.profile).toBe("austin-intakes");
    expect(job.counts).toEqual({ read: 6, loaded: 2, quarantined: 2, deduplicated: 1, skipped: 1 });
    const q = await runtime.jobs.readQuarantine(job.jobId);
    expect(q.map((r) => r.reason)).toEqual([expect.stringMatching(/month 13/), expect.stringMatching(/negative/)]);
    const result = await runtime.query.query(
      "SELECT animal_id, fiscal_year, age_class, intake_type FROM intakes ORDER BY animal_id",
    );
    expect(result.rows).toEqual([
      { animal_id: "A1", fiscal_year: 2018, age_class: "adult", intake_type: "stray" },
      { animal_id: "A2", fiscal_year: 2019, age_class: "kitten", intake_type: "stray" },
    ]);
  });

  it("returns from put with the job queued, and reports progress from the job record", async () => {
    const key = "raw/us-tx-austin/2026-01-10/big.csv";
    const body = Buffer.from(austinCsv(20_000));
    const version = await runtime.store.put(key, body, { metadata: { municipality: "us-tx-austin" } });
    const jobId = jobIdFor(runtime.store.bucket, key, version.versionId);
    expect((await runtime.jobs.get(jobId))?.status).toMatch(/^(queued|running)$/);
    const progress: number[] = [];
    const done = await runtime.jobs.waitFor(jobId, {
      onProgress: (j) => progress.push(j.progress?.bytesRead ?? 0),
      timeoutMs: 60_000,
    });
    expect(done).toMatchObject({ status: "succeeded", counts: { read: 20_000, loaded: 20_000 } });
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.every((b) => b > 0 && b <= body.length)).toBe(true);
    expect(done.progress).toMatchObject({ bytesRead: body.length, totalBytes: body.length });
  });

  it("processes a re-delivered event once and marks a re-upload as duplicate", async () => {
    const p = file("a.csv", [HEADER, row("A1", "01/03/2019 04:19:00 PM")].join("\n"));
    const job = await ingestFile(runtime, p);
    const again = createProcessCatData({
      store: runtime.store,
      lake: runtime.lake,
      jobs: runtime.jobs,
      logger: silentLogger,
    });
    const head = await runtime.store.head(job.key, job.versionId);
    const [redelivered] = await again({
      Records: [
        {
          eventSource: "catdata:store",
          eventName: "ObjectCreated:Put",
          eventTime: "",
          s3: {
            bucket: { name: job.bucket },
            object: { key: job.key, size: head.size, versionId: job.versionId, sequencer: job.versionId },
          },
        },
      ],
    });
    expect(redelivered?.jobId).toBe(job.jobId);
    const dup = await ingestFile(runtime, p);
    expect(dup.status).toBe("duplicate");
    expect(dup.duplicateOf).toBe(job.jobId);
    const count = await runtime.query.query("SELECT count(*)::INT AS n FROM intakes");
    expect(count.rows[0]).toEqual({ n: 1 });
  });

  it("fails empty, header-only and binary files with a reason and keeps the raw version", async () => {
    const cases: [string, string | Buffer, RegExp][] = [
      ["empty.csv", "", /is empty/],
      ["header.csv", `${HEADER}\r\n`, /header but no data rows/],
      ["zip.csv", Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]), /cannot be read as CSV/],
      ["nul.csv", Buffer.from([0x41, 0x00, 0x42, 0x0a]), /NUL bytes/],
    ];
    for (const [name, content, reason] of cases) {
      const job = await ingestFile(runtime, file(name, content));
      expect(job.status, name).toBe("failed");
      expect(job.error, name).toMatch(reason);
      const kept = await runtime.store.get(job.key, job.versionId);
      expect(kept.equals(Buffer.from(content)), name).toBe(true);
    }
  });
});

describe.skipIf(!hasSamples)("ingest of the real Austin intakes file", () => {
  it("accounts for every cat row, counted independently by DuckDB's CSV reader", async () => {
    const csv = sample("cats", "austin-aac-intakes-2013-2020", "Austin_Animal_Center_Intakes.csv");
    const db = await DuckDb.open(":memory:");
    const [expected] = await db.all<{ rows: number; cats: number }>(
      `SELECT count(*)::INT AS rows, count(*) FILTER (WHERE "Animal Type" = 'Cat')::INT AS cats FROM read_csv(${literal(csv)}, header = true, all_varchar = true)`,
    );
    db.close();
    expect(expected).toEqual({ rows: 117_169, cats: 43_684 });
    const job = await ingestFile(runtime, csv);
    expect(job.status).toBe("succeeded");
    expect(job.counts.read).toBe(expected?.rows);
    expect(job.counts.read - job.counts.skipped).toBe(expected?.cats);
    expect(job.counts.loaded + job.counts.quarantined + job.counts.deduplicated).toBe(expected?.cats);
    const lake = await runtime.query.query("SELECT count(*)::INT AS n FROM intakes");
    expect(lake.rows[0]?.n).toBe(job.counts.loaded);
  });
});
