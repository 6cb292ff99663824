import { SCHEMAS } from "../cats/schema.js";
import type { DuckDb } from "../duckdb/duckdb.js";
import { HIVE_OPTIONS, type Lake } from "../lake/lake.js";
import { duckdbDialect as d } from "../sql/dialect/dialect-duckdb.js";
import { buildCreateTableSql, buildInsertSelectSql } from "./build-load-sql.js";
import { MARTS, type MartName } from "./marts.js";
import { SOURCE_DATASETS, type SourceDataset, sourceTables } from "./sql-parts.js";

/**
 * Computes every mart with DuckDB from the lake: a view per source dataset over the local files of
 * its committed parts (Hive partitions typed as in the query engine), an empty table of the lake schema when
 * a dataset has no files yet, then each mart created and filled by its SELECT, in `catalog` (an
 * attached marts file) or in the connection's own database.
 */
export interface ComputedMarts {
  sources: Record<SourceDataset, number>;
  marts: Record<MartName, number>;
}

export async function computeMarts(db: DuckDb, lake: Lake, catalog?: string): Promise<ComputedMarts> {
  // The catalog's committed files, as the query engine reads them: never a half-committed job.
  const state = await lake.readCatalog();
  const sources = {} as Record<SourceDataset, number>;
  for (const dataset of SOURCE_DATASETS) {
    const files = await lake.localFiles(dataset, state);
    if (files.length > 0) {
      await db.run(
        `CREATE OR REPLACE TEMP VIEW ${d.ident(dataset)} AS SELECT * FROM read_parquet([${files.map((f) => d.literal(f)).join(", ")}], ${HIVE_OPTIONS}, union_by_name = true)`,
      );
    } else {
      const columns = SCHEMAS[dataset].map((c) => `${d.ident(c.column)} ${c.type}`).join(", ");
      await db.run(`CREATE OR REPLACE TEMP TABLE ${d.ident(dataset)} (${columns})`);
    }
    const row = await db.one<{ n: number }>(`SELECT CAST(count(*) AS INTEGER) AS n FROM ${d.ident(dataset)}`);
    sources[dataset] = row?.n ?? 0;
  }
  const src = sourceTables(d);
  const marts = {} as Record<MartName, number>;
  for (const mart of MARTS) {
    await db.run(buildCreateTableSql(d, mart, mart.name, catalog));
    marts[mart.name] = await db.run(buildInsertSelectSql(d, mart, mart.select(d, src), mart.name, catalog));
  }
  return { sources, marts };
}
