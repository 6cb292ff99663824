/**
 * Pins CATDATA_WAREHOUSE=redshift end to end, as the API Lambda gets it: loadConfig over the variables the API stack
 * passes (CATDATA_REDSHIFT_HOST/PORT/DATABASE/SECRET_ARN) → openWarehouse → the Postgres-wire warehouse, its user and
 * password taken from the cluster's managed secret (a mocked Secrets Manager, asked with the exact SecretId) and
 * nothing else, against a real PostgreSQL on 127.0.0.1 standing in for the cluster (TLS off only for it): the marts
 * load and read back as the DuckDB warehouse has them, and the password never reaches the logs or the summary.
 */
import { Writable } from "node:stream";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { mockClient } from "aws-sdk-client-mock";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../config/config.js";
import { type DemoLake, loadDemoLake } from "../testing/demo-lake.js";
import { hasPostgres, postgresSkipReason, startPostgres, type TestPostgres } from "../testing/postgres.js";
import { DuckDbWarehouse } from "./duckdb-warehouse.js";
import { openWarehouse } from "./index.js";
import type { Warehouse } from "./warehouse.js";

const ARN = "arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:redshift!cat-data-cluster-catdata_admin-AbCdEf";

describe.skipIf(!hasPostgres)(
  `Redshift warehouse over the Postgres wire${postgresSkipReason ? ` (skipped: ${postgresSkipReason})` : ""}`,
  () => {
    let server: TestPostgres;
    let lake: DemoLake;
    let warehouse: Warehouse;
    let duck: DuckDbWarehouse;
    let logs = "";
    const client = new SecretsManagerClient({ region: "ap-northeast-1" });
    const sm = mockClient(client);

    beforeAll(async () => {
      [server, lake] = await Promise.all([startPostgres("catdata"), loadDemoLake(["131041"])]);
      sm.on(GetSecretValueCommand, { SecretId: ARN }).resolves({
        SecretString: JSON.stringify({ username: "catdata", password: server.password }),
      });
      const config = loadConfig(
        {
          CATDATA_WAREHOUSE: "redshift",
          CATDATA_REDSHIFT_HOST: "127.0.0.1",
          CATDATA_REDSHIFT_PORT: String(server.port),
          CATDATA_REDSHIFT_DATABASE: "catdata",
          CATDATA_REDSHIFT_SECRET_ARN: ARN,
        },
        lake.dataDir.root,
      );
      const logger = pino(
        { level: "info" },
        new Writable({
          write: (chunk, _enc, done) => {
            logs += chunk.toString();
            done();
          },
        }),
      );
      warehouse = openWarehouse(config, lake.dataDir, logger, { secretsClient: client, tls: false });
      duck = new DuckDbWarehouse({ dir: lake.dataDir.warehouse });
      await duck.rebuild(lake.lake);
    });
    afterAll(async () => {
      await Promise.all([warehouse?.close(), duck?.close(), lake?.runtime.close()]);
      await server?.stop();
    });

    it("connects with the managed secret's user and password and loads the marts as DuckDB has them", async () => {
      expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(0); // nothing is read before first use
      const summary = await warehouse.rebuild(lake.lake);
      expect(summary).toMatchObject({
        kind: "postgres",
        target: `postgres://127.0.0.1:${server.port}/catdata schema catdata`,
      });
      const kpis = await warehouse.kpis({ period: "fiscal_year", municipality: "131041" });
      expect(kpis.length).toBeGreaterThan(0);
      expect(kpis).toEqual(await duck.kpis({ period: "fiscal_year", municipality: "131041" }));
      const calls = sm.commandCalls(GetSecretValueCommand).map((c) => c.args[0].input);
      expect(calls.length).toBeGreaterThan(0);
      expect(new Set(calls.map((c) => JSON.stringify(c)))).toEqual(new Set([JSON.stringify({ SecretId: ARN })]));
      expect(logs).toContain("warehouse rebuilt");
      expect(logs).not.toContain(server.password);
      expect(JSON.stringify(summary)).not.toContain(server.password);
    });

    it("fails with a hint when the secret cannot be read", async () => {
      const denied = Object.assign(new Error("denied"), { name: "AccessDeniedException" });
      const other = new SecretsManagerClient({ region: "ap-northeast-1" });
      mockClient(other).on(GetSecretValueCommand).rejects(denied);
      const config = loadConfig({
        CATDATA_WAREHOUSE: "redshift",
        CATDATA_REDSHIFT_HOST: "127.0.0.1",
        CATDATA_REDSHIFT_PORT: String(server.port),
        CATDATA_REDSHIFT_SECRET_ARN: ARN,
      });
      const w = openWarehouse(config, lake.dataDir, undefined, { secretsClient: other, tls: false });
      await expect(w.kpis({ period: "fiscal_year" })).rejects.toMatchObject({ code: "FORBIDDEN" });
      await w.close();
    });
  },
);
