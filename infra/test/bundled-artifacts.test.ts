/**
 * Pins the real synth and the artifacts it deploys. `cdk synth` runs once (the CLI, bin/catdata.ts, cdk.json,
 * esbuild bundling from node_modules, cdk-nag), with no AWS credentials, for the Lambda architecture this machine
 * can execute (`-c lambdaArchitecture=`), while this process bundles one function for the other CPU (on x64: arm64,
 * the default):
 * - every stack is synthesised for ap-northeast-1 and no account (a synth needs no credentials), nag passing
 * - each bundled Lambda holds index.mjs and the DuckDB and argon2 addons built for its own architecture, no other
 * - an arm64 function bundled on an x64 machine (or x86_64 on arm64) gets the other CPU's addons: the host never leaks
 * - the bundled process-cat-data, run alone in a child process with its template's environment against s3rver and a
 *   real S3 put event: the upload under raw/ ends as committed Parquet under curated/, queryable through the DuckDB
 *   query engine with every cat row accounted for; a failing job makes the invocation throw (Lambda retries, DLQ)
 * - the bundled API answers API Gateway REST proxy events: the OpenAPI document without a token, 401 without one
 *   where a token is needed, and that load's job record for a Cognito-signed admin token
 * - the bundled MCP Lambda, its environment from its template (CATDATA_STORE=s3), over part of flaws2 loaded into a
 *   trail lake in s3rver by the code's own loader: Function URL events (payload 2.0) through a shim of the Lambda
 *   runtime's response streaming (`awslambda`, which exists only in Lambda) stream a prelude and an SSE body for
 *   tools/list and for lookup_events, whose events are exactly the loaded files' (their real event ids and names)
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { GetObjectCommand } from "@aws-sdk/client-s3";
import { App, Stack } from "aws-cdk-lib";
import * as logs from "aws-cdk-lib/aws-logs";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DuckDb, literal } from "../../src/duckdb/duckdb.js";
import { jobIdFor } from "../../src/etl/job-log.js";
import { S3Lake } from "../../src/lake/s3-lake.js";
import { DuckDbQueryEngine } from "../../src/sql/duckdb-engine.js";
import { S3ObjectStore } from "../../src/store/s3-store.js";
import { sample } from "../../src/testing/fixtures.js";
import { S3RVER_CREDENTIALS, startS3rver, type TestS3 } from "../../src/testing/s3.js";
import { folderSource, loadTrailSource } from "../../src/trail/lake/load-trail.js";
import { S3TrailLake } from "../../src/trail/lake/s3-trail-lake.js";
import type { LambdaArchitecture } from "../lib/config.js";
import { NodeLambda, UNBUNDLED_MODULES } from "../lib/constructs/node-lambda.js";
import {
  type BundledLambda,
  bundledLambdas,
  cdkSynth,
  elfArchitecture,
  HOST_ARCHITECTURE,
  invokeBundled,
  nativeAddons,
  type StreamedAnswer,
} from "./cdk-out.js";
import { apiGatewayRestEvent, functionUrlJsonPost, s3PutEvent } from "./lambda-events.js";

const SYNTH_TIMEOUT_MS = 600_000;
const BUCKET = "cat-data-bucket";
const REGION = "ap-northeast-1";
const POOL_ID = `${REGION}_CatdataT1`;
const CLIENT_ID = "bundledartifacttestclient";
/** How many data rows of the real Austin intakes file the upload takes (the whole file would only be slower). */
const AUSTIN_ROWS = 400;

/** The native addons each function must carry, one per native module, for `cpu`. */
const expectedAddons = (arch: LambdaArchitecture) => {
  const cpu = arch === "arm64" ? "arm64" : "x64";
  return [
    path.join("node_modules", "@duckdb", `node-bindings-linux-${cpu}`, "duckdb.node"),
    path.join("node_modules", "@node-rs", `argon2-linux-${cpu}-gnu`, `argon2.linux-${cpu}-gnu.node`),
  ];
};

function expectAddonsFor(dir: string, arch: LambdaArchitecture) {
  const addons = nativeAddons(dir);
  expect(addons).toEqual(expectedAddons(arch));
  for (const addon of addons) expect(elfArchitecture(path.join(dir, addon)), addon).toBe(arch);
}

