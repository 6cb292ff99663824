import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { DuckDb } from "../duckdb/duckdb.js";
import { DataDir } from "../local/data-dir.js";
import { LocalTrailLake } from "../trail/lake/local-trail-lake.js";
import { trailPartsSql } from "../trail/lake/parts-fingerprint.js";
import type { TrailLake } from "../trail/lake/trail-lake.js";

/** Test helpers: an empty local trail lake in a temporary data directory, and SQL over a lake's parts. */
export function tempTrailLake(prefix = "catdata-lake-"): LocalTrailLake {
  return new LocalTrailLake(new DataDir(mkdtempSync(path.join(os.tmpdir(), prefix))).trail);
}

/** Runs `sql` with `events` standing for the lake's rows; no rows when the lake is empty. */
export async function queryTrailLake<T extends Record<string, unknown>>(lake: TrailLake, sql: string): Promise<T[]> {
  const parts = await lake.parts();
  if (parts.length === 0) return [];
  const db = await DuckDb.open(":memory:");
  try {
    return await db.all<T>(sql.replace("events", trailPartsSql(parts)));
  } finally {
    db.close();
  }
}
