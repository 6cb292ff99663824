import { z } from "zod";
import { DEFAULT_INGEST_LIMITS, type IngestLimits } from "../etl/limits.js";

/**
 * The caps of the upload readers (CSV, JSON, Excel): a part of the configuration that `config.ts`
 * composes into its schema and exposes as `config.ingest`, a plain `IngestLimits` the ETL takes.
 * Defaults and why they are what they are: src/etl/limits.ts; documented in `.env.example` and
 * docs/security.md ("Bad input").
 */
export type IngestConfig = IngestLimits;

const bytes = (fallback: number, min: number) =>
  z.coerce
    .number()
    .int()
    .min(min)
    .max(2 ** 45)
    .default(fallback);

export const ingestConfigSchema = z.object({
  CATDATA_MAX_LINE_BYTES: bytes(DEFAULT_INGEST_LIMITS.maxLineBytes, 1024),
  CATDATA_MAX_CELL_BYTES: bytes(DEFAULT_INGEST_LIMITS.maxCellBytes, 256),
  CATDATA_MAX_RECORD_BYTES: bytes(DEFAULT_INGEST_LIMITS.maxRecordBytes, 1024),
  CATDATA_MAX_DECOMPRESSED_BYTES: bytes(DEFAULT_INGEST_LIMITS.maxDecompressedBytes, 1024 ** 2),
  CATDATA_MAX_SHARED_STRINGS_BYTES: bytes(DEFAULT_INGEST_LIMITS.maxSharedStringsBytes, 64 * 1024),
  CATDATA_MAX_JSON_DEPTH: z.coerce.number().int().min(2).max(10_000).default(DEFAULT_INGEST_LIMITS.maxJsonDepth),
});

export function toIngestConfig(e: z.infer<typeof ingestConfigSchema>): IngestConfig {
  return {
    maxLineBytes: e.CATDATA_MAX_LINE_BYTES,
    maxCellBytes: e.CATDATA_MAX_CELL_BYTES,
    maxRecordBytes: e.CATDATA_MAX_RECORD_BYTES,
    maxDecompressedBytes: e.CATDATA_MAX_DECOMPRESSED_BYTES,
    maxSharedStringsBytes: e.CATDATA_MAX_SHARED_STRINGS_BYTES,
    maxJsonDepth: e.CATDATA_MAX_JSON_DEPTH,
  };
}

/**
 * CATDATA_ETL_SQL_PATH: `on` (default) lets DuckDB read and map a plain UTF-8 CSV whose profile has a
 * SQL form (src/etl/sql-path/; same records, counts and quarantine as the JS path, parity-tested);
 * `off` reads every file with the JS path — to compare the two, or to rule the SQL path out.
 */
export const etlPathConfigSchema = z.object({
  CATDATA_ETL_SQL_PATH: z.enum(["on", "off"]).default("on"),
});

export const toEtlSqlPath = (e: z.infer<typeof etlPathConfigSchema>): boolean => e.CATDATA_ETL_SQL_PATH === "on";
