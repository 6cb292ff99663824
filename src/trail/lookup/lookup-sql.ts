import { DuckDBTimestampValue, type DuckDBValue } from "@duckdb/node-api";
import { trailPartsSql } from "../lake/parts-fingerprint.js";
import type { Cursor } from "./lookup-cursor.js";
import type { LookupAttribute, NormalisedLookup } from "./lookup-filter.js";

/**
 * Builds the LookupEvents query over the trail's Parquet parts. Pure: SQL text plus positional
 * parameters; every user value is a bound parameter (only our own part paths are inlined, as
 * table functions take no parameters). Identical records (same raw JSON, e.g. a file delivered
 * twice) are folded into one event. Order: event time descending (events without a time last),
 * then event id, then record hash — a total order, so keyset paging has no gaps or repeats.
 */
export interface LookupSql {
  sql: string;
  params: DuckDBValue[];
}

const ts = (ms: number) => new DuckDBTimestampValue(BigInt(ms) * 1000n);

export function buildLookupSql(parts: readonly string[], query: NormalisedLookup, cursor?: Cursor): LookupSql {
  const params: DuckDBValue[] = [];
  const bind = (value: DuckDBValue) => {
    params.push(value);
    return `$${params.length}`;
  };
  const where = [query.insights ? "coalesce(is_insight, false)" : "NOT coalesce(is_insight, false)"];
  for (const attribute of query.attributes) where.push(attributeCondition(attribute, bind));
  if (query.startMs !== undefined) where.push(`event_time >= ${bind(ts(query.startMs))}`);
  if (query.endMs !== undefined) where.push(`event_time <= ${bind(ts(query.endMs))}`);
  const after = cursor ? `WHERE ${cursorCondition(cursor, bind)}` : "";
  const sql = `
    WITH matched AS (
      SELECT * FROM ${trailPartsSql(parts)}
      WHERE ${where.join("\n        AND ")}
    ), folded AS (
      SELECT * FROM matched
      QUALIFY row_number() OVER (PARTITION BY record_hash ORDER BY source_file, record_index) = 1
    )
    SELECT event_id, event_name, read_only, access_key_id, epoch_ms(event_time) AS event_ms, event_source,
           user_name, resource_types, resource_names, raw, principal, record_hash
    FROM folded
    ${after}
    ORDER BY event_time DESC NULLS LAST, event_id, record_hash
    LIMIT ${query.maxResults + 1}`;
  return { sql, params };
}

function attributeCondition(attribute: LookupAttribute, bind: (value: DuckDBValue) => string): string {
  const value = attribute.attributeValue;
  switch (attribute.attributeKey) {
    case "EventId":
      return `event_id = ${bind(value)}`;
    case "EventName":
      return `event_name = ${bind(value)}`;
    case "EventSource":
      return `event_source = ${bind(value)}`;
    case "AccessKeyId":
      return `access_key_id = ${bind(value)}`;
    case "ReadOnly":
      return `read_only = ${bind(value.toLowerCase() === "true")}`;
    case "Username": {
      const p = bind(value);
      return `(user_name = ${p} OR principal = ${p} OR session_name = ${p})`;
    }
    case "ResourceType":
      return `list_contains(resource_types, ${bind(value)})`;
    case "ResourceName": {
      const p = bind(value);
      return `EXISTS (SELECT 1 FROM unnest(resource_names) AS r(n) WHERE n = ${p} OR ends_with(n, '/' || ${p}) OR ends_with(n, ':' || ${p}))`;
    }
  }
}

function cursorCondition(cursor: Cursor, bind: (value: DuckDBValue) => string): string {
  const id = bind(cursor.id);
  const hash = bind(cursor.h);
  const sameTimeAfter = `(event_id > ${id} OR (event_id = ${id} AND record_hash > ${hash}))`;
  if (cursor.t === null) return `(event_time IS NULL AND ${sameTimeAfter})`;
  const t = bind(ts(cursor.t));
  return `(event_time < ${t} OR event_time IS NULL OR (event_time = ${t} AND ${sameTimeAfter}))`;
}
