import { type DuckDBAppender, DuckDBTimestampValue, LIST, VARCHAR } from "@duckdb/node-api";
import type { TrailEvent } from "../parse/trail-event.js";

/**
 * The Parquet schema of `lake/trail/events` (snake_case columns, one per `TrailEvent` field) and
 * how a `TrailEvent` is appended to a DuckDB table of that schema. `event_time` is a TIMESTAMP in
 * UTC (no zone stored), so range filters and ordering are native in DuckDB and Athena alike.
 */
type ColumnType = "VARCHAR" | "TIMESTAMP" | "BOOLEAN" | "INTEGER" | "VARCHAR[]";
type Value = string | number | boolean | null | string[];

interface Column {
  name: string;
  type: ColumnType;
  get: (e: TrailEvent) => Value;
}

export const TRAIL_COLUMNS: readonly Column[] = [
  { name: "event_id", type: "VARCHAR", get: (e) => e.eventId },
  { name: "event_time", type: "TIMESTAMP", get: (e) => e.eventTime },
  { name: "event_source", type: "VARCHAR", get: (e) => e.eventSource },
  { name: "event_name", type: "VARCHAR", get: (e) => e.eventName },
  { name: "event_key", type: "VARCHAR", get: (e) => e.eventKey },
  { name: "principal", type: "VARCHAR", get: (e) => e.principal },
  { name: "principal_type", type: "VARCHAR", get: (e) => e.principalType },
  { name: "session_name", type: "VARCHAR", get: (e) => e.sessionName },
  { name: "user_name", type: "VARCHAR", get: (e) => e.userName },
  { name: "access_key_id", type: "VARCHAR", get: (e) => e.accessKeyId },
  { name: "account_id", type: "VARCHAR", get: (e) => e.accountId },
  { name: "region", type: "VARCHAR", get: (e) => e.region },
  { name: "source_ip", type: "VARCHAR", get: (e) => e.sourceIp },
  { name: "source_ip_valid", type: "BOOLEAN", get: (e) => e.sourceIpValid },
  { name: "user_agent", type: "VARCHAR", get: (e) => e.userAgent },
  { name: "user_agent_family", type: "VARCHAR", get: (e) => e.userAgentFamily },
  { name: "read_only", type: "BOOLEAN", get: (e) => e.readOnly },
  { name: "error_code", type: "VARCHAR", get: (e) => e.errorCode },
  { name: "error_message", type: "VARCHAR", get: (e) => e.errorMessage },
  { name: "is_insight", type: "BOOLEAN", get: (e) => e.isInsight },
  { name: "resource_types", type: "VARCHAR[]", get: (e) => e.resources.map((r) => r.type ?? "") },
  { name: "resource_names", type: "VARCHAR[]", get: (e) => e.resources.map((r) => r.arn ?? "") },
  { name: "parse_problems", type: "VARCHAR[]", get: (e) => e.parseProblems },
  { name: "source_file", type: "VARCHAR", get: (e) => e.sourceFile },
  { name: "record_index", type: "INTEGER", get: (e) => e.recordIndex },
  { name: "record_hash", type: "VARCHAR", get: (e) => e.recordHash },
  { name: "raw", type: "VARCHAR", get: (e) => e.raw },
];

export const createTrailTableSql = (table: string): string =>
  `CREATE TABLE ${table} (${TRAIL_COLUMNS.map((c) => `${c.name} ${c.type}`).join(", ")})`;

const STRING_LIST = LIST(VARCHAR);

export function appendTrailEvent(appender: DuckDBAppender, event: TrailEvent): void {
  for (const column of TRAIL_COLUMNS) {
    const value = column.get(event);
    if (value === null) appender.appendNull();
    else if (column.type === "TIMESTAMP") appender.appendTimestamp(toTimestamp(String(value)));
    else if (column.type === "VARCHAR[]") appender.appendList(value as string[], STRING_LIST);
    else if (typeof value === "boolean") appender.appendBoolean(value);
    else if (typeof value === "number") appender.appendInteger(value);
    else appender.appendVarchar(String(value));
  }
  appender.endRow();
}

const toTimestamp = (iso: string) => new DuckDBTimestampValue(BigInt(Date.parse(iso)) * 1000n);
