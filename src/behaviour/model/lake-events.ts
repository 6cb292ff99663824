import { DuckDb } from "../../duckdb/duckdb.js";
import { duckdbDialect } from "../../sql/dialect/dialect-duckdb.js";
import { trailPartsSql } from "../../trail/lake/parts-fingerprint.js";
import type { TrailLake } from "../../trail/lake/trail-lake.js";
import { buildEventsSql, type EventsSqlOptions } from "../sql/build-events-sql.js";
import type { BehaviourEvent } from "./behaviour-event.js";

/**
 * Reads behaviour events from the trail lake (its Parquet parts, with a private in-memory DuckDB so
 * loads can run meanwhile), in canonical order. An empty lake gives no events.
 */
interface Row {
  event_id: string;
  t: number | string;
  principal: string;
  principal_type: string | null;
  event_key: string;
  region: string | null;
  source_ip: string | null;
  user_agent: string | null;
  user_agent_family: string | null;
  read_only: boolean | null;
  error_code: string | null;
  raw: string | null;
}

export const toBehaviourEvent = (row: Row): BehaviourEvent => ({
  eventId: row.event_id,
  timeMs: Number(row.t),
  principal: row.principal,
  principalType: row.principal_type ?? "Unknown",
  eventKey: row.event_key,
  region: row.region,
  sourceIp: row.source_ip,
  userAgent: row.user_agent,
  userAgentFamily: row.user_agent_family,
  readOnly: row.read_only,
  errorCode: row.error_code,
  raw: row.raw,
});

export async function readLakeEvents(
  trail: TrailLake,
  options: Omit<EventsSqlOptions, "source"> = {},
): Promise<BehaviourEvent[]> {
  const parts = await trail.parts();
  if (parts.length === 0) return [];
  const { sql, params } = buildEventsSql(duckdbDialect, { ...options, source: trailPartsSql(parts) });
  const db = await DuckDb.open(":memory:");
  try {
    const rows = await db.all<Row & Record<string, unknown>>(sql, params);
    return rows.map(toBehaviourEvent);
  } finally {
    db.close();
  }
}
