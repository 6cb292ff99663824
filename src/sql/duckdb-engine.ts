import { existsSync } from "node:fs";
import { DATASETS } from "../cats/model.js";
import { lakePaths } from "../lake/layout.js";
import { listParquet } from "../lake/parquet-writer.js";
import { DuckDb, ident, literal } from "./duckdb.js";
import type { QueryEngine, QueryOptions, QueryResult } from "./query-engine.js";

/**
 * DuckDB over the lake's Parquet files: one in-memory database per process with a view per dataset
 * (`intakes`, `outcomes`, …) reading `lake/<dataset>/**.parquet` with Hive partitions. Views are
 * refreshed when the set of datasets changes, so files committed by another process show up.
 */
export class DuckDbQueryEngine implements QueryEngine {
  readonly kind = "duckdb" as const;
  private registered = new Set<string>();

  private constructor(
    private readonly db: DuckDb,
    private readonly home: string,
  ) {}

  static async open(home: string): Promise<DuckDbQueryEngine> {
    return new DuckDbQueryEngine(await DuckDb.open(":memory:"), home);
  }

  private async refresh(): Promise<void> {
    const paths = lakePaths(this.home);
    for (const dataset of DATASETS) {
      if (this.registered.has(dataset)) continue;
      if (!existsSync(paths.dataset(dataset)) || (await listParquet(paths.dataset(dataset))).length === 0) continue;
      await this.db.run(
        `CREATE OR REPLACE VIEW ${ident(dataset)} AS SELECT * FROM read_parquet(${literal(paths.datasetGlob(dataset))}, hive_partitioning = true, hive_types = {'municipality': VARCHAR, 'fiscal_year': INTEGER}, union_by_name = true)`,
      );
      this.registered.add(dataset);
    }
  }

  async tables(): Promise<string[]> {
    await this.refresh();
    return [...this.registered].sort();
  }

  async query(sql: string, options: QueryOptions = {}): Promise<QueryResult> {
    await this.refresh();
    const maxRows = options.maxRows ?? 10_000;
    const rows = await this.db.all(`SELECT * FROM (${sql}) AS q LIMIT ${maxRows + 1}`, options.params);
    const truncated = rows.length > maxRows;
    if (truncated) rows.pop();
    return { columns: rows[0] ? Object.keys(rows[0]) : [], rows, truncated };
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
