import { ArnFormat, Duration, Stack, type StackProps } from "aws-cdk-lib";
import * as athena from "aws-cdk-lib/aws-athena";
import * as events from "aws-cdk-lib/aws-events";
import * as glue from "aws-cdk-lib/aws-glue";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as logs from "aws-cdk-lib/aws-logs";
import * as s3 from "aws-cdk-lib/aws-s3";
import * as s3n from "aws-cdk-lib/aws-s3-notifications";
import * as sqs from "aws-cdk-lib/aws-sqs";
import type { Construct } from "constructs";
import type { CatdataInfraConfig } from "../config.js";
import {
  type DataLakeRefs,
  glueArns,
  grantAthenaQuery,
  grantPrefixRead,
  grantPrefixWrite,
} from "../constructs/data-lake-access.js";
import { NodeLambda } from "../constructs/node-lambda.js";
import { createLogBucket, SecureBucket } from "../constructs/secure-bucket.js";
import { CURATED_DATASETS, curatedTableInput } from "../glue-tables.js";
import { acknowledge, acknowledgeWildcardResources } from "../nag.js";
import { dataLakeEnv, EPHEMERAL_ENV } from "../runtime-env.js";

/**
 * Seconds the partition refresh collects commits before it starts one crawl (the Glue event trigger's batch window;
 * Glue allows 1–900): a partition written by a load is visible to Athena at most this long plus one crawl later.
 */
export const PARTITION_REFRESH_WINDOW_SECONDS = 300;
/** Commits that start the crawl at once, before the window ends (Glue allows 1–100). */
export const PARTITION_REFRESH_BATCH = 100;

export interface DataLakeStackProps extends StackProps {
  readonly config: CatdataInfraConfig;
}

export const DATA_LAKE = {
  databaseName: "catdata",
  workgroupName: "catdata",
  rawPrefix: "raw/",
  curatedPrefix: "curated/",
  /** ETL job records, quarantined rows and dead letters (the S3 job log, src/etl/s3-job-log.ts). */
  jobsPrefix: "jobs/",
  /** Confirmed declarative mappings an upload names (`profile: mapping:<key>`). */
  mappingsPrefix: "mappings/",
  resultsPrefix: "athena-query-results/",
  /** The lake's commit point (src/lake/s3-lake.ts: the manifest `<curated prefix>_catalog.json`). */
  catalogKey: "curated/_catalog.json",
  processFunctionName: "process-cat-data",
} as const;

/**
 * Design 003's data lake: `cat-data-bucket` (versioned, SSE-S3 AES-256), the `process-cat-data` Lambda on S3 PUT under
 * `raw/` (it does the ETL itself and writes `curated/`; no Glue job), the Glue database with one Parquet table per
 * curated dataset (columns from src/cats/schema.ts, infra/lib/glue-tables.ts), a crawler that adds their new
 * partitions, and the Athena workgroup with its `athena-execution-role`.
 */
export class DataLakeStack extends Stack implements DataLakeRefs {
  readonly bucket: s3.Bucket;
  /** The bucket name as a plain string, for grants and environments in other stacks without cross-stack exports. */
  readonly bucketName: string;
  readonly databaseName = DATA_LAKE.databaseName;
  readonly workgroupName = DATA_LAKE.workgroupName;
  readonly resultsPrefix = DATA_LAKE.resultsPrefix;
  readonly processor: NodeLambda;
  readonly deadLetterQueue: sqs.Queue;
  readonly crawlerName = "catdata-curated";

