import { RemovalPolicy, Stack, type StackProps } from "aws-cdk-lib";
import * as cloudtrail from "aws-cdk-lib/aws-cloudtrail";
import * as logs from "aws-cdk-lib/aws-logs";
import type { Construct } from "constructs";
import type { CatdataInfraConfig } from "../config.js";
import { createLogBucket, SecureBucket } from "../constructs/secure-bucket.js";

export interface TrailStackProps extends StackProps {
  readonly config: CatdataInfraConfig;
}

export const TRAIL_NAME = "cat-data-trail";
export const TRAIL_LOG_GROUP = `/aws/cloudtrail/${TRAIL_NAME}`;

/**
 * Design 003's `cat-data-trail`: all management events (read and write, every region, global services) into its own
 * versioned, SSE-S3-encrypted bucket with log file validation, and into CloudWatch Logs. It is also what the
 * behaviour side (design 000) reads. Names are fixed so other stacks refer to them without cross-stack exports.
 */
export class TrailStack extends Stack {
  readonly trail: cloudtrail.Trail;
  readonly trailBucketName: string;
  readonly trailArn: string;

  constructor(scope: Construct, id: string, props: TrailStackProps) {
    super(scope, id, props);
    const { config } = props;

    const accessLogs = createLogBucket(this, "TrailAccessLogs", config.logRetentionDays);
    this.trailBucketName = `cat-data-trail-${this.account}-${this.region}`;
    const bucket = new SecureBucket(this, "TrailBucket", {
      bucketName: this.trailBucketName,
      serverAccessLogsBucket: accessLogs,
    });
    const logGroup = new logs.LogGroup(this, "TrailLogs", {
      logGroupName: TRAIL_LOG_GROUP,
      retention: config.logRetentionDays as logs.RetentionDays,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.trail = new cloudtrail.Trail(this, "Trail", {
      trailName: TRAIL_NAME,
      bucket,
      managementEvents: cloudtrail.ReadWriteType.ALL,
      includeGlobalServiceEvents: true,
      isMultiRegionTrail: true,
      enableFileValidation: true,
      sendToCloudWatchLogs: true,
      cloudWatchLogGroup: logGroup,
    });
    this.trailArn = this.formatArn({ service: "cloudtrail", resource: "trail", resourceName: TRAIL_NAME });
  }
}
