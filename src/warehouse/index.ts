import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import type { Config } from "../config/config.js";
import type { DataDir } from "../local/data-dir.js";
import type { Logger } from "../log/logger.js";
import { silentLogger } from "../log/logger.js";
import { DuckDbWarehouse } from "./duckdb-warehouse.js";
import { ManagedSecret } from "./managed-secret.js";
import { PostgresWarehouse } from "./postgres-warehouse.js";
import type { Warehouse } from "./warehouse.js";

export { createRebuildScheduler, type RebuildScheduler } from "./rebuild-scheduler.js";
export type { BreakdownFilter, BreakdownRow, KpiFilter, KpiRow, RebuildSummary, Warehouse } from "./warehouse.js";

export interface OpenWarehouseOptions {
  /** The Secrets Manager client Redshift's managed secret is read with (default: one for `config.region`). */
  secretsClient?: SecretsManagerClient;
  /** TLS with certificate verification to Redshift (default true; false only against a local test server). */
  tls?: boolean;
}

/**
 * The one place that chooses the warehouse: CATDATA_WAREHOUSE=duckdb (default), postgres (by URL) or redshift (the
 * cluster at CATDATA_REDSHIFT_HOST, over the Postgres wire, with the credentials of its managed secret).
 */
export function openWarehouse(
  config: Pick<Config, "warehouse" | "region">,
  dataDir: DataDir,
  logger: Logger = silentLogger,
  options: OpenWarehouseOptions = {},
): Warehouse {
  const w = config.warehouse;
  if (w.kind === "postgres") return new PostgresWarehouse({ url: w.url, logger });
  if (w.kind === "redshift") {
    const secret = new ManagedSecret({
      secretArn: w.secretArn,
      client: options.secretsClient ?? new SecretsManagerClient({ region: config.region }),
    });
    return new PostgresWarehouse({
      server: {
        host: w.host,
        port: w.port,
        database: w.database,
        ssl: options.tls ?? true,
        credentials: () => secret.credentials(),
      },
      logger,
    });
  }
  return new DuckDbWarehouse({ dir: dataDir.warehouse, logger });
}