  constructor(scope: Construct, id: string, props: DataLakeStackProps) {
    super(scope, id, props);
    const { config } = props;

    const accessLogs = createLogBucket(this, "AccessLogs", config.logRetentionDays);
    this.bucketName = config.bucketName ?? `cat-data-bucket-${this.account}-${this.region}`;
    this.bucket = new SecureBucket(this, "DataBucket", {
      bucketName: this.bucketName,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: "cat-data-bucket/",
      // S3 events to EventBridge: a commit of the lake (its catalog object) starts the partition refresh.
      eventBridgeEnabled: true,
      lifecycleRules: [
        { id: "expire-query-results", prefix: DATA_LAKE.resultsPrefix, expiration: Duration.days(30) },
        { id: "expire-old-versions", noncurrentVersionExpiration: Duration.days(90) },
      ],
    });

    this.deadLetterQueue = new sqs.Queue(this, "ProcessDlq", {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });

    this.addCatalog();
    this.addWorkgroup();

    this.processor = new NodeLambda(this, "ProcessCatData", {
      functionName: DATA_LAKE.processFunctionName,
      entry: "src/lambda/process-cat-data.ts",
      description: "ETL of municipal cat data: raw/ uploads to curated/ (design 003 process-cat-data)",
      memorySize: 1024,
      timeout: Duration.minutes(5),
      logRetention: config.logRetentionDays as logs.RetentionDays,
      deadLetterQueue: this.deadLetterQueue,
      architecture: config.lambdaArchitecture,
      environment: {
        ...EPHEMERAL_ENV,
        ...dataLakeEnv(this, this.account),
        CATDATA_ATHENA_DATABASE: this.databaseName,
      },
    });
    const fn = this.processor.fn;
    for (const event of [s3.EventType.OBJECT_CREATED_PUT, s3.EventType.OBJECT_CREATED_COMPLETE_MULTIPART_UPLOAD]) {
      this.bucket.addEventNotification(event, new s3n.LambdaDestination(fn), { prefix: DATA_LAKE.rawPrefix });
    }
    // The ETL reads the upload and its mapping, reads and commits the lake (parts + its catalog object
    // under curated/), and keeps its job record, quarantine and dead letters under jobs/.
    grantPrefixRead(fn, this.bucketName, [
      DATA_LAKE.rawPrefix,
      DATA_LAKE.mappingsPrefix,
      DATA_LAKE.curatedPrefix,
      DATA_LAKE.jobsPrefix,
    ]);
    grantPrefixWrite(fn, this.bucketName, [DATA_LAKE.curatedPrefix, DATA_LAKE.jobsPrefix]);
    grantAthenaQuery(fn, this, [DATA_LAKE.curatedPrefix]);
    // No glue:StartCrawler: the ETL does not start the crawler; its commits do, through EventBridge
    // (addPartitionRefresh).

    // The S3 notification handler is CDK's own singleton Lambda; its findings are CDK's, not ours.
    const notifications = this.node.tryFindChild("BucketNotificationsHandler050a0587b7544547bf325f094a3db834");
    if (notifications) {
      acknowledge(
        notifications,
        "CDK's own BucketNotificationsHandler (it configures the bucket's notifications) uses the AWS-managed basic execution policy.",
        "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]",
      );
    }
  }

  /** Athena in the `catdata` workgroup over `curated/`, results under `athena-query-results/`. */
  grantQuery(grantee: iam.IGrantable): void {
    grantAthenaQuery(grantee, this, [DATA_LAKE.curatedPrefix]);
  }

