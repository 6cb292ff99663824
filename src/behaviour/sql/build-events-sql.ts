import type { SqlDialect } from "../../sql/dialect/dialect.js";
import { PARAMETER_CHECKED } from "../anomaly/sensitive-parameters.js";
import { eventsCte } from "./build-training-sql.js";

/**
 * Pure SQL builder: the behaviour events of the trail table in canonical order (time, event id),
 * optionally within [since, until) and for one principal. The raw record comes back only for the
 * few event names whose parameters the anomaly score reads.
 */
export interface EventsSqlOptions {
  source: string;
  sinceMs?: number;
  untilMs?: number;
  principal?: string;
}

export function buildEventsSql(
  dialect: SqlDialect,
  options: EventsSqlOptions,
): { sql: string; params: (string | number)[] } {
  const params: (string | number)[] = [];
  const bind = (value: string | number) => {
    params.push(value);
    return dialect.param(params.length);
  };
  const where: string[] = [];
  if (options.sinceMs !== undefined) where.push(`t >= ${bind(options.sinceMs)}`);
  if (options.untilMs !== undefined) where.push(`t < ${bind(options.untilMs)}`);
  if (options.principal !== undefined) where.push(`principal = ${bind(options.principal)}`);
  const checked = PARAMETER_CHECKED.map((name) => dialect.literal(name)).join(", ");
  const sql = `SELECT event_id, t, principal, principal_type, event_key, region, source_ip, user_agent,
      user_agent_family, read_only, error_code, CASE WHEN event_name IN (${checked}) THEN raw END AS raw
    FROM (${eventsCte(dialect, options.source)}) AS e
    ${where.length > 0 ? `WHERE ${where.join(" AND ")}` : ""}
    ORDER BY t, event_id`;
  return { sql, params };
}
