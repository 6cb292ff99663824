import { badInput } from "../../errors.js";

/**
 * CloudTrail Lake SQL as the MCP lake tools see it, without parsing it (it is CloudTrail Lake's own
 * dialect, not DuckDB's): which event data stores it names after FROM / JOIN (an id or an ARN,
 * which routes a lake_query to AWS), and a read-only check run before StartQuery — one statement,
 * a SELECT (or WITH … SELECT), no statement keyword that changes anything. String literals and
 * comments are blanked first, so `eventName = 'DeleteBucket'` or `-- drop` never count. CloudTrail
 * Lake itself runs SELECT only; this check answers a clear tool error before any AWS call.
 */
export const LAKE_SQL_MAX_CHARS = 20_000;

const EVENT_DATA_STORE_AFTER_FROM =
  /\b(?:from|join)\s+[`"]?((?:arn:aws[a-z-]*:cloudtrail:[a-z0-9-]+:\d{12}:eventdatastore\/)?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b/gi;
const WRITE_KEYWORDS =
  /(?<![\w."`])(insert|update|delete|merge|create|drop|alter|truncate|grant|revoke|call|execute|prepare|unload|copy|set)(?![\w."`])/i;

export const LAKE_SQL_HINT =
  "send one SELECT over an event data store, e.g. SELECT eventName, count(*) AS n FROM <event data store id> " +
  "WHERE eventTime > '2024-01-01 00:00:00' GROUP BY eventName ORDER BY n DESC (list_event_data_stores gives the ids)";

/** `sql` with string literals, quoted identifiers' quotes kept, and comments blanked to spaces. */
export function blankLiterals(sql: string): string {
  return sql
    .replace(/'(?:[^']|'')*'?/g, (s) => `'${" ".repeat(Math.max(0, s.length - 2))}'`)
    .replace(/--[^\n]*/g, (s) => " ".repeat(s.length))
    .replace(/\/\*[\s\S]*?(?:\*\/|$)/g, (s) => " ".repeat(s.length));
}

/** The event data stores (ids or ARNs, as written) the SQL reads, in order, each once. */
export function namedEventDataStores(sql: string): string[] {
  const found = new Set<string>();
  for (const match of blankLiterals(sql).matchAll(EVENT_DATA_STORE_AFTER_FROM)) if (match[1]) found.add(match[1]);
  return [...found];
}

/** Refuses (BAD_INPUT, with the reason) anything but one read-only SELECT. */
export function assertReadOnlyLakeSql(sql: string): void {
  const refuse = (reason: string) => badInput(`lake_query refused the CloudTrail Lake SQL: ${reason}`, LAKE_SQL_HINT);
  if (sql.length > LAKE_SQL_MAX_CHARS) throw refuse(`it is longer than ${LAKE_SQL_MAX_CHARS} characters`);
  const body = blankLiterals(sql)
    .trim()
    .replace(/;[\s;]*$/, "");
  if (body.includes(";")) throw refuse("only one statement is allowed");
  const first = /^\(*\s*([a-z]+)/i.exec(body)?.[1]?.toUpperCase();
  if (first !== "SELECT" && first !== "WITH") throw refuse(`only a SELECT is allowed; found ${first ?? "nothing"}`);
  const write = WRITE_KEYWORDS.exec(body)?.[1];
  if (write) throw refuse(`${write.toUpperCase()} is not allowed in a read-only query`);
}