  private addCatalog(): void {
    const database = new glue.CfnDatabase(this, "Database", {
      catalogId: this.account,
      databaseInput: { name: this.databaseName, description: "Municipal cat data (curated), design 003" },
    });
    // The tables are defined here from the lake schema (one source of truth); the crawler only adds partitions.
    const tables = CURATED_DATASETS.map((dataset) => {
      const table = new glue.CfnTable(this, `Table-${dataset}`, {
        catalogId: this.account,
        databaseName: this.databaseName,
        tableInput: curatedTableInput(dataset, this.bucketName, DATA_LAKE.curatedPrefix),
      });
      table.addDependency(database);
      return table;
    });

    const role = new iam.Role(this, "CrawlerRole", {
      assumedBy: new iam.ServicePrincipal("glue.amazonaws.com"),
      description: "Glue crawler over curated/ of the cat data bucket",
    });
    const g = glueArns(this, this.databaseName);
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: [
          "glue:GetDatabase",
          "glue:GetTable",
          "glue:GetTables",
          // No CreateTable: a crawler over catalog targets never creates tables (the tables above are the schema).
          "glue:UpdateTable",
          "glue:GetPartition",
          "glue:GetPartitions",
          "glue:BatchGetPartition",
          "glue:CreatePartition",
          "glue:BatchCreatePartition",
          "glue:UpdatePartition",
          "glue:BatchUpdatePartition",
        ],
        resources: [g.catalog, g.database, g.tables],
      }),
    );
    const crawlerLogs = this.formatArn({
      service: "logs",
      resource: "log-group",
      resourceName: "/aws-glue/crawlers*",
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
        resources: [crawlerLogs],
      }),
    );
    grantPrefixRead(role, this.bucketName, [DATA_LAKE.curatedPrefix]);
    acknowledgeWildcardResources(role, "The crawler maintains the tables of the catdata database only.", [g.tables]);
    acknowledgeWildcardResources(
      role,
      "Glue crawlers write to log groups under /aws-glue/crawlers whose names Glue chooses.",
      [crawlerLogs],
    );

    const securityConfiguration = new glue.CfnSecurityConfiguration(this, "CrawlerSecurity", {
      name: "catdata-crawler",
      encryptionConfiguration: {
        s3Encryptions: [{ s3EncryptionMode: "SSE-S3" }],
        cloudWatchEncryption: { cloudWatchEncryptionMode: "DISABLED" },
        jobBookmarksEncryption: { jobBookmarksEncryptionMode: "DISABLED" },
      },
    });
    const crawler = new glue.CfnCrawler(this, "Crawler", {
      name: this.crawlerName,
      role: role.roleArn,
      databaseName: this.databaseName,
      description:
        "Adds the new municipality=/fiscal_year= partitions of the curated tables (their columns come from the lake schema)",
      // Catalog targets: the crawler reads the tables' own locations and never changes their columns (LOG), so
      // the lake schema stays the one source of truth; new partitions inherit the table's Parquet SerDe.
      targets: { catalogTargets: [{ databaseName: this.databaseName, tables: [...CURATED_DATASETS] }] },
      schedule: { scheduleExpression: "cron(0 3 * * ? *)" },
      schemaChangePolicy: { updateBehavior: "LOG", deleteBehavior: "LOG" },
      crawlerSecurityConfiguration: securityConfiguration.name,
      configuration: JSON.stringify({
        Version: 1.0,
        CrawlerOutput: { Partitions: { AddOrUpdateBehavior: "InheritFromTable" } },
      }),
    });
    for (const table of tables) crawler.addDependency(table);
    this.addPartitionRefresh(crawler);
    acknowledge(
      crawler,
      "Crawler logs hold schema-inference messages, not cat data; KMS-encrypting them would add a key for no data at risk.",
      "AwsSolutions-GL1",
    );
  }

  /**
   * New partitions without MSCK and without waiting for the nightly run: each commit of the lake rewrites
   * `curated/_catalog.json`; EventBridge passes that S3 event to a Glue workflow whose event trigger collects commits
   * for PARTITION_REFRESH_WINDOW_SECONDS and then starts the crawler once. (Partition projection cannot be used:
   * municipality codes are not an enumerable range.) A batch that fires while a crawl is still running fails to start
   * it (the crawler runs once at a time); the next commit or the nightly run picks its partitions up.
   */
  private addPartitionRefresh(crawler: glue.CfnCrawler): void {
    const workflow = new glue.CfnWorkflow(this, "PartitionRefresh", {
      name: "catdata-partition-refresh",
      description: "Crawls the curated tables' new partitions after lake commits (curated/_catalog.json written)",
    });
    const workflowArn = this.formatArn({ service: "glue", resource: "workflow", resourceName: workflow.ref });
    const trigger = new glue.CfnTrigger(this, "PartitionRefreshTrigger", {
      name: "catdata-partition-refresh-on-commit",
      type: "EVENT",
      workflowName: workflow.ref,
      actions: [{ crawlerName: crawler.ref }],
      eventBatchingCondition: { batchSize: PARTITION_REFRESH_BATCH, batchWindow: PARTITION_REFRESH_WINDOW_SECONDS },
    });
    trigger.addDependency(crawler);
    const role = new iam.Role(this, "PartitionRefreshRole", {
      assumedBy: new iam.ServicePrincipal("events.amazonaws.com"),
      description: "EventBridge: notify the catdata-partition-refresh Glue workflow of lake commits",
    });
    role.addToPolicy(new iam.PolicyStatement({ actions: ["glue:NotifyEvent"], resources: [workflowArn] }));
    const rule = new events.Rule(this, "LakeCommitted", {
      description: "A commit of the curated lake (its catalog object written) starts the partition refresh",
      eventPattern: {
        source: ["aws.s3"],
        detailType: ["Object Created"],
        detail: { bucket: { name: [this.bucketName] }, object: { key: [DATA_LAKE.catalogKey] } },
      },
    });
    rule.addTarget({ bind: () => ({ arn: workflowArn, role }) });
    rule.node.addDependency(trigger);
  }

  private addWorkgroup(): void {
    new athena.CfnWorkGroup(this, "Workgroup", {
      name: this.workgroupName,
      description: "catdata queries over the Glue catalog (design 003)",
      state: "ENABLED",
      recursiveDeleteOption: false,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: 10 * 1024 ** 3,
        engineVersion: { selectedEngineVersion: "AUTO" },
        resultConfiguration: {
          outputLocation: `s3://${this.bucketName}/${DATA_LAKE.resultsPrefix}`,
          encryptionConfiguration: { encryptionOption: "SSE_S3" },
        },
      },
    });

    const role = new iam.Role(this, "AthenaExecutionRole", {
      roleName: "athena-execution-role",
      assumedBy: new iam.AccountRootPrincipal(),
      description: "Design 003 athena-execution-role: query the catdata workgroup over the cat data bucket",
      maxSessionDuration: Duration.hours(4),
    });
    this.grantQuery(role);
  }
}
