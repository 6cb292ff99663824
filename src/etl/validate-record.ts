import type { Dataset } from "../cats/model.js";
import { type Column, DATE_PATTERN, INTEGER_MAX, INTEGER_MIN, SCHEMAS, TIMESTAMP_PATTERN } from "../cats/schema.js";

/**
 * Checks a canonical record against its dataset's column types (src/cats/schema.ts) before it is
 * appended to the Parquet writer: INTEGER within int32 (INTEGER_MIN … INTEGER_MAX), DOUBLE finite,
 * BOOLEAN a boolean, TIMESTAMP / DATE a real calendar date in the lake's ISO form, VARCHAR text.
 * Returns what is wrong — naming the column, the value and the limit — or undefined when the record
 * fits. The caller quarantines the row with that reason; the rest of the file loads.
 */
export interface ValueProblem {
  column: string;
  reason: string;
}

const show = (value: unknown) => {
  const s = typeof value === "string" ? JSON.stringify(value) : String(value);
  return s.length > 80 ? `${s.slice(0, 77)}…` : s;
};

const daysIn = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

function realDate(s: string): boolean {
  const day = Number(s.slice(8, 10));
  return day <= 28 || day <= daysIn(Number(s.slice(0, 4)), Number(s.slice(5, 7)));
}

type Check = (value: unknown) => string | undefined;

function checkOf(c: Column): Check {
  switch (c.type) {
    case "INTEGER":
      return (value) => {
        if (typeof value !== "number" || !Number.isInteger(value)) return `is ${show(value)}, not a whole number`;
        if (value > INTEGER_MAX) return `holds ${value}, above the INTEGER limit ${INTEGER_MAX}`;
        if (value < INTEGER_MIN) return `holds ${value}, below the INTEGER limit ${INTEGER_MIN}`;
        return undefined;
      };
    case "DOUBLE":
      return (value) =>
        typeof value === "number" && Number.isFinite(value) ? undefined : `is ${show(value)}, not a finite number`;
    case "BOOLEAN":
      return (value) => (typeof value === "boolean" ? undefined : `is ${show(value)}, not true or false`);
    case "TIMESTAMP":
      return (value) =>
        typeof value === "string" && TIMESTAMP_PATTERN.test(value) && realDate(value)
          ? undefined
          : `is ${show(value)}, not a date-time YYYY-MM-DDTHH:mm:ss`;
    case "DATE":
      return (value) =>
        typeof value === "string" && DATE_PATTERN.test(value) && realDate(value)
          ? undefined
          : `is ${show(value)}, not a date YYYY-MM-DD`;
    default:
      return (value) => (typeof value === "string" ? undefined : `is ${show(value)}, not text`);
  }
}

/** Each dataset's checks, built once from the schema (read-only). */
const CHECKS: Readonly<Record<Dataset, readonly { column: Column; check: Check }[]>> = Object.freeze(
  Object.fromEntries(
    Object.entries(SCHEMAS).map(([dataset, columns]) => [
      dataset,
      Object.freeze(columns.map((column) => ({ column, check: checkOf(column) }))),
    ]),
  ) as Record<Dataset, readonly { column: Column; check: Check }[]>,
);

export function recordProblem(dataset: Dataset, record: object): ValueProblem | undefined {
  const values = record as Record<string, unknown>;
  for (const { column: c, check } of CHECKS[dataset]) {
    const value = values[c.field];
    if (value === null || value === undefined) continue;
    const problem = check(value);
    if (problem) return { column: c.column, reason: `column ${c.column} (${dataset}.${c.field}) ${problem}` };
  }
  return undefined;
}
