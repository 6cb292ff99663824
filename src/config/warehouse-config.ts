import { z } from "zod";
import { CatdataError } from "../errors.js";

/**
 * Where the marts live: a part of the configuration that `config.ts` composes into its schema and exposes as
 * `config.warehouse`. `duckdb` (default: a file under CATDATA_HOME), `postgres` (CATDATA_WAREHOUSE_URL), or
 * `redshift`: the cluster the warehouse stack deploys, reached over the Postgres wire at CATDATA_REDSHIFT_HOST:PORT
 * with the credentials of its Redshift-managed secret (CATDATA_REDSHIFT_SECRET_ARN, read from Secrets Manager —
 * never a password in the environment). The API stack passes the CATDATA_REDSHIFT_* variables. Documented in
 * `.env.example` and docs/warehouse.md.
 */
export type WarehouseConfig =
  | { kind: "duckdb" }
  | { kind: "postgres"; url: string }
  | { kind: "redshift"; host: string; port: number; database: string; secretArn: string };

/** Redshift's default port (the warehouse stack's WAREHOUSE.port). */
export const DEFAULT_REDSHIFT_PORT = 5439;
/** The database the warehouse stack creates (WAREHOUSE.databaseName). */
export const DEFAULT_REDSHIFT_DATABASE = "catdata";

const secretArn = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$/;

export const warehouseConfigSchema = z.object({
  CATDATA_WAREHOUSE: z.enum(["duckdb", "postgres", "redshift"]).default("duckdb"),
  CATDATA_WAREHOUSE_URL: z.string().optional(),
  CATDATA_REDSHIFT_HOST: z
    .string()
    .regex(/^[a-z0-9.-]+$/i, "a host name such as cat-data-cluster.abc123.ap-northeast-1.redshift.amazonaws.com")
    .optional(),
  CATDATA_REDSHIFT_PORT: z.coerce.number().int().min(1).max(65_535).default(DEFAULT_REDSHIFT_PORT),
  CATDATA_REDSHIFT_DATABASE: z.string().min(1).default(DEFAULT_REDSHIFT_DATABASE),
  CATDATA_REDSHIFT_SECRET_ARN: z
    .string()
    .regex(secretArn, "a Secrets Manager secret ARN (arn:aws:secretsmanager:<region>:<account>:secret:…)")
    .optional(),
});

const missing = (what: string, hint: string) =>
  new CatdataError("CONFIG_INVALID", `invalid configuration:\n  ${what}`, { hint });

export function toWarehouseConfig(e: z.infer<typeof warehouseConfigSchema>): WarehouseConfig {
  switch (e.CATDATA_WAREHOUSE) {
    case "duckdb":
      return { kind: "duckdb" };
    case "postgres":
      if (!e.CATDATA_WAREHOUSE_URL) {
        throw missing(
          "CATDATA_WAREHOUSE_URL is required when CATDATA_WAREHOUSE=postgres",
          "set it to a postgres://user:password@host:5432/catdata URL",
        );
      }
      return { kind: "postgres", url: e.CATDATA_WAREHOUSE_URL };
    case "redshift": {
      const { CATDATA_REDSHIFT_HOST: host, CATDATA_REDSHIFT_SECRET_ARN: secretArn } = e;
      if (!host || !secretArn) {
        const unset = [host ? "" : "CATDATA_REDSHIFT_HOST", secretArn ? "" : "CATDATA_REDSHIFT_SECRET_ARN"].filter(
          Boolean,
        );
        throw missing(
          `${unset.join(" and ")} ${unset.length > 1 ? "are" : "is"} required when CATDATA_WAREHOUSE=redshift`,
          "set the cluster's endpoint address and the ARN of its managed master secret (the API stack passes both)",
        );
      }
      return {
        kind: "redshift",
        host,
        port: e.CATDATA_REDSHIFT_PORT,
        database: e.CATDATA_REDSHIFT_DATABASE,
        secretArn,
      };
    }
  }
}
