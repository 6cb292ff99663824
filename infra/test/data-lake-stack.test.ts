/**
 * Pins design 003's data lake: the versioned AES-256 bucket (public access blocked, TLS only, access logs), the
 * process-cat-data Lambda on S3 PUT under raw/ with its DLQ and log group, the Glue database, the curated tables
 * (columns generated here from SCHEMAS; a column added to the schema but not to a table is caught; partition keys
 * and data columns equal what the real Parquet writer puts in the path and in the file), the crawler that only adds
 * their partitions, the Athena workgroup writing to athena-query-results/ (and the engine, configured from the
 * Lambda's own environment, querying that workgroup and database), and athena-execution-role.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { AthenaClient, GetQueryExecutionCommand, StartQueryExecutionCommand } from "@aws-sdk/client-athena";
import { HeadObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { Match, Template } from "aws-cdk-lib/assertions";
import { mockClient } from "aws-sdk-client-mock";
import { describe, expect, it } from "vitest";
import { DATASETS, type Dataset } from "../../src/cats/model.js";
import { type Column, SCHEMAS } from "../../src/cats/schema.js";
import { loadConfig } from "../../src/config/config.js";
import { DuckDb, literal } from "../../src/duckdb/duckdb.js";
import { ParquetDatasetWriter } from "../../src/lake/parquet-writer.js";
import { S3Lake } from "../../src/lake/s3-lake.js";
import { AthenaQueryEngine } from "../../src/sql/athena-engine.js";
import { DATA_LAKE, PARTITION_REFRESH_BATCH, PARTITION_REFRESH_WINDOW_SECONDS } from "../lib/stacks/data-lake-stack.js";
import { allPolicyStatements, asArray, buildTestApp, TEST_ENV } from "./synth.js";

const { app, stacks } = buildTestApp();
const template = Template.fromStack(stacks.dataLake);
const bucketName = `cat-data-bucket-${TEST_ENV.account}-${TEST_ENV.region}`;

/** The Hive type each lake type must be catalogued as (written out here, not imported from infra/lib/glue-tables.ts). */
const HIVE: Record<Column["type"], string> = {
  VARCHAR: "string",
  INTEGER: "int",
  DOUBLE: "double",
  BOOLEAN: "boolean",
  TIMESTAMP: "timestamp",
  DATE: "date",
};
const PARTITIONS = ["municipality", "fiscal_year"];
type GlueColumn = { Name: string; Type: string };

function tableInput(dataset: string) {
  const tables = Object.values(template.findResources("AWS::Glue::Table")).filter(
    (t) => t.Properties.TableInput.Name === dataset,
  );
  expect(tables, `one Glue table named ${dataset}`).toHaveLength(1);
  return tables[0]!.Properties.TableInput as {
    PartitionKeys: GlueColumn[];
    StorageDescriptor: { Columns: GlueColumn[]; Location: string };
  };
}

/** Where the Glue tables of the template differ from `schemas` (partition keys first, then the data columns). */
function schemaMismatches(schemas: Record<Dataset, Column[]>): string[] {
  return DATASETS.flatMap((dataset) => {
    const input = tableInput(dataset);
    const expected = schemas[dataset].map((c) => ({ Name: c.column, Type: HIVE[c.type] }));
    const actual = [...input.PartitionKeys, ...input.StorageDescriptor.Columns];
    const problems: string[] = [];
    const show = (cs: GlueColumn[]) => cs.map((c) => `${c.Name} ${c.Type}`).join(", ");
    if (JSON.stringify(actual) !== JSON.stringify(expected)) {
      problems.push(`${dataset}: table has [${show(actual)}], schema has [${show(expected)}]`);
    }
    if (input.PartitionKeys.map((c) => c.Name).join() !== PARTITIONS.join()) {
      problems.push(`${dataset}: partition keys ${show(input.PartitionKeys)}`);
    }
    return problems;
  });
}

