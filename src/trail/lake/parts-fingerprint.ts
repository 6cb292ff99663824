import { createHash } from "node:crypto";
import path from "node:path";
import { literal } from "../../duckdb/duckdb.js";
import type { PartsFingerprint } from "./trail-lake.js";

/** The fingerprint of a set of parts: their count and a digest of their (content-derived) names. */
export function partsFingerprint(parts: readonly string[]): PartsFingerprint {
  const names = parts.map((p) => path.basename(p)).sort();
  return { count: names.length, digest: createHash("sha256").update(names.join("\n")).digest("hex").slice(0, 32) };
}

/** Part names are `part-<sha256>.parquet`; anything else (a `.tmp`, a stray file) is not a part. */
export const isPartName = (name: string): boolean => name.startsWith("part-") && name.endsWith(".parquet");

export const partName = (sha256: string): string => `part-${sha256}.parquet`;

/** A DuckDB table expression over the given parts, e.g. `SELECT count(*) FROM ${trailPartsSql(parts)}`. */
export const trailPartsSql = (parts: readonly string[]): string =>
  `read_parquet([${parts.map(literal).join(", ")}], union_by_name = true)`;
