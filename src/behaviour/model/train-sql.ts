import type { DuckDb } from "../../duckdb/duckdb.js";
import { duckdbDialect } from "../../sql/dialect/dialect-duckdb.js";
import { type HighWaterMark, stagedEventsSql, TRAINING_AGGREGATIONS } from "../sql/build-training-sql.js";
import type { PrincipalBatch, ValueKind } from "./principal-counts.js";

/**
 * Runs the training SQL on DuckDB: stages the events after the high-water marks into a temporary
 * table, runs the four additive aggregations over it, and assembles one batch per principal.
 */
export interface SqlTrainingInput {
  source: string;
  sessionGapMs: number;
  marks: readonly HighWaterMark[];
  untilMs?: number;
}

type Row = Record<string, unknown>;
const num = (value: unknown) => Number(value ?? 0);
const str = (value: unknown) => (value === null || value === undefined ? "" : String(value));

export async function trainingBatches(db: DuckDb, input: SqlTrainingInput): Promise<Map<string, PrincipalBatch>> {
  const staged = stagedEventsSql(duckdbDialect, input);
  await db.run("DROP TABLE IF EXISTS staged");
  await db.run(`CREATE TEMP TABLE staged AS ${staged.sql}`, staged.params);
  const batches = new Map<string, PrincipalBatch>();
  for (const row of await db.all<Row>(TRAINING_AGGREGATIONS.principals)) {
    batches.set(str(row.principal), {
      principalType: str(row.principal_type) || "Unknown",
      events: num(row.events),
      errors: num(row.errors),
      denials: num(row.denials),
      firstMs: num(row.first_ms),
      lastMs: num(row.last_ms),
      lastId: str(row.last_id),
      tail: [str(row.tail_c1), str(row.tail_key)],
      transitions: [],
      values: [],
      hours: [],
    });
  }
  const batchOf = (row: Row) => batches.get(str(row.principal));
  for (const row of await db.all<Row>(TRAINING_AGGREGATIONS.transitions)) {
    batchOf(row)?.transitions.push([str(row.c2), str(row.c1), str(row.next), num(row.n)]);
  }
  for (const row of await db.all<Row>(TRAINING_AGGREGATIONS.values)) {
    batchOf(row)?.values.push([str(row.kind) as ValueKind, str(row.value), num(row.n)]);
  }
  for (const row of await db.all<Row>(TRAINING_AGGREGATIONS.hours))
    batchOf(row)?.hours.push([num(row.hour), num(row.n)]);
  await db.run("DROP TABLE staged");
  return batches;
}
