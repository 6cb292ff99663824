/**
 * Pins value checks against the lake's column types (validate-record.ts, schema.ts limits):
 * - an integer ≥ 2^31 in one row of a 51-row file quarantines THAT row, with a reason naming the row,
 *   the column and the limit; the other 50 rows load, in one attempt, nothing dead-lettered
 * - at the limit: INTEGER_MAX loads, INTEGER_MAX + 1 is quarantined; below INTEGER_MIN too
 * - DOUBLE, BOOLEAN, TIMESTAMP and DATE values that the column cannot hold are named the same way
 * - a value the Parquet writer still cannot take fails with the row and the column named
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { INTEGER_MAX, INTEGER_MIN } from "../cats/schema.js";
import { templateHeaders } from "../cats/template.js";
import { ParquetDatasetWriter } from "../lake/parquet-writer.js";
import { silentLogger } from "../log/logger.js";
import { openRuntime, type Runtime } from "../runtime.js";
import { tempConfig, tempDir } from "../testing/fixtures.js";
import { ingestFile } from "./ingest.js";
import { recordProblem } from "./validate-record.js";

let runtime: Runtime;
beforeEach(async () => {
  runtime = await openRuntime(tempConfig(), silentLogger);
});
afterEach(async () => runtime.close());

/** A TNR template file of `n` rows; `count(i)` is row i's (1-based) 頭数. */
function tnrFile(n: number, count: (row: number) => number | string): string {
  const header = templateHeaders("tnr", "en").join(",");
  const rows = Array.from(
    { length: n },
    (_, i) => `131041,2024-05-${String(1 + (i % 28)).padStart(2, "0")},area${i},male,${count(i + 1)},1000`,
  );
  const file = path.join(tempDir(), "tnr.csv");
  writeFileSync(file, `${header}\n${rows.join("\n")}\n`);
  return file;
}

const tnrRecord = (over: Record<string, unknown>) => ({
  municipality: "131041",
  fiscalYear: 2024,
  operatedOn: "2024-05-01",
  area: "a",
  sex: "male",
  count: 1,
  subsidyAmount: 1000,
  sourceJob: "j",
  sourceRow: 1,
  ...over,
});

describe("values checked against their column type", () => {
  it("quarantines the one row whose integer overflows INTEGER, and loads the rest", async () => {
    const job = await ingestFile(
      runtime,
      tnrFile(51, (r) => (r === 27 ? 3_000_000_000 : 2)),
      {
        municipality: "131041",
      },
    );
    expect(job.status, job.error ?? "").toBe("succeeded");
    expect(job.attempts).toBe(1);
    expect(job.counts).toMatchObject({ read: 51, loaded: 50, quarantined: 1 });
    const [q] = await runtime.jobs.readQuarantine(job.jobId);
    expect(q?.row).toBe(27);
    expect(q?.reason).toMatch(/^row 27: column count .*3000000000.*INTEGER limit 2147483647/);
    expect(await runtime.jobs.deadLetters()).toEqual([]);
    const lake = await runtime.query.query("SELECT count(*)::INT AS n, sum(count)::INT AS s FROM tnr");
    expect(lake.rows[0]).toEqual({ n: 50, s: 100 });
  });

  it("loads INTEGER_MAX and quarantines INTEGER_MAX + 1 (the limit)", async () => {
    const job = await ingestFile(
      runtime,
      tnrFile(3, (r) => [1, INTEGER_MAX, INTEGER_MAX + 1][r - 1] ?? 1),
      {
        municipality: "131041",
      },
    );
    expect(job.counts).toMatchObject({ read: 3, loaded: 2, quarantined: 1 });
    expect((await runtime.jobs.readQuarantine(job.jobId)).map((q) => q.row)).toEqual([3]);
    const lake = await runtime.query.query("SELECT max(count)::BIGINT AS m FROM tnr");
    expect(Number(lake.rows[0]?.m)).toBe(INTEGER_MAX);
  });

  it("names the column and the limit for every column type", () => {
    expect(recordProblem("tnr", tnrRecord({}))).toBeUndefined();
    expect(recordProblem("tnr", tnrRecord({ count: INTEGER_MIN }))).toBeUndefined();
    expect(recordProblem("tnr", tnrRecord({ count: INTEGER_MIN - 1 }))?.reason).toMatch(
      /column count .*below the INTEGER limit -2147483648/,
    );
    expect(recordProblem("tnr", tnrRecord({ count: 1.5 }))?.column).toBe("count");
    expect(recordProblem("tnr", tnrRecord({ subsidyAmount: Number.POSITIVE_INFINITY }))?.column).toBe("subsidy_amount");
    expect(recordProblem("tnr", tnrRecord({ operatedOn: "2023-02-30" }))?.reason).toMatch(
      /column operated_on .*"2023-02-30".*YYYY-MM-DD/,
    );
    expect(recordProblem("tnr", tnrRecord({ operatedOn: "2024-02-29" }))).toBeUndefined();
    expect(recordProblem("intakes", { intakeAt: "2019-01-03 16:19", altered: "yes" })?.column).toBe("intake_at");
    expect(recordProblem("intakes", { intakeAt: "2019-01-03T16:19:00", altered: "yes" })?.column).toBe("altered");
  });

  it("names the row and the column, or the rows, when the Parquet writer cannot take a value", async () => {
    const staging = mkdtempSync(path.join(os.tmpdir(), "catdata-writer-"));
    const writer = await ParquetDatasetWriter.open(staging, "tnr", "job1");
    expect(() => writer.append(tnrRecord({ count: 2 ** 40 }), 7)).toThrow(
      /^row 7: column count \(INTEGER\) value 1099511627776 could not be written to the tnr Parquet file/,
    );
    await writer.abort();
    const second = await ParquetDatasetWriter.open(staging, "tnr", "job1");
    await second.append(tnrRecord({}), 1);
    await second.append(tnrRecord({ operatedOn: "2023-02-30" }), 9);
    await expect(second.finish()).rejects.toThrow(
      /^writing rows 1–9 \(2 tnr records\) to Parquet failed: .*2023-02-30/,
    );
  });
});
