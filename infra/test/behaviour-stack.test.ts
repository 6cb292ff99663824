/**
 * Pins design 000's CloudTrail MCP server: Node 22, 256 MB, 15 minutes, a Function URL streaming its responses and
 * requiring SigV4 (AWS_IAM, not the design's NONE), a role that reads CloudTrail and the trail without `cloudtrail:*`;
 * the server's own data in the data bucket: CATDATA_STORE=s3 and that bucket in its environment, reads of `trail/` and
 * `models/` only, and one write, the behaviour model's object.
 */
import { Match, Template } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import { asArray, buildTestApp, type PolicyStatementJson } from "./synth.js";

const { stacks } = buildTestApp();
const template = Template.fromStack(stacks.behaviour);
const statements = Object.values(template.findResources("AWS::IAM::Policy")).flatMap(
  (p) => (p.Properties.PolicyDocument as { Statement: PolicyStatementJson[] }).Statement,
);

describe("BehaviourStack", () => {
  it("runs the MCP Lambda on Node 22 with 256 MB and 15 minutes", () => {
    template.hasResourceProperties("AWS::Lambda::Function", {
      Runtime: "nodejs22.x",
      MemorySize: 256,
      Timeout: 900,
    });
  });

  it("exposes it through a RESPONSE_STREAM Function URL that requires AWS_IAM", () => {
    template.resourceCountIs("AWS::Lambda::Url", 1);
    template.hasResourceProperties("AWS::Lambda::Url", { AuthType: "AWS_IAM", InvokeMode: "RESPONSE_STREAM" });
  });

  it("grants CloudTrail reads by name, never cloudtrail:*", () => {
    const actions = statements.flatMap((s) => asArray(s.Action));
    expect(actions).toEqual(expect.arrayContaining(["cloudtrail:LookupEvents", "cloudtrail:GetTrail"]));
    expect(actions.filter((a) => a.endsWith(":*") || a === "*")).toEqual([]);
    template.hasResourceProperties("AWS::IAM::Policy", {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ["cloudtrail:GetEventSelectors", "cloudtrail:GetTrail", "cloudtrail:GetTrailStatus"],
            Resource: "arn:aws:cloudtrail:ap-northeast-1:123456789012:trail/cat-data-trail",
          }),
        ]),
      },
    });
  });

  it("reads the trail bucket's AWSLogs/ only", () => {
    const reads = statements.filter((s) => asArray(s.Action).includes("s3:GetObject"));
    expect(reads.flatMap((s) => asArray(s.Resource)).filter((r) => String(r).includes("cat-data-trail"))).toEqual([
      "arn:aws:s3:::cat-data-trail-123456789012-ap-northeast-1/AWSLogs/*",
    ]);
  });

  it("reads the trail lake and the model from the data bucket (CATDATA_STORE=s3), writing only the model", () => {
    const dataBucket = "cat-data-bucket-123456789012-ap-northeast-1";
    template.hasResourceProperties("AWS::Lambda::Function", {
      Environment: { Variables: Match.objectLike({ CATDATA_STORE: "s3", CATDATA_S3_BUCKET: dataBucket }) },
    });
    const onDataBucket = statements.filter((s) =>
      asArray(s.Resource).some((r) => typeof r === "string" && r.startsWith(`arn:aws:s3:::${dataBucket}`)),
    );
    // CDK merges statements with the same actions: only this bucket's resources are compared.
    const summary = onDataBucket.map((s) => ({
      actions: asArray(s.Action).sort(),
      resources: asArray(s.Resource)
        .filter((r) => String(r).startsWith(`arn:aws:s3:::${dataBucket}`))
        .sort(),
      condition: s.Condition ?? null,
    }));
    expect(summary).toHaveLength(4);
    expect(summary).toEqual(
      expect.arrayContaining([
        {
          actions: ["s3:GetObject", "s3:GetObjectVersion"],
          resources: [`arn:aws:s3:::${dataBucket}/models/*`, `arn:aws:s3:::${dataBucket}/trail/*`],
          condition: null,
        },
        {
          actions: ["s3:ListBucket"],
          resources: [`arn:aws:s3:::${dataBucket}`],
          condition: { StringLike: { "s3:prefix": ["trail/", "trail/*", "models/", "models/*"] } },
        },
        { actions: ["s3:GetBucketLocation"], resources: [`arn:aws:s3:::${dataBucket}`], condition: null },
        { actions: ["s3:PutObject"], resources: [`arn:aws:s3:::${dataBucket}/models/behaviour.json`], condition: null },
      ]),
    );
  });

  it("with a CloudTrail Lake event data store: queries that store only, and turns lake_query's AWS side on", () => {
    const arn = "arn:aws:cloudtrail:ap-northeast-1:123456789012:eventdatastore/EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE";
    const lake = Template.fromStack(buildTestApp({ cloudTrailLakeEventDataStoreArn: arn }).stacks.behaviour);
    lake.hasResourceProperties("AWS::Lambda::Function", {
      Environment: {
        Variables: Match.objectLike({ CATDATA_CLOUDTRAIL_LAKE: "on", CATDATA_CLOUDTRAIL_LAKE_EVENT_DATA_STORE: arn }),
      },
    });
    lake.hasResourceProperties("AWS::IAM::Policy", {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: Match.arrayWith(["cloudtrail:ListEventDataStores"]), Resource: "*" }),
          Match.objectLike({
            Action: ["cloudtrail:DescribeQuery", "cloudtrail:GetQueryResults", "cloudtrail:StartQuery"],
            Resource: arn,
          }),
        ]),
      },
    });
    // Without it, no CloudTrail Lake action and no switch.
    const actions = statements.flatMap((s) => asArray(s.Action));
    expect(actions.filter((a) => /^cloudtrail:.*(Query|EventDataStore)/.test(a))).toEqual([]);
    expect(() => buildTestApp({ cloudTrailLakeEventDataStoreArn: "eds-1" })).toThrow(/cloudTrailLakeEventDataStoreArn/);
  });
});