/** The other CPU than this machine's: what a bundle must carry even though the host would load its own. */
const OTHER_ARCHITECTURE: LambdaArchitecture = HOST_ARCHITECTURE === "arm64" ? "x86_64" : "arm64";

/** One NodeLambda (process-cat-data) synthesised in this process with bundling, for `arch`; its asset directory. */
function bundleInProcess(outdir: string, arch: LambdaArchitecture): string {
  // As the CLI does: resources name their asset directory in their metadata.
  const app = new App({ outdir, context: { "aws:cdk:enable-asset-metadata": true } });
  const stack = new Stack(app, "Cross", { env: { region: REGION } });
  new NodeLambda(stack, "Etl", {
    entry: "src/lambda/process-cat-data.ts",
    description: "cross-architecture bundling check",
    logRetention: logs.RetentionDays.ONE_DAY,
    architecture: arch,
  });
  const template = app.synth().getStackByName("Cross").template as {
    Resources: Record<string, { Type: string; Metadata?: Record<string, string> }>;
  };
  const fn = Object.values(template.Resources).find((r) => r.Type === "AWS::Lambda::Function");
  return path.join(outdir, fn!.Metadata!["aws:asset:path"]!);
}

describe("the real synth (cdk synth with bundling and cdk-nag)", () => {
  let outdir: string;
  let crossOutdir: string;
  let crossAsset: string;
  let functions: Map<string, BundledLambda>;
  let s3: TestS3;
  let work: string;

  beforeAll(async () => {
    outdir = mkdtempSync(path.join(os.tmpdir(), "catdata-cdk-out-"));
    crossOutdir = mkdtempSync(path.join(os.tmpdir(), "catdata-cross-"));
    const synth = cdkSynth(outdir, { lambdaArchitecture: HOST_ARCHITECTURE });
    // Meanwhile (the CLI runs in its own process), one function bundled here for the other CPU.
    let crossError: unknown;
    try {
      crossAsset = bundleInProcess(crossOutdir, OTHER_ARCHITECTURE);
    } catch (error) {
      crossError = error;
    }
    const { ms } = await synth;
    if (crossError) throw crossError;
    console.info(`cdk synth with bundling: ${(ms / 1000).toFixed(1)} s`);
    functions = bundledLambdas(outdir);
    s3 = await startS3rver([BUCKET]);
    work = mkdtempSync(path.join(os.tmpdir(), "catdata-bundled-"));
  }, SYNTH_TIMEOUT_MS);
  afterAll(async () => {
    await s3?.close();
    // The synth outputs are about 500 MB: never leave them behind.
    for (const dir of [outdir, crossOutdir, work]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const fn = (constructPath: string): BundledLambda => {
    const found = functions.get(constructPath);
    if (!found) throw new Error(`no bundled Lambda ${constructPath} in ${[...functions.keys()].join(", ")}`);
    return found;
  };

  /** The function's environment from its template, with the references and /tmp paths filled in for this test. */
  const lambdaEnv = (f: BundledLambda, name: string, extra: Record<string, string> = {}) => {
    const home = path.join(work, name);
    mkdirSync(home, { recursive: true });
    return {
      ...f.literalEnv,
      AWS_REGION: REGION,
      AWS_LAMBDA_FUNCTION_NAME: name,
      AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
      CATDATA_S3_BUCKET: BUCKET,
      CATDATA_S3_ENDPOINT: s3.endpoint,
      CATDATA_ACCOUNT_ID: "123456789012",
      CATDATA_HOME: path.join(home, "catdata"),
      CATDATA_KEY_FILE: path.join(home, "keys", "master.key"),
      CATDATA_LOG_LEVEL: "warn",
      ...extra,
    };
  };

  it("synthesises every stack for ap-northeast-1 with no account and no credentials, nag passing", () => {
    const manifest = JSON.parse(readFileSync(path.join(outdir, "manifest.json"), "utf8")) as {
      artifacts: Record<string, { type: string; environment?: string }>;
    };
    const stacks = Object.entries(manifest.artifacts).filter(([, a]) => a.type === "aws:cloudformation:stack");
    expect(stacks.map(([name]) => name).sort()).toEqual(
      ["Api", "App", "Behaviour", "DataLake", "Monitoring", "Network", "Trail", "Warehouse"].map((s) => `Catdata-${s}`),
    );
    for (const [, stack] of stacks) expect(stack.environment).toBe(`aws://unknown-account/${REGION}`);
    // cdk-nag is a validation plugin of the app: a finding fails the synth (infra/test/nag.test.ts pins the rules).
    const report = JSON.parse(readFileSync(path.join(outdir, "validation-report.json"), "utf8")) as {
      pluginReports: { summary: { status: string } }[];
    };
    expect(report.pluginReports.filter((r) => r.summary.status !== "success")).toEqual([]);
  });

  it("bundles each Lambda with the native addons built for its own architecture", () => {
    expect([...functions.keys()].sort()).toEqual([
      "Catdata-Api/ApiHandler/Function",
      "Catdata-Behaviour/CloudTrailMcp/Function",
      "Catdata-DataLake/ProcessCatData/Function",
    ]);
    for (const f of functions.values()) {
      expect(f.architecture, f.path).toBe(HOST_ARCHITECTURE);
      expect(readFileSync(f.moduleFile, "utf8").length).toBeGreaterThan(100_000);
      expectAddonsFor(f.assetDir, f.architecture);
      const pkg = JSON.parse(readFileSync(path.join(f.assetDir, "package.json"), "utf8")) as {
        dependencies: Record<string, string>;
      };
      expect(Object.keys(pkg.dependencies).sort()).toEqual([...UNBUNDLED_MODULES].sort());
    }
  });

  it("bundles the addons of the function's CPU even where the host has another (cross-CPU bundle)", () => {
    expectAddonsFor(crossAsset, OTHER_ARCHITECTURE);
  });

  describe("the bundled MCP Lambda, streamed over a Function URL, against a trail lake in s3rver", () => {
    const flaws2 = sample("cloudtrail", "flaws2");
    /** The part of flaws2 loaded: the files of 23:05 and two of 23:10 (13 events), through the code's own loader. */
    const isPart = (rel: string) =>
      /_20181128T(2305Z_\w+|2310Z_(7J9NEIxrjJsrlXSd|A1lhv3sWzzRIBFVk))\.json\.gz$/.test(rel);
    let loaded: { files: string[]; events: { eventID: string; eventName: string }[] };

    beforeAll(async () => {
      const source = await folderSource(flaws2);
      const files = (await source.list()).filter(isPart);
      const lake = new S3TrailLake({
        bucket: BUCKET,
        region: REGION,
        client: s3.client,
        cacheDir: path.join(work, "t"),
      });
      const summary = await loadTrailSource(lake, { ...source, list: async () => files });
      expect(summary.filesLoaded).toBe(files.length);
      // The events of those files, read independently of catdata: gunzip and JSON.
      const events = files.flatMap(
        (rel) =>
          (
            JSON.parse(gunzipSync(readFileSync(path.join(source.location, rel))).toString("utf8")) as {
              Records: { eventID: string; eventName: string }[];
            }
          ).Records,
      );
      loaded = { files, events };
    });

    const rpc = (id: number, method: string, params: unknown) =>
      functionUrlJsonPost({ jsonrpc: "2.0", id, method, params });
    /** Invokes the bundled MCP handler in RESPONSE_STREAM mode with its template's environment; the streamed answer. */
    const stream = async (event: unknown) => {
      const mcp = fn("Catdata-Behaviour/CloudTrailMcp/Function");
      const outcome = await invokeBundled<StreamedAnswer>(mcp, event, lambdaEnv(mcp, "cloudtrail-mcp"), {
        streaming: true,
      });
      if (!outcome.ok) throw new Error(`the MCP handler threw: ${outcome.error}`);
      return outcome.result;
    };
    // biome-ignore lint/suspicious/noExplicitAny: JSON-RPC answers read field by field in the assertions
    const sseMessages = (body: string): any[] =>
      body
        .split("\n")
        .filter((line) => line.startsWith("data: "))
        .map((line) => JSON.parse(line.slice("data: ".length)));

    it("reads its data from the data bucket: CATDATA_STORE=s3 in the template's environment", () => {
      expect(loaded.files).toHaveLength(4);
      expect(loaded.events).toHaveLength(13);
      const mcp = fn("Catdata-Behaviour/CloudTrailMcp/Function");
      expect(mcp.literalEnv.CATDATA_STORE).toBe("s3");
    });

    it("streams tools/list through the Lambda runtime's response stream: prelude, then SSE", async () => {
      const answer = await stream(rpc(1, "tools/list", {}));
      expect(answer.contentType).toBe("application/vnd.awslambda.http-integration-response");
      expect(answer.prelude.statusCode).toBe(200);
      expect(answer.prelude.headers["content-type"]).toBe("text/event-stream");
      expect(answer.writes).toBeGreaterThan(2);
      const [message] = sseMessages(answer.body);
      expect(message.id).toBe(1);
      const names = (message.result.tools as { name: string }[]).map((t) => t.name);
      expect(names).toEqual(expect.arrayContaining(["lookup_events", "lake_query", "list_principals"]));
    });

    it("streams a lookup_events answer with the loaded files' real event ids, from the trail lake in S3", async () => {
      const answer = await stream(
        rpc(2, "tools/call", { name: "lookup_events", arguments: { max_results: 50, region: REGION } }),
      );
      expect(answer.prelude.statusCode).toBe(200);
      const [message] = sseMessages(answer.body);
      expect(message.id).toBe(2);
      expect(message.result.isError).toBeUndefined();
      const found = message.result.structuredContent as {
        events: { EventId: string; EventName: string }[];
        nextToken?: string;
      };
      expect(found.nextToken).toBeUndefined();
      const byId = (events: { id: string; name: string }[]) => events.sort((x, y) => x.id.localeCompare(y.id));
      expect(byId(found.events.map((e) => ({ id: e.EventId, name: e.EventName })))).toEqual(
        byId(loaded.events.map((e) => ({ id: e.eventID, name: e.eventName }))),
      );
    });
  });

  describe("the bundled process-cat-data and API, against s3rver", () => {
    const key = "raw/us-tx-austin/2026-01-10/Austin_Animal_Center_Intakes.csv";
    let upload: Buffer;
    let expected: { rows: number; cats: number };

    beforeAll(async () => {
      const lines = readFileSync(sample("cats", "austin-aac-intakes-2013-2020", "Austin_Animal_Center_Intakes.csv"))
        .toString("utf8")
        .split("\n");
      upload = Buffer.from(`${lines.slice(0, AUSTIN_ROWS + 1).join("\n")}\n`);
      // Counted independently of the ETL, by DuckDB's CSV reader over the same bytes.
      const file = path.join(work, "upload.csv");
      writeFileSync(file, upload);
      const db = await DuckDb.open(":memory:");
      const [counted] = await db.all<{ rows: number; cats: number }>(
        `SELECT count(*)::INT AS rows, count(*) FILTER (WHERE "Animal Type" = 'Cat')::INT AS cats FROM read_csv(${literal(file)}, header = true, all_varchar = true)`,
      );
      db.close();
      expected = counted!;
      const store = new S3ObjectStore({ region: REGION, client: s3.client, emitLocalEvents: false });
      await store.put(key, upload, { contentType: "text/csv" });
    });

    it("loads an upload under raw/ into committed Parquet under curated/, queryable", async () => {
      const etl = fn("Catdata-DataLake/ProcessCatData/Function");
      const outcome = await invokeBundled<{
        jobs: { jobId: string; status: string; counts: Record<string, number> }[];
      }>(etl, s3PutEvent(BUCKET, key, upload.length), lambdaEnv(etl, "process-cat-data"));
      expect(outcome).toMatchObject({ ok: true });
      if (!outcome.ok) return;
      const jobId = jobIdFor(BUCKET, key, "null");
      expect(outcome.result.jobs.map((j) => [j.jobId, j.status])).toEqual([[jobId, "succeeded"]]);
      const counts = outcome.result.jobs[0]!.counts;
      expect(expected.cats).toBeGreaterThan(0);
      expect(counts.read).toBe(expected.rows);
      expect(counts.read! - counts.skipped!).toBe(expected.cats);

      const lake = new S3Lake({ bucket: BUCKET, region: REGION, client: s3.client, scratchDir: path.join(work, "l") });
      const catalog = await lake.readCatalog();
      const parts = catalog.tables.intakes?.files ?? [];
      expect(parts.length).toBeGreaterThan(0);
      for (const part of parts) {
        expect(part.jobId).toBe(jobId);
        const object = `curated/${part.path}`;
        const body = await s3.client.send(new GetObjectCommand({ Bucket: BUCKET, Key: object }));
        const bytes = Buffer.from(await body.Body!.transformToByteArray());
        expect(bytes.subarray(0, 4).toString("latin1"), object).toBe("PAR1");
        expect(bytes.subarray(-4).toString("latin1"), object).toBe("PAR1");
        expect(bytes.length).toBe(part.size);
      }
      const engine = await DuckDbQueryEngine.open(lake);
      try {
        const result = await engine.query("SELECT count(*)::INT AS n FROM intakes");
        expect(result.rows[0]?.n).toBe(counts.loaded);
        expect(counts.loaded! + counts.quarantined! + counts.deduplicated!).toBe(expected.cats);
      } finally {
        await engine.close();
      }
    });

    it("throws when the job fails, so Lambda retries and the dead-letter queue see it", async () => {
      const etl = fn("Catdata-DataLake/ProcessCatData/Function");
      const emptyKey = "raw/us-tx-austin/2026-01-10/empty.csv";
      await new S3ObjectStore({ region: REGION, client: s3.client, emitLocalEvents: false }).put(
        emptyKey,
        Buffer.alloc(0),
        { contentType: "text/csv" },
      );
      const outcome = await invokeBundled(etl, s3PutEvent(BUCKET, emptyKey, 0), lambdaEnv(etl, "process-cat-data"));
      expect(outcome.ok).toBe(false);
      expect(outcome.ok ? "" : outcome.error).toMatch(/empty\.csv.*is empty/);
    });

    it("answers API Gateway proxy events: public, unauthenticated and Cognito-signed", async () => {
      const api = fn("Catdata-Api/ApiHandler/Function");
      const { publicKey, privateKey } = await generateKeyPair("RS256");
      const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: "test-key", alg: "RS256", use: "sig" }] };
      const iat = Math.floor(Date.now() / 1000);
      const token = await new SignJWT({
        "cognito:username": "ana",
        "cognito:groups": ["admin"],
        username: "ana",
        token_use: "access",
        client_id: CLIENT_ID,
        scope: "aws.cognito.signin.user.admin",
      })
        .setProtectedHeader({ alg: "RS256", kid: "test-key" })
        .setIssuer(`https://cognito-idp.${REGION}.amazonaws.com/${POOL_ID}`)
        .setSubject("3c4f9a3e-0000-4000-8000-000000000001")
        .setIssuedAt(iat)
        .setExpirationTime(iat + 3600)
        .sign(privateKey);
      // The template reads the marts from Redshift; its host and secret are deploy-time tokens and no cluster
      // runs here, so this run uses the local warehouse (the Redshift path: src/warehouse/redshift-warehouse.test.ts).
      expect(api.literalEnv.CATDATA_WAREHOUSE).toBe("redshift");
      const env = lambdaEnv(api, "cat-data-api", {
        CATDATA_USER_POOL_ID: POOL_ID,
        CATDATA_USER_POOL_CLIENT_ID: CLIENT_ID,
        CATDATA_WAREHOUSE: "duckdb",
      });
      type Proxy = { statusCode: number; body: string; headers: Record<string, string> };
      const call = async (route: string, headers: Record<string, string> = {}) => {
        const outcome = await invokeBundled<Proxy>(api, apiGatewayRestEvent("GET", route, headers), env, {
          cognitoJwks: jwks,
        });
        if (!outcome.ok) throw new Error(`the API handler threw: ${outcome.error}`);
        return { status: outcome.result.statusCode, body: JSON.parse(outcome.result.body) as Record<string, unknown> };
      };

      const openapi = await call("/openapi.json");
      expect(openapi.status).toBe(200);
      expect(openapi.body.openapi).toMatch(/^3\./);
      const jobId = jobIdFor(BUCKET, key, "null");
      const anonymous = await call(`/uploads/${jobId}`);
      expect(anonymous.status).toBe(401);
      const signed = await call(`/uploads/${jobId}`, { Authorization: `Bearer ${token}` });
      expect(signed.status).toBe(200);
      expect(signed.body).toMatchObject({ jobId, key, status: "succeeded" });
    });
  });
});
