import path from "node:path";
import type { Dataset } from "../cats/model.js";

/**
 * Where things live under CATDATA_HOME. The curated lake is Parquet partitioned Hive-style, so
 * DuckDB locally and Athena/Glue on S3 read the same layout:
 *   lake/<dataset>/municipality=<code>/fiscal_year=<fy>/part-<job>.parquet
 */
export const lakePaths = (home: string) => ({
  store: path.join(home, "store"),
  lake: path.join(home, "lake"),
  staging: path.join(home, "lake", ".staging"),
  dataset: (dataset: Dataset) => path.join(home, "lake", dataset),
  datasetGlob: (dataset: Dataset) => path.join(home, "lake", dataset, "**", "*.parquet"),
  jobs: path.join(home, "jobs"),
  trail: path.join(home, "lake", "trail"),
});
