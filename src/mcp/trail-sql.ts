import path from "node:path";
import { DuckDBInstance, type DuckDBValue, type DuckDBInstance as Instance } from "@duckdb/node-api";
import { literal } from "../duckdb/duckdb.js";
import { badInput, CatdataError } from "../errors.js";
import { assertReadOnlySql } from "../sql/read-only.js";
import { createTrailTableSql } from "../trail/lake/lake-schema.js";
import { trailPartsSql } from "../trail/lake/parts-fingerprint.js";
import type { TrailLake } from "../trail/lake/trail-lake.js";

/**
 * SQL over the trail lake for the MCP tools: one table, `events` (the lake's columns: event_time,
 * event_source, event_name, principal, user_name, source_ip, error_code, raw, …; records delivered
 * twice counted once, as lookup_events does), in a private in-memory DuckDB locked down before any
 * SQL runs: only the parts' folders are readable (`allowed_directories`), then no other file, URL,
 * ATTACH or extension (`enable_external_access = false`, `lock_configuration = true`). A model's SQL
 * also passes the platform's read-only check first (one SELECT / WITH … SELECT, no table functions,
 * no file names), is wrapped in a LIMIT and stopped at its timeout.
 */
export const TRAIL_TABLE = "events";
/** A lake_query keeps at most this many rows (for get_query_results to page through). */
export const TRAIL_SQL_MAX_ROWS = 1_000;
/** A lake_query is stopped after this long. */
export const TRAIL_SQL_TIMEOUT_MS = 30_000;

export interface TrailSqlResult {
  columns: string[];
  rows: Record<string, unknown>[];
  /** True when TRAIL_SQL_MAX_ROWS (or the given maxRows) cut the result. */
  truncated: boolean;
  elapsedMs: number;
}

export interface TrailSqlOptions {
  maxRows?: number;
  timeoutMs?: number;
  params?: DuckDBValue[];
  /** The clock, in ms, for elapsedMs. */
  now?: () => number;
}

const HINT = `send one SELECT over the table ${TRAIL_TABLE}, e.g. SELECT event_name, count(*) FROM ${TRAIL_TABLE} GROUP BY 1 ORDER BY 2 DESC`;

/** A model's SQL: checked read-only, then run. Refusals and SQL errors are BAD_INPUT with the reason. */
export async function runReadOnlyTrailSql(
  trail: TrailLake,
  sql: string,
  options: TrailSqlOptions = {},
): Promise<TrailSqlResult> {
  try {
    await assertReadOnlySql(sql);
  } catch (error) {
    if (error instanceof CatdataError) throw badInput(`lake_query refused the SQL: ${error.message}`, HINT);
    throw error;
  }
  return runTrailSql(trail, sql, options);
}

/** Runs one SELECT over `events` (our own SQL, or a model's already checked by runReadOnlyTrailSql). */
export async function runTrailSql(
  trail: TrailLake,
  sql: string,
  options: TrailSqlOptions = {},
): Promise<TrailSqlResult> {
  const now = options.now ?? (() => performance.now());
  const maxRows = options.maxRows ?? TRAIL_SQL_MAX_ROWS;
  const timeoutMs = options.timeoutMs ?? TRAIL_SQL_TIMEOUT_MS;
  const started = now();
  const instance = await lockedDown(await trail.parts());
  const connection = await instance.connect();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    connection.interrupt();
  }, timeoutMs);
  try {
    const body = sql.trim().replace(/;+\s*$/, "");
    const statements = await connection.extractStatements(`SELECT * FROM (\n${body}\n) AS q LIMIT ${maxRows + 1}`);
    if (statements.count !== 1) throw badInput("only one SELECT statement is allowed", HINT);
    const prepared = await statements.prepare(0);
    if (options.params) prepared.bind(options.params);
    const reader = await prepared.runAndReadAll();
    const rows = reader.getRowObjectsJson() as Record<string, unknown>[];
    const truncated = rows.length > maxRows;
    if (truncated) rows.pop();
    return { columns: reader.columnNames(), rows, truncated, elapsedMs: Math.round(now() - started) };
  } catch (error) {
    if (timedOut) {
      throw badInput(
        `the query was stopped after ${timeoutMs / 1000} s`,
        "narrow it: a time window, a WHERE filter, an aggregate",
      );
    }
    if (error instanceof CatdataError) throw error;
    throw badInput(`the query failed: ${firstLine(error)}`, HINT);
  } finally {
    clearTimeout(timer);
    connection.closeSync();
    instance.closeSync();
  }
}

async function lockedDown(parts: readonly string[]): Promise<Instance> {
  const instance = await DuckDBInstance.create(":memory:");
  const admin = await instance.connect();
  try {
    const folders = [...new Set(parts.map((p) => `${path.dirname(p)}${path.sep}`))];
    if (folders.length > 0) await admin.run(`SET allowed_directories = [${folders.map(literal).join(", ")}]`);
    await admin.run("SET enable_external_access = false");
    await admin.run("SET lock_configuration = true");
    if (parts.length === 0) await admin.run(createTrailTableSql(TRAIL_TABLE));
    else
      await admin.run(
        `CREATE VIEW ${TRAIL_TABLE} AS SELECT * FROM ${trailPartsSql(parts)}
         QUALIFY row_number() OVER (PARTITION BY record_hash ORDER BY source_file, record_index) = 1`,
      );
    return instance;
  } catch (error) {
    instance.closeSync();
    throw error;
  } finally {
    admin.closeSync();
  }
}

const firstLine = (error: unknown) =>
  (error instanceof Error ? error.message : String(error))
    .replace(/^Failed to extract statements: /, "")
    .split("\n")[0];
