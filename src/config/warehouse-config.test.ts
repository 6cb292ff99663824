/**
 * Pins the warehouse part of the configuration: DuckDB by default; postgres needs its URL; redshift reads the
 * CATDATA_REDSHIFT_* variables the API stack passes (port 5439 and database catdata by default) and fails naming the
 * missing ones; a malformed host or secret ARN fails naming the variable; CATDATA_ATHENA_DATABASE defaults to the
 * Glue database `catdata`.
 */
import { describe, expect, it } from "vitest";
import { loadConfig } from "./config.js";
import { DEFAULT_REDSHIFT_DATABASE, DEFAULT_REDSHIFT_PORT } from "./warehouse-config.js";

const ARN = "arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:redshift!cat-data-cluster-catdata_admin-AbCdEf";
const HOST = "cat-data-cluster.abc123xyz.ap-northeast-1.redshift.amazonaws.com";

describe("warehouse config", () => {
  it("defaults to DuckDB and the Glue database catdata", () => {
    const config = loadConfig({});
    expect(config.warehouse).toEqual({ kind: "duckdb" });
    expect(config.queryEngine.athenaDatabase).toBe("catdata");
    expect(loadConfig({ CATDATA_ATHENA_DATABASE: "lake_2" }).queryEngine.athenaDatabase).toBe("lake_2");
    expect(() => loadConfig({ CATDATA_ATHENA_DATABASE: "Cat-Data" })).toThrow(/CATDATA_ATHENA_DATABASE="Cat-Data"/);
  });

  it("reads the Redshift cluster's endpoint and managed secret", () => {
    const config = loadConfig({
      CATDATA_WAREHOUSE: "redshift",
      CATDATA_REDSHIFT_HOST: HOST,
      CATDATA_REDSHIFT_SECRET_ARN: ARN,
    });
    expect(config.warehouse).toEqual({ kind: "redshift", host: HOST, port: 5439, database: "catdata", secretArn: ARN });
    expect([DEFAULT_REDSHIFT_PORT, DEFAULT_REDSHIFT_DATABASE]).toEqual([5439, "catdata"]);
    expect(
      loadConfig({
        CATDATA_WAREHOUSE: "redshift",
        CATDATA_REDSHIFT_HOST: HOST,
        CATDATA_REDSHIFT_PORT: "5440",
        CATDATA_REDSHIFT_DATABASE: "marts",
        CATDATA_REDSHIFT_SECRET_ARN: ARN,
      }).warehouse,
    ).toMatchObject({ port: 5440, database: "marts" });
  });

  it("names what is missing or malformed", () => {
    expect(() => loadConfig({ CATDATA_WAREHOUSE: "redshift" })).toThrow(
      /CATDATA_REDSHIFT_HOST and CATDATA_REDSHIFT_SECRET_ARN are required when CATDATA_WAREHOUSE=redshift/,
    );
    expect(() => loadConfig({ CATDATA_WAREHOUSE: "redshift", CATDATA_REDSHIFT_HOST: HOST })).toThrow(
      /CATDATA_REDSHIFT_SECRET_ARN is required/,
    );
    expect(() =>
      loadConfig({
        CATDATA_WAREHOUSE: "redshift",
        CATDATA_REDSHIFT_HOST: HOST,
        CATDATA_REDSHIFT_SECRET_ARN: "catdata_admin:pw",
      }),
    ).toThrow(/CATDATA_REDSHIFT_SECRET_ARN="catdata_admin:pw": a Secrets Manager secret ARN/);
    expect(() =>
      loadConfig({ CATDATA_WAREHOUSE: "redshift", CATDATA_REDSHIFT_HOST: "h/x", CATDATA_REDSHIFT_SECRET_ARN: ARN }),
    ).toThrow(/CATDATA_REDSHIFT_HOST="h\/x"/);
    expect(() => loadConfig({ CATDATA_WAREHOUSE: "postgres" })).toThrow(/CATDATA_WAREHOUSE_URL is required/);
    expect(
      loadConfig({ CATDATA_WAREHOUSE: "postgres", CATDATA_WAREHOUSE_URL: "postgres://u:p@h/db" }).warehouse,
    ).toEqual({
      kind: "postgres",
      url: "postgres://u:p@h/db",
    });
  });
});
