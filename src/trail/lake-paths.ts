import { readdir } from "node:fs/promises";
import path from "node:path";
import { literal } from "../sql/duckdb.js";

/**
 * Where the trail lives under CATDATA_HOME:
 *   lake/trail/events/part-<sha256 of the source file>.parquet   one part per source file
 *   lake/trail/manifest.json                                    which files are loaded
 * Parquet (not a DuckDB file) so that the server and the CLI can read at the same time.
 */
export const trailPaths = (home: string) => {
  const root = path.join(home, "lake", "trail");
  const events = path.join(root, "events");
  return {
    root,
    events,
    manifest: path.join(root, "manifest.json"),
    part: (sha256: string) => path.join(events, `part-${sha256}.parquet`),
  };
};

/** The committed part files (never `*.tmp`), sorted; empty when nothing is loaded yet. */
export async function listTrailParts(home: string): Promise<string[]> {
  const dir = trailPaths(home).events;
  const names = await readdir(dir).catch(() => [] as string[]);
  return names
    .filter((name) => name.startsWith("part-") && name.endsWith(".parquet"))
    .sort()
    .map((name) => path.join(dir, name));
}

/** A DuckDB table expression over the given parts, e.g. `SELECT count(*) FROM ${trailPartsSql(parts)}`. */
export const trailPartsSql = (parts: readonly string[]): string =>
  `read_parquet([${parts.map(literal).join(", ")}], union_by_name = true)`;
