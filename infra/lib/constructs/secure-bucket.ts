import { Duration, RemovalPolicy } from "aws-cdk-lib";
import * as s3 from "aws-cdk-lib/aws-s3";
import type { Construct } from "constructs";
import { acknowledge } from "../nag.js";

export interface SecureBucketProps extends s3.BucketProps {
  /**
   * Why this bucket has no server access logs (cdk-nag S1). Not needed for a bucket that already receives other
   * buckets' access logs: cdk-nag counts those as compliant.
   */
  readonly noAccessLogsReason?: string;
}

/**
 * An S3 bucket with the defaults every catdata bucket shares: public access blocked, TLS enforced (1.2+),
 * SSE-S3 (AES-256, as design 003 asks), versioned, retained on stack deletion.
 */
export class SecureBucket extends s3.Bucket {
  constructor(scope: Construct, id: string, props: SecureBucketProps) {
    const { noAccessLogsReason, ...bucketProps } = props;
    super(scope, id, {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      removalPolicy: RemovalPolicy.RETAIN,
      ...bucketProps,
    });
    if (noAccessLogsReason !== undefined) acknowledge(this, noAccessLogsReason, "AwsSolutions-S1");
  }
}

/**
 * A bucket for service-written logs (S3 access logs, ALB, CloudFront, AWS Config), expired after `retentionDays`.
 * Its own access is not logged: that would only need yet another bucket.
 */
export function createLogBucket(
  scope: Construct,
  id: string,
  retentionDays: number,
  extra: Partial<SecureBucketProps> = {},
): SecureBucket {
  return new SecureBucket(scope, id, {
    versioned: false,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    lifecycleRules: [{ id: "expire-logs", expiration: Duration.days(retentionDays) }],
    ...extra,
  });
}
