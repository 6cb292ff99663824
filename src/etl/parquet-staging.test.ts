/**
 * Pins the Parquet writer's flush limit (FLUSH_EVERY_RECORDS, here a small flushEvery): exactly
 * flushEvery records make one set of parts, one more starts a second; every record is written once.
 */
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DuckDb, literal } from "../duckdb/duckdb.js";
import { ParquetDatasetWriter } from "../lake/parquet-writer.js";

const record = (i: number) => ({
  municipality: "131041",
  fiscalYear: 2024,
  operatedOn: "2024-05-01",
  area: `a${i}`,
  sex: "male",
  count: i,
  subsidyAmount: null,
  sourceJob: "j",
  sourceRow: i,
});

async function write(n: number, flushEvery: number) {
  const staging = mkdtempSync(path.join(os.tmpdir(), "catdata-staging-"));
  const writer = await ParquetDatasetWriter.open(staging, "tnr", "job1", flushEvery);
  for (let i = 1; i <= n; i++) await writer.append(record(i), i);
  const files = await writer.finish();
  const db = await DuckDb.open(":memory:");
  const [r] = await db.all<{ n: number; s: number }>(
    `SELECT count(*)::INT AS n, sum(count)::INT AS s FROM read_parquet(${literal(path.join(staging, "tnr", "**", "*.parquet"))})`,
  );
  db.close();
  return { parts: new Set(files.map((f) => /part-job1-(\d+)-/.exec(f)?.[1])).size, ...r };
}

describe("Parquet staging", () => {
  it("flushes once at the limit and again one past it", async () => {
    expect(await write(3, 3)).toEqual({ parts: 1, n: 3, s: 6 });
    expect(await write(4, 3)).toEqual({ parts: 2, n: 4, s: 10 });
    expect(await write(7, 3)).toEqual({ parts: 3, n: 7, s: 28 });
  });
});
