import { Stack } from "aws-cdk-lib";
import * as config from "aws-cdk-lib/aws-config";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as s3 from "aws-cdk-lib/aws-s3";
import { Construct } from "constructs";
import { acknowledge } from "../nag.js";

export interface ConfigRecorderProps {
  /** Where AWS Config delivers configuration snapshots and history. */
  readonly bucket: s3.IBucket;
}

/**
 * Design 003: "AWS Config records configuration changes". An account and region holds one recorder, so this is only
 * deployed on request (`-c withConfigRecorder=true`) where none exists yet.
 */
export class ConfigRecorder extends Construct {
  constructor(scope: Construct, id: string, props: ConfigRecorderProps) {
    super(scope, id);
    const { bucket } = props;
    const role = new iam.Role(this, "Role", {
      assumedBy: new iam.ServicePrincipal("config.amazonaws.com"),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName("service-role/AWS_ConfigRole")],
      description: "AWS Config recorder for catdata",
    });
    acknowledge(
      role,
      "AWS_ConfigRole is the AWS-maintained read-only policy that lets Config describe every supported resource type.",
      "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWS_ConfigRole]",
    );
    const account = Stack.of(this).account;
    bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal("config.amazonaws.com")],
        actions: ["s3:GetBucketAcl", "s3:ListBucket"],
        resources: [bucket.bucketArn],
        conditions: { StringEquals: { "AWS:SourceAccount": account } },
      }),
    );
    bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal("config.amazonaws.com")],
        actions: ["s3:PutObject"],
        resources: [bucket.arnForObjects(`AWSLogs/${account}/Config/*`)],
        conditions: { StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control", "AWS:SourceAccount": account } },
      }),
    );

    const recorder = new config.CfnConfigurationRecorder(this, "Recorder", {
      roleArn: role.roleArn,
      recordingGroup: { allSupported: true, includeGlobalResourceTypes: true },
    });
    const channel = new config.CfnDeliveryChannel(this, "Delivery", {
      s3BucketName: bucket.bucketName,
      configSnapshotDeliveryProperties: { deliveryFrequency: "TwentyFour_Hours" },
    });
    channel.node.addDependency(recorder);
  }
}
