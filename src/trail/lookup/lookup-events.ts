import { DuckDb } from "../../duckdb/duckdb.js";
import type { TrailLake } from "../lake/trail-lake.js";
import { type Cursor, decodeCursor, encodeCursor } from "./lookup-cursor.js";
import { type LookupFilter, normaliseLookup } from "./lookup-filter.js";
import { buildLookupSql } from "./lookup-sql.js";

/**
 * CloudTrail's LookupEvents over the lake: same filters, same page size limits, same `Event`
 * shape (plus our `principal`), an opaque `nextToken`. Reads the Parquet parts with a private
 * in-memory DuckDB, so any number of processes can look up while another one loads.
 */
export interface LookupEvent {
  EventId: string;
  EventName: string | null;
  /** "true" / "false" as in the API; null when unknown. */
  ReadOnly: "true" | "false" | null;
  AccessKeyId: string | null;
  /** ISO 8601 UTC, null for records without a usable time. */
  EventTime: string | null;
  EventSource: string | null;
  Username: string | null;
  Resources: { ResourceType: string | null; ResourceName: string | null }[];
  /** The record as JSON text. */
  CloudTrailEvent: string;
  principal: string;
}

export interface LookupResult {
  events: LookupEvent[];
  nextToken?: string;
}

export type { LookupAttribute, LookupAttributeKey, LookupFilter } from "./lookup-filter.js";

interface Row {
  event_id: string;
  event_name: string | null;
  read_only: boolean | null;
  access_key_id: string | null;
  event_ms: string | number | null;
  event_source: string | null;
  user_name: string | null;
  resource_types: string[] | null;
  resource_names: string[] | null;
  raw: string;
  principal: string;
  record_hash: string;
}

export async function lookupEvents(lake: TrailLake, filter: LookupFilter = {}): Promise<LookupResult> {
  const query = normaliseLookup(filter);
  const cursor = filter.nextToken ? decodeCursor(filter.nextToken, query) : undefined;
  const parts = await lake.parts();
  if (parts.length === 0) return { events: [] };
  const { sql, params } = buildLookupSql(parts, query, cursor);
  const db = await DuckDb.open(":memory:");
  let rows: Row[];
  try {
    rows = await db.all<Row & Record<string, unknown>>(sql, params);
  } finally {
    db.close();
  }
  const page = rows.slice(0, query.maxResults);
  const last = page[page.length - 1];
  const events = page.map(toEvent);
  if (rows.length <= query.maxResults || !last) return { events };
  const next: Cursor = {
    t: last.event_ms === null ? null : Number(last.event_ms),
    id: last.event_id,
    h: last.record_hash,
  };
  return { events, nextToken: encodeCursor(next, query) };
}

function toEvent(row: Row): LookupEvent {
  const types = row.resource_types ?? [];
  const names = row.resource_names ?? [];
  return {
    EventId: row.event_id,
    EventName: row.event_name,
    ReadOnly: row.read_only === null ? null : row.read_only ? "true" : "false",
    AccessKeyId: row.access_key_id,
    EventTime: row.event_ms === null ? null : new Date(Number(row.event_ms)).toISOString(),
    EventSource: row.event_source,
    Username: row.user_name,
    Resources: types.map((type, i) => ({ ResourceType: type || null, ResourceName: names[i] || null })),
    CloudTrailEvent: row.raw,
    principal: row.principal,
  };
}
