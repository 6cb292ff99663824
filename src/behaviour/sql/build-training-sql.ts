import type { SqlDialect } from "../../sql/dialect/dialect.js";
import { DENIAL_SQL_PATTERNS, START } from "../model/behaviour-event.js";

/**
 * Pure SQL builders of behaviour training, over the normalised trail table (`source`: DuckDB's
 * `read_parquet([...])` of the lake parts, or the same parts as an Athena table). Training is
 * aggregation: `stagedEventsSql` numbers each principal's events in canonical order (time, event id),
 * takes each event's session context with LAG (the previous two keys if within the session gap,
 * START otherwise) and keeps the events after the principal's high-water mark; the aggregations
 * over it are additive counts. Only our own constants are inlined; every value is a parameter.
 */
export interface HighWaterMark {
  principal: string;
  lastMs: number;
  lastId: string;
}

export interface TrainingSqlOptions {
  source: string;
  sessionGapMs: number;
  marks: readonly HighWaterMark[];
  /** Only events strictly before this time (a model of history before `since`). */
  untilMs?: number;
}

export interface BoundSql {
  sql: string;
  params: (string | number)[];
}

/** Deduplicated (one row per event id), timed, non-Insights events with epoch-ms time `t`. */
export function eventsCte(dialect: SqlDialect, source: string, untilParam?: string): string {
  const until = untilParam ? ` AND ${dialect.epochMs("event_time")} < ${untilParam}` : "";
  return `SELECT * FROM (
      SELECT event_id, principal, principal_type, event_key, event_name, region, source_ip, user_agent,
             user_agent_family, read_only, error_code, raw, ${dialect.epochMs("event_time")} AS t,
             row_number() OVER (PARTITION BY event_id ORDER BY source_file, record_index) AS copy
      FROM ${source}
      WHERE event_time IS NOT NULL AND NOT coalesce(is_insight, false)${until}
    ) AS d WHERE copy = 1`;
}

export function stagedEventsSql(dialect: SqlDialect, options: TrainingSqlOptions): BoundSql {
  const params: (string | number)[] = [];
  const bind = (value: string | number) => {
    params.push(value);
    return dialect.param(params.length);
  };
  const untilParam = options.untilMs === undefined ? undefined : bind(options.untilMs);
  const marks =
    options.marks.length === 0
      ? "SELECT CAST(NULL AS VARCHAR) AS principal, CAST(NULL AS BIGINT) AS t, CAST(NULL AS VARCHAR) AS event_id WHERE 1 = 0"
      : `SELECT * FROM (VALUES ${options.marks
          .map((m) => `(${bind(m.principal)}, CAST(${bind(m.lastMs)} AS BIGINT), ${bind(m.lastId)})`)
          .join(", ")}) AS v(principal, t, event_id)`;
  const gap = Math.round(options.sessionGapMs);
  const start = dialect.literal(START);
  const order = "PARTITION BY principal ORDER BY t, event_id";
  const denied = DENIAL_SQL_PATTERNS.map((p) => `error_code LIKE ${dialect.literal(p)}`).join(" OR ");
  const sql = `WITH events AS (
    ${eventsCte(dialect, options.source, untilParam)}
  ), lagged AS (
    SELECT *,
      lag(event_key, 1) OVER (${order}) AS k1, lag(t, 1) OVER (${order}) AS t1,
      lag(event_key, 2) OVER (${order}) AS k2, lag(t, 2) OVER (${order}) AS t2,
      row_number() OVER (PARTITION BY principal ORDER BY t DESC, event_id DESC) AS from_last
    FROM events
  ), marks AS (
    ${marks}
  )
  SELECT l.event_id, l.principal, l.principal_type, l.event_key, l.region, l.source_ip, l.user_agent, l.t,
    l.from_last, CASE WHEN l.error_code IS NULL THEN 0 ELSE 1 END AS is_error,
    CASE WHEN ${denied} THEN 1 ELSE 0 END AS is_denial,
    CAST(floor(l.t / 3600000.0) AS BIGINT) AS hour,
    CASE WHEN l.k1 IS NOT NULL AND l.t - l.t1 <= ${gap} THEN l.k1 ELSE ${start} END AS c1,
    CASE WHEN l.k2 IS NOT NULL AND l.t - l.t1 <= ${gap} AND l.t1 - l.t2 <= ${gap} THEN l.k2 ELSE ${start} END AS c2
  FROM lagged AS l LEFT JOIN marks AS m ON m.principal = l.principal
  WHERE m.principal IS NULL OR l.t > m.t OR (l.t = m.t AND l.event_id > m.event_id)`;
  return { sql, params };
}

/** The aggregations over the staged events (a table or CTE named `staged`), all additive. */
export const TRAINING_AGGREGATIONS = {
  principals: `SELECT principal, count(*) AS events, sum(is_error) AS errors, sum(is_denial) AS denials,
      min(t) AS first_ms, max(t) AS last_ms,
      max(CASE WHEN from_last = 1 THEN event_id END) AS last_id,
      max(CASE WHEN from_last = 1 THEN principal_type END) AS principal_type,
      max(CASE WHEN from_last = 1 THEN c1 END) AS tail_c1,
      max(CASE WHEN from_last = 1 THEN event_key END) AS tail_key
    FROM staged GROUP BY principal`,
  transitions:
    "SELECT principal, c2, c1, event_key AS next, count(*) AS n FROM staged GROUP BY principal, c2, c1, event_key",
  values: `SELECT principal, 'region' AS kind, region AS value, count(*) AS n FROM staged WHERE region IS NOT NULL GROUP BY principal, region
    UNION ALL SELECT principal, 'sourceIp', source_ip, count(*) FROM staged WHERE source_ip IS NOT NULL GROUP BY principal, source_ip
    UNION ALL SELECT principal, 'userAgent', user_agent, count(*) FROM staged WHERE user_agent IS NOT NULL GROUP BY principal, user_agent`,
  hours: "SELECT principal, hour, count(*) AS n FROM staged GROUP BY principal, hour",
} as const;

/** For engines without temporary tables (Athena): one statement per aggregation. */
export const withStaged = (staged: string, aggregation: string): string => `WITH staged AS (${staged}) ${aggregation}`;
