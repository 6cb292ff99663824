import pg from "pg";
import type { Logger } from "../log/logger.js";
import type { SqlDialect } from "../sql/dialect/dialect.js";
import { postgresDialect } from "../sql/dialect/dialect-postgres.js";
import { redshiftDialect } from "../sql/dialect/dialect-redshift.js";

/**
 * The Postgres-wire connection of the warehouse: a small `pg` pool from CATDATA_WAREHOUSE_URL, the
 * dialect detected from `version()` (Redshift reports "Redshift"), and the URL without its password
 * for logs and summaries (the password is never logged).
 */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    u.search = "";
    return u.toString();
  } catch {
    return "(unparseable warehouse URL)";
  }
}

export function createPool(url: string, logger: Logger): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max: 4, idleTimeoutMillis: 10_000 });
  // An idle client losing its server must not crash the process; the next query reconnects.
  pool.on("error", (error) =>
    logger.warn({ err: error.message, warehouse: redactUrl(url) }, "warehouse connection lost"),
  );
  return pool;
}

export async function detectDialect(pool: pg.Pool): Promise<SqlDialect> {
  const result = await pool.query<{ version: string }>("SELECT version() AS version");
  return /redshift/i.test(result.rows[0]?.version ?? "") ? redshiftDialect : postgresDialect;
}

/** Postgres error codes that mean "the marts are not there yet". */
export const isMissingRelation = (error: unknown): boolean =>
  ["42P01", "3F000"].includes((error as { code?: string }).code ?? "");

/** Codes of a concurrent `CREATE … IF NOT EXISTS` that lost the race (the object exists now). */
export const isCreateRace = (error: unknown): boolean =>
  ["23505", "42P06", "42P07"].includes((error as { code?: string }).code ?? "");
