/**
 * Pins design 003's cat-data-trail: all management events in every region, log file validation, its own encrypted
 * and versioned bucket, CloudWatch Logs delivery.
 */
import { Match, Template } from "aws-cdk-lib/assertions";
import { describe, it } from "vitest";
import { buildTestApp, TEST_ENV } from "./synth.js";

const { stacks } = buildTestApp();
const template = Template.fromStack(stacks.trail);

describe("TrailStack", () => {
  it("records all management events with log file validation, to S3 and CloudWatch Logs", () => {
    template.resourceCountIs("AWS::CloudTrail::Trail", 1);
    template.hasResourceProperties("AWS::CloudTrail::Trail", {
      TrailName: "cat-data-trail",
      IsLogging: true,
      IsMultiRegionTrail: true,
      IncludeGlobalServiceEvents: true,
      EnableLogFileValidation: true,
      EventSelectors: [{ ReadWriteType: "All", IncludeManagementEvents: true }],
      S3BucketName: { Ref: Match.stringLikeRegexp("^TrailBucket") },
      CloudWatchLogsLogGroupArn: Match.anyValue(),
    });
  });

  it("writes to its own versioned, SSE-S3 bucket", () => {
    template.hasResourceProperties("AWS::S3::Bucket", {
      BucketName: `cat-data-trail-${TEST_ENV.account}-${TEST_ENV.region}`,
      VersioningConfiguration: { Status: "Enabled" },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } }],
      },
    });
  });
});
