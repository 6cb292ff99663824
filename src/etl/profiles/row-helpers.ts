import type { RecordBase } from "../../cats/model.js";
import { ValueError } from "../parse-values.js";
import type { MappedRecord, MapResult, RowContext } from "./profile.js";

/**
 * Small helpers the hand-written profiles share: read a trimmed cell, treat the placeholders
 * sources write for "no value" as null, build the lineage fields, and turn a `ValueError`
 * into a quarantine reason.
 */

/** The trimmed cell under `header` ("" when the column is absent). */
export const cell = (values: Record<string, string>, header: string): string => (values[header] ?? "").trim();

/** Null for empty cells and the usual placeholders (`NA`, `N/A`, `NULL`, `-`). */
export const orNull = (raw: string): string | null => {
  const s = raw.trim();
  return s === "" || /^(na|n\/a|null|none|-)$/i.test(s) ? null : s;
};

/** The fields every record carries, for a row of this upload in the given fiscal year. */
export const baseOf = (ctx: RowContext, fiscalYear: number): RecordBase => ({
  municipality: ctx.municipality,
  fiscalYear,
  sourceJob: ctx.jobId,
  sourceRow: ctx.row,
});

/** Runs a row mapping; a `ValueError` becomes a `reject` with its message as the reason. */
export function recordsOrReject(map: () => MappedRecord[]): MapResult {
  try {
    return { kind: "records", records: map() };
  } catch (error) {
    if (error instanceof ValueError) return { kind: "reject", reason: error.message };
    throw error;
  }
}

/** A whole number ≥ 0 written plainly or with thousands separators (`1,336`). */
export function parseCount(raw: string, what: string): number {
  const n = Number(raw.trim().replaceAll(",", ""));
  if (raw.trim() === "" || !Number.isInteger(n) || n < 0) {
    throw new ValueError(`${what} ${JSON.stringify(raw)} is not a whole number ≥ 0`);
  }
  return n;
}

/** `Currently In Care` → `currently_in_care`. */
export const snakeCase = (label: string): string =>
  label
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_|_$/g, "");
