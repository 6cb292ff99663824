import type * as glue from "aws-cdk-lib/aws-glue";
import { DATASETS, type Dataset } from "../../src/cats/model.js";
import { type ColumnType, PARTITION_COLUMNS, SCHEMAS } from "../../src/cats/schema.js";

/**
 * The Glue tables of the curated lake, generated from the lake schema (src/cats/schema.ts SCHEMAS, the one source
 * of truth): one external Parquet table per dataset at `s3://<bucket>/curated/<dataset>/`, its partition keys the
 * lake's Hive partitions (PARTITION_COLUMNS, kept in the path and not in the files), every other column in schema
 * order with its lake type mapped to the Hive type Athena and Redshift Spectrum read the Parquet as.
 */

/** Lake (DuckDB) type → Glue/Hive type. DuckDB writes INTEGER as int32, TIMESTAMP as int64 micros, DATE as int32. */
export const GLUE_TYPES: Record<ColumnType, string> = {
  VARCHAR: "string",
  INTEGER: "int",
  DOUBLE: "double",
  BOOLEAN: "boolean",
  TIMESTAMP: "timestamp",
  DATE: "date",
};

export const PARQUET_FORMAT = {
  inputFormat: "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
  outputFormat: "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
  serializationLibrary: "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
} as const;

export interface GlueColumn {
  name: string;
  type: string;
}

/** The table's partition keys and data columns for a dataset, straight from SCHEMAS. */
export function glueColumns(dataset: Dataset): { partitionKeys: GlueColumn[]; columns: GlueColumn[] } {
  const partitions: readonly string[] = PARTITION_COLUMNS;
  const all = SCHEMAS[dataset].map((c) => ({ name: c.column, type: GLUE_TYPES[c.type] }));
  const partitionKeys = PARTITION_COLUMNS.map((name) => {
    const column = all.find((c) => c.name === name);
    if (!column) throw new Error(`the ${dataset} schema has no partition column ${name}`);
    return column;
  });
  return { partitionKeys, columns: all.filter((c) => !partitions.includes(c.name)) };
}

/** The S3 folder a dataset's table reads (with trailing slash). */
export const curatedLocation = (bucketName: string, curatedPrefix: string, dataset: Dataset): string =>
  `s3://${bucketName}/${curatedPrefix}${dataset}/`;

/** The `TableInput` of one dataset's external Parquet table. */
export function curatedTableInput(
  dataset: Dataset,
  bucketName: string,
  curatedPrefix: string,
): glue.CfnTable.TableInputProperty {
  const { partitionKeys, columns } = glueColumns(dataset);
  return {
    name: dataset,
    description: `catdata curated ${dataset} (columns from src/cats/schema.ts; Parquet, zstd)`,
    tableType: "EXTERNAL_TABLE",
    parameters: { classification: "parquet", EXTERNAL: "TRUE", "parquet.compression": "ZSTD" },
    partitionKeys,
    storageDescriptor: {
      location: curatedLocation(bucketName, curatedPrefix, dataset),
      inputFormat: PARQUET_FORMAT.inputFormat,
      outputFormat: PARQUET_FORMAT.outputFormat,
      serdeInfo: {
        serializationLibrary: PARQUET_FORMAT.serializationLibrary,
        parameters: { "serialization.format": "1" },
      },
      compressed: true,
      columns,
    },
  };
}

/** Every curated dataset, in the model's order. */
export const CURATED_DATASETS: readonly Dataset[] = DATASETS;
