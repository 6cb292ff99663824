import { randomUUID } from "node:crypto";
import { DEFAULT_MAX_RESULT_BYTES, type ResultsConfig } from "../config/results-config.js";
import type { ObjectStore } from "../store/object-store.js";
import { csvLines } from "../text/csv.js";
import type { QueryEngine, QueryOptions, QueryResult } from "./query-engine.js";
import { assertReadOnlySql } from "./read-only.js";
import { linesWithin } from "./result-size.js";

/**
 * One SQL run as Athena does it, shared by the CLI and the API: the SQL is checked read-only,
 * run on the configured engine (with its row limit and timeout), and the result is also written
 * as CSV (formulas neutralised) to the store under
 * `athena-query-results/<yyyy>/<mm>/<dd>/<queryId>.csv` (UTC date). The query id is the engine's
 * own when it has one (Athena's QueryExecutionId), otherwise a new UUID. A result whose CSV is over
 * the byte cap (`config.results.maxBytes`) is refused with 400 while it is written, and nothing is stored.
 */
export const RESULTS_PREFIX = "athena-query-results/";

export interface QueryServiceDeps {
  query: QueryEngine;
  store: ObjectStore;
  now?: () => Date;
  newQueryId?: () => string;
  /** The byte cap on results (the runtime passes its config); default DEFAULT_MAX_RESULT_BYTES. */
  config?: { results: ResultsConfig };
}

export interface QueryRun extends QueryResult {
  queryId: string;
  /** Where the CSV of the result is in the store. */
  resultKey: string;
}

export function resultKeyFor(queryId: string, at: Date): string {
  const [yyyy, mm, dd] = at.toISOString().slice(0, 10).split("-");
  return `${RESULTS_PREFIX}${yyyy}/${mm}/${dd}/${queryId}.csv`;
}

export async function runQuery(deps: QueryServiceDeps, sql: string, options: QueryOptions = {}): Promise<QueryRun> {
  await assertReadOnlySql(sql);
  const result = await deps.query.query(sql, options);
  const queryId = result.queryId ?? (deps.newQueryId ?? randomUUID)();
  const resultKey = resultKeyFor(queryId, (deps.now ?? (() => new Date()))());
  const maxBytes = deps.config?.results.maxBytes ?? DEFAULT_MAX_RESULT_BYTES;
  await deps.store.put(resultKey, Buffer.from(resultCsv(result, maxBytes)), {
    contentType: "text/csv; charset=utf-8",
    metadata: { queryid: queryId, truncated: String(result.truncated) },
  });
  return { queryId, columns: result.columns, rows: result.rows, truncated: result.truncated, resultKey };
}

/** The CSV of a result, within `maxBytes`; with no rows it still has its header line (no columns: empty). */
function resultCsv(result: QueryResult, maxBytes: number): string {
  const columns = result.columns.length > 0 ? result.columns : Object.keys(result.rows[0] ?? {});
  if (columns.length === 0) return "";
  return linesWithin(csvLines(columns, result.rows), maxBytes);
}
