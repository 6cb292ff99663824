import type { Config } from "../config/config.js";
import { CatdataError } from "../errors.js";
import type { DataDir } from "../local/data-dir.js";
import type { Logger } from "../log/logger.js";
import { silentLogger } from "../log/logger.js";
import { DuckDbWarehouse } from "./duckdb-warehouse.js";
import { PostgresWarehouse } from "./postgres-warehouse.js";
import type { Warehouse } from "./warehouse.js";

export { createRebuildScheduler, type RebuildScheduler } from "./rebuild-scheduler.js";
export type { BreakdownFilter, BreakdownRow, KpiFilter, KpiRow, RebuildSummary, Warehouse } from "./warehouse.js";

/** The one place that chooses the warehouse: CATDATA_WAREHOUSE=duckdb (default) or postgres. */
export function openWarehouse(
  config: Pick<Config, "warehouse">,
  dataDir: DataDir,
  logger: Logger = silentLogger,
): Warehouse {
  if (config.warehouse.kind === "postgres") {
    if (!config.warehouse.url) {
      throw new CatdataError("CONFIG_INVALID", "CATDATA_WAREHOUSE_URL is required when CATDATA_WAREHOUSE=postgres", {
        hint: "set it to a postgres://user:password@host:5432/catdata URL",
      });
    }
    return new PostgresWarehouse({ url: config.warehouse.url, logger });
  }
  return new DuckDbWarehouse({ dir: dataDir.warehouse, logger });
}
