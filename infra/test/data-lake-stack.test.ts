/**
 * Pins design 003's data lake: the versioned AES-256 bucket (public access blocked, TLS only, access logs), the
 * process-cat-data Lambda on S3 PUT under raw/ with its DLQ and log group, the Glue database and crawler over curated/,
 * the Athena workgroup writing to athena-query-results/, and athena-execution-role.
 */
import { Match, Template } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import { allPolicyStatements, asArray, buildTestApp, TEST_ENV } from "./synth.js";

const { app, stacks } = buildTestApp();
const template = Template.fromStack(stacks.dataLake);
const bucketName = `cat-data-bucket-${TEST_ENV.account}-${TEST_ENV.region}`;

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

  it("catalogues curated/ in the Glue database catdata", () => {
    template.hasResourceProperties("AWS::Glue::Database", { DatabaseInput: { Name: "catdata" } });
    template.hasResourceProperties("AWS::Glue::Crawler", {
      DatabaseName: "catdata",
      Targets: { S3Targets: [{ Path: `s3://${bucketName}/curated/` }] },
      Schedule: { ScheduleExpression: Match.stringLikeRegexp("^cron\\(") },
    });
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
