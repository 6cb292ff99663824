import type { ColumnInfo, Row } from "@aws-sdk/client-athena";
import { badInput } from "../errors.js";
import type { QueryParams } from "./query-engine.js";

/**
 * Pure conversions between Athena's wire shapes and ours: result rows (every value arrives as
 * VarCharValue) typed from the result-set metadata, and bound parameters as the SQL literals
 * Athena's ExecutionParameters expect.
 */
export function typedValue(type: string | undefined, text: string | undefined): unknown {
  if (text === undefined) return null;
  switch ((type ?? "varchar").toLowerCase()) {
    case "boolean":
      return text === "true";
    case "tinyint":
    case "smallint":
    case "integer":
    case "int":
      return Number(text);
    case "bigint": {
      const n = Number(text);
      return Number.isSafeInteger(n) ? n : text;
    }
    case "double":
    case "float":
    case "real":
      return Number(text);
    default:
      // varchar, char, decimal (kept exact), date, timestamp, json, array, map, row…
      return text;
  }
}

/** Typed row objects; `skipHeader` drops Athena's header row (the first row of the first page). */
export function toRows(columns: ColumnInfo[], rows: Row[], skipHeader: boolean): Record<string, unknown>[] {
  const names = columns.map((c, i) => c.Name ?? `_col${i}`);
  const first = rows[0]?.Data?.map((d) => d.VarCharValue);
  const body = skipHeader && first !== undefined && names.every((n, i) => first[i] === n) ? rows.slice(1) : rows;
  return body.map((row) =>
    Object.fromEntries(names.map((name, i) => [name, typedValue(columns[i]?.Type, row.Data?.[i]?.VarCharValue)])),
  );
}

/** Positional parameters as SQL literals: strings quoted, numbers and booleans as written, NULL. */
export function executionParameters(params: QueryParams | undefined): string[] | undefined {
  if (params === undefined) return undefined;
  if (!Array.isArray(params)) {
    throw badInput("Athena takes positional parameters only", "write ? in the SQL and pass the values in order");
  }
  if (params.length === 0) return undefined;
  return params.map((v) => {
    if (v === null) return "NULL";
    if (typeof v === "string") return `'${v.replaceAll("'", "''")}'`;
    if (typeof v === "number" && !Number.isFinite(v)) throw badInput(`parameter ${v} is not a finite number`);
    return String(v);
  });
}
