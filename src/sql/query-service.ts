import { randomUUID } from "node:crypto";
import type { ObjectStore } from "../store/object-store.js";
import { csv } from "../text/format.js";
import type { QueryEngine, QueryOptions, QueryResult } from "./query-engine.js";
import { assertReadOnlySql } from "./read-only.js";

/**
 * One SQL run as Athena does it, shared by the CLI and the API: the SQL is checked read-only,
 * run on the configured engine (with its row limit and timeout), and the result is also written
 * as CSV (formulas neutralised) to the store under
 * `athena-query-results/<yyyy>/<mm>/<dd>/<queryId>.csv` (UTC date). The query id is the engine's
 * own when it has one (Athena's QueryExecutionId), otherwise a new UUID.
 */
export const RESULTS_PREFIX = "athena-query-results/";

export interface QueryServiceDeps {
  query: QueryEngine;
  store: ObjectStore;
  now?: () => Date;
  newQueryId?: () => string;
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
  await deps.store.put(resultKey, Buffer.from(resultCsv(result)), {
    contentType: "text/csv; charset=utf-8",
    metadata: { queryid: queryId, truncated: String(result.truncated) },
  });
  return { queryId, columns: result.columns, rows: result.rows, truncated: result.truncated, resultKey };
}

/** The CSV of a result; with no rows it still has its header line. */
function resultCsv(result: QueryResult): string {
  if (result.rows.length > 0) return csv(result.rows);
  if (result.columns.length === 0) return "";
  const header = csv([Object.fromEntries(result.columns.map((c) => [c, null]))]);
  return `${header.split("\r\n")[0]}\r\n`;
}
