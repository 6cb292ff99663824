import pg from "pg";
import type { Logger } from "../log/logger.js";
import type { SqlDialect } from "../sql/dialect/dialect.js";
import { postgresDialect } from "../sql/dialect/dialect-postgres.js";
import { redshiftDialect } from "../sql/dialect/dialect-redshift.js";

/**
 * The Postgres-wire connection of the warehouse: a small `pg` pool from CATDATA_WAREHOUSE_URL, or from a
 * server whose credentials come from a secret (Redshift's managed secret, managed-secret.ts: the user when the
 * pool opens, the password for every new connection, so a rotated one is picked up), the dialect detected from
 * `version()` (Redshift reports "Redshift"), and the target without its password for logs and summaries (the
 * password is never logged).
 */

/** A server reached with credentials fetched when needed (never in a URL or the environment). */
export interface ServerTarget {
  host: string;
  port: number;
  database: string;
  /** TLS with certificate verification (Redshift's parameter group requires it); false only for local tests. */
  ssl: boolean;
  credentials: () => Promise<{ user: string; password: string }>;
}

export type WarehouseTarget = { url: string } | { server: ServerTarget };

/** Connections one process opens to the warehouse at most. */
export const POOL_MAX_CONNECTIONS = 4;

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

/** The target for logs and summaries: the URL without its password, or `postgres://host:port/database`. */
export function describeTarget(target: WarehouseTarget): string {
  if ("url" in target) return redactUrl(target.url);
  const { host, port, database } = target.server;
  return `postgres://${host}:${port}/${encodeURIComponent(database)}`;
}

export async function createPool(target: WarehouseTarget, logger: Logger): Promise<pg.Pool> {
  const common = { max: POOL_MAX_CONNECTIONS, idleTimeoutMillis: 10_000 };
  let pool: pg.Pool;
  if ("url" in target) {
    pool = new pg.Pool({ ...common, connectionString: target.url });
  } else {
    const { host, port, database, ssl, credentials } = target.server;
    const { user } = await credentials();
    pool = new pg.Pool({
      ...common,
      host,
      port,
      database,
      user,
      password: async () => (await credentials()).password,
      ssl: ssl ? { rejectUnauthorized: true } : false,
    });
  }
  // An idle client losing its server must not crash the process; the next query reconnects.
  pool.on("error", (error) =>
    logger.warn({ err: error.message, warehouse: describeTarget(target) }, "warehouse connection lost"),
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