describe("DataLakeStack", () => {
  it("creates cat-data-bucket versioned, SSE-S3 (AES256), private, with access logs", () => {
    template.hasResourceProperties("AWS::S3::Bucket", {
      BucketName: bucketName,
      VersioningConfiguration: { Status: "Enabled" },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } }],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      LoggingConfiguration: { DestinationBucketName: Match.anyValue(), LogFilePrefix: "cat-data-bucket/" },
    });
  });

  it("denies non-TLS access to the bucket", () => {
    template.hasResourceProperties("AWS::S3::BucketPolicy", {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
        ]),
      },
    });
  });

  it("runs process-cat-data on S3 PUT under raw/", () => {
    template.hasResourceProperties("Custom::S3BucketNotifications", {
      NotificationConfiguration: {
        LambdaFunctionConfigurations: Match.arrayWith([
          Match.objectLike({
            Events: ["s3:ObjectCreated:Put"],
            Filter: { Key: { FilterRules: [{ Name: "prefix", Value: "raw/" }] } },
          }),
        ]),
      },
    });
    template.hasResourceProperties("AWS::Lambda::Function", {
      FunctionName: "process-cat-data",
      Runtime: "nodejs22.x",
      Architectures: ["arm64"],
      Handler: "index.handler",
      TracingConfig: { Mode: "Active" },
      DeadLetterConfig: { TargetArn: Match.anyValue() },
      Environment: {
        Variables: Match.objectLike({ CATDATA_S3_BUCKET: bucketName, CATDATA_ATHENA_WORKGROUP: "catdata" }),
      },
    });
    template.hasResourceProperties("AWS::Lambda::Permission", {
      Action: "lambda:InvokeFunction",
      Principal: "s3.amazonaws.com",
    });
  });

  it("lets process-cat-data read raw/ and mappings/, and write exactly curated/, jobs/ and its query results", () => {
    const processor = allPolicyStatements(app).filter(
      ({ where, statement }) => where.includes("ProcessCatData") && statement.Effect === "Allow",
    );
    const objectsFor = (action: string) =>
      processor
        .filter(({ statement }) => asArray(statement.Action).includes(action))
        .flatMap(({ statement }) => asArray(statement.Resource).map((r) => JSON.stringify(r)))
        .map((r) => /\/([a-z-]+\/)\*/.exec(r)?.[1])
        .filter((p): p is string => p !== undefined)
        .sort();
    expect(objectsFor("s3:GetObject")).toEqual(expect.arrayContaining(["curated/", "jobs/", "mappings/", "raw/"]));
    // athena-query-results/: where its Athena queries write their results.
    expect(objectsFor("s3:PutObject")).toEqual(["athena-query-results/", "curated/", "jobs/"]);
    // Its commits start the partition refresh (EventBridge → Glue workflow); it never calls the crawler itself.
    const actions = processor.flatMap(({ statement }) => asArray(statement.Action));
    expect(
      actions.filter((a) => a.startsWith("glue:") && !a.startsWith("glue:Get") && a !== "glue:BatchGetPartition"),
    ).toEqual([]);
  });

  it("keeps the design's log group /aws/lambda/process-cat-data with a retention", () => {
    template.hasResourceProperties("AWS::Logs::LogGroup", {
      LogGroupName: "/aws/lambda/process-cat-data",
      RetentionInDays: 365,
    });
  });

  it("encrypts the dead-letter queue and requires TLS on it", () => {
    template.hasResourceProperties("AWS::SQS::Queue", { SqsManagedSseEnabled: true, MessageRetentionPeriod: 1209600 });
  });

  it("catalogues curated/ in the Glue database catdata; the crawler only adds the tables' partitions", () => {
    template.hasResourceProperties("AWS::Glue::Database", { DatabaseInput: { Name: "catdata" } });
    template.hasResourceProperties("AWS::Glue::Crawler", {
      DatabaseName: "catdata",
      Targets: { CatalogTargets: [{ DatabaseName: "catdata", Tables: [...DATASETS] }] },
      SchemaChangePolicy: { UpdateBehavior: "LOG", DeleteBehavior: "LOG" },
      Schedule: { ScheduleExpression: Match.stringLikeRegexp("^cron\\(") },
    });
    const [crawler] = Object.values(template.findResources("AWS::Glue::Crawler"));
    expect(JSON.parse(crawler!.Properties.Configuration)).toEqual({
      Version: 1,
      CrawlerOutput: { Partitions: { AddOrUpdateBehavior: "InheritFromTable" } },
    });
    expect(crawler!.Properties.Targets.S3Targets).toBeUndefined();
    // The crawler never creates tables: the schema is the template's.
    const crawlerActions = allPolicyStatements(app)
      .filter(({ where }) => where.includes("CrawlerRole"))
      .flatMap(({ statement }) => asArray(statement.Action));
    expect(crawlerActions).toContain("glue:BatchCreatePartition");
    expect(crawlerActions).not.toContain("glue:CreateTable");
  });

  it("crawls new partitions within the batch window after a lake commit (curated/_catalog.json written)", async () => {
    expect([PARTITION_REFRESH_WINDOW_SECONDS, PARTITION_REFRESH_BATCH]).toEqual([300, 100]);
    template.hasResourceProperties("Custom::S3BucketNotifications", {
      BucketName: Match.anyValue(),
      NotificationConfiguration: Match.objectLike({ EventBridgeConfiguration: {} }),
    });
    template.hasResourceProperties("AWS::Events::Rule", {
      EventPattern: {
        source: ["aws.s3"],
        "detail-type": ["Object Created"],
        detail: { bucket: { name: [bucketName] }, object: { key: ["curated/_catalog.json"] } },
      },
      Targets: [
        Match.objectLike({
          Arn: {
            "Fn::Join": ["", Match.arrayWith([Match.stringLikeRegexp(":workflow/$"), { Ref: Match.anyValue() }])],
          },
          RoleArn: Match.anyValue(),
        }),
      ],
    });
    template.hasResourceProperties("AWS::Glue::Workflow", { Name: "catdata-partition-refresh" });
    template.hasResourceProperties("AWS::Glue::Trigger", {
      Type: "EVENT",
      WorkflowName: { Ref: Match.anyValue() },
      Actions: [{ CrawlerName: { Ref: Match.anyValue() } }],
      EventBatchingCondition: { BatchSize: 100, BatchWindow: 300 },
    });
    const notify = allPolicyStatements(app).filter(({ statement }) =>
      asArray(statement.Action).includes("glue:NotifyEvent"),
    );
    expect(notify).toHaveLength(1);
    expect(notify[0]!.where).toContain("PartitionRefreshRole");
    expect(asArray(notify[0]!.statement.Action)).toEqual(["glue:NotifyEvent"]);
    expect(JSON.stringify(notify[0]!.statement.Resource)).toMatch(/:workflow\/"/);
    // The key the rule matches is the one the S3 lake reads and writes as its catalog.
    const s3 = new S3Client({ region: TEST_ENV.region });
    const mocked = mockClient(s3);
    mocked.on(HeadObjectCommand).resolves({ ETag: '"e1"' });
    const scratchDir = await mkdtemp(path.join(tmpdir(), "catdata-s3lake-"));
    try {
      await new S3Lake({ bucket: bucketName, region: TEST_ENV.region, scratchDir, client: s3 }).catalogStamp();
    } finally {
      await rm(scratchDir, { recursive: true, force: true });
    }
    expect(mocked.commandCalls(HeadObjectCommand)[0]?.args[0].input).toEqual({
      Bucket: bucketName,
      Key: DATA_LAKE.catalogKey,
    });
  });

  it("defines one external Parquet table per curated dataset at s3://<bucket>/curated/<dataset>/", () => {
    template.resourceCountIs("AWS::Glue::Table", DATASETS.length);
    for (const dataset of DATASETS) {
      template.hasResourceProperties("AWS::Glue::Table", {
        DatabaseName: "catdata",
        CatalogId: TEST_ENV.account,
        TableInput: Match.objectLike({
          Name: dataset,
          TableType: "EXTERNAL_TABLE",
          Parameters: Match.objectLike({ classification: "parquet", EXTERNAL: "TRUE" }),
          StorageDescriptor: Match.objectLike({
            Location: `s3://${bucketName}/curated/${dataset}/`,
            InputFormat: "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
            OutputFormat: "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
            SerdeInfo: Match.objectLike({
              SerializationLibrary: "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
            }),
          }),
        }),
      });
    }
  });

  it("gives every table exactly the lake schema's columns, and catches a column added to the schema only", () => {
    expect(schemaMismatches(SCHEMAS)).toEqual([]);
    const grown = { ...SCHEMAS, tnr: [...SCHEMAS.tnr, { field: "vetName", column: "vet_name", type: "VARCHAR" }] };
    expect(schemaMismatches(grown as Record<Dataset, Column[]>)).toEqual([
      expect.stringMatching(/^tnr: table has \[.*\], schema has \[.*, vet_name string\]$/),
    ]);
  });

  it("partitions and types each table as the lake's Parquet writer lays out its files", async () => {
    const staging = await mkdtemp(path.join(tmpdir(), "catdata-glue-"));
    const db = await DuckDb.open(":memory:");
    try {
      for (const dataset of DATASETS) {
        const writer = await ParquetDatasetWriter.open(staging, dataset, "job1");
        await writer.append({ municipality: "131041", fiscalYear: 2024, sourceJob: "job1", sourceRow: 1 }, 1);
        const [file, ...more] = await writer.finish();
        expect(more).toEqual([]);
        // The path holds the partition keys, in the tables' order …
        const input = tableInput(dataset);
        const partitions = input.PartitionKeys.map((k) => `${k.Name}=${k.Name === "municipality" ? "131041" : 2024}`);
        expect(path.dirname(file!).split(path.sep)).toEqual(partitions);
        // … and the file every other column, with the types the table declares.
        const described = await db.all<{ column_name: string; column_type: string }>(
          `DESCRIBE SELECT * FROM read_parquet(${literal(path.join(staging, dataset, file!))}, hive_partitioning = false)`,
        );
        expect(described.map((c) => ({ Name: c.column_name, Type: HIVE[c.column_type as Column["type"]] }))).toEqual(
          input.StorageDescriptor.Columns,
        );
      }
    } finally {
      db.close();
      await rm(staging, { recursive: true, force: true });
    }
  });

  it("points the Athena engine, configured from process-cat-data's environment, at the Glue database and workgroup", async () => {
    const fns = template.findResources("AWS::Lambda::Function", { Properties: { FunctionName: "process-cat-data" } });
    const env = Object.values(fns)[0]!.Properties.Environment.Variables as Record<string, string>;
    const config = loadConfig(env, tmpdir());
    expect(config.queryEngine).toMatchObject({ kind: "athena", athenaWorkgroup: "catdata", athenaDatabase: "catdata" });
    const client = new AthenaClient({ region: TEST_ENV.region });
    const athena = mockClient(client);
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: "q1" });
    athena.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: "FAILED" } } });
    const engine = new AthenaQueryEngine({
      workgroup: config.queryEngine.athenaWorkgroup,
      database: config.queryEngine.athenaDatabase,
      outputBucket: config.store.bucket,
      client,
    });
    await expect(engine.query("SELECT count(*) FROM intakes")).rejects.toThrow(/q1 failed/);
    const [database] = Object.values(template.findResources("AWS::Glue::Database"));
    const [workgroup] = Object.values(template.findResources("AWS::Athena::WorkGroup"));
    expect(athena.commandCalls(StartQueryExecutionCommand)[0]?.args[0].input).toMatchObject({
      QueryString: "SELECT count(*) FROM intakes",
      WorkGroup: workgroup!.Properties.Name,
      QueryExecutionContext: { Database: database!.Properties.DatabaseInput.Name, Catalog: "AwsDataCatalog" },
      ResultConfiguration: { OutputLocation: `s3://${bucketName}/athena-query-results/` },
    });
    expect(tableInput("intakes").StorageDescriptor.Location).toBe(`s3://${bucketName}/curated/intakes/`);
  });

  it("sends Athena results to s3://<bucket>/athena-query-results/, encrypted and enforced", () => {
    template.hasResourceProperties("AWS::Athena::WorkGroup", {
      Name: "catdata",
      WorkGroupConfiguration: Match.objectLike({
        EnforceWorkGroupConfiguration: true,
        ResultConfiguration: {
          OutputLocation: `s3://${bucketName}/athena-query-results/`,
          EncryptionConfiguration: { EncryptionOption: "SSE_S3" },
        },
      }),
    });
  });

  it("scopes athena-execution-role to the workgroup, the catdata database and the bucket", () => {
    const roles = template.findResources("AWS::IAM::Role", { Properties: { RoleName: "athena-execution-role" } });
    const [roleId] = Object.keys(roles);
    expect(roleId).toBeDefined();
    const policies = Object.values(template.findResources("AWS::IAM::Policy")).filter((p) =>
      JSON.stringify(p.Properties.Roles).includes(roleId!),
    );
    const resources = JSON.stringify(policies.map((p) => p.Properties.PolicyDocument));
    expect(resources).toContain(`workgroup/catdata`);
    expect(resources).toContain(`database/catdata`);
    expect(resources).toContain(`arn:aws:s3:::${bucketName}/athena-query-results/*`);
    expect(resources).not.toMatch(/"Resource":"\*"/);
  });
});
