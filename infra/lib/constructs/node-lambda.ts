import path from "node:path";
import { fileURLToPath } from "node:url";
import { Duration, RemovalPolicy } from "aws-cdk-lib";
import type * as ec2 from "aws-cdk-lib/aws-ec2";
import * as iam from "aws-cdk-lib/aws-iam";
import * as lambda from "aws-cdk-lib/aws-lambda";
import { NodejsFunction, OutputFormat } from "aws-cdk-lib/aws-lambda-nodejs";
import * as logs from "aws-cdk-lib/aws-logs";
import type * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { acknowledge } from "../nag.js";

/** The repository root: the Lambdas are bundled from `src/lambda/*.ts` with the root lockfile. */
export const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));

export interface NodeLambdaProps {
  /** Path of the handler module relative to the repository root, e.g. `src/lambda/api.ts`; it exports `handler`. */
  readonly entry: string;
  readonly description: string;
  /** Fixed name only where the design names the function (its log group name follows from it). */
  readonly functionName?: string;
  readonly memorySize?: number;
  readonly timeout?: Duration;
  readonly environment?: Record<string, string>;
  readonly logRetention: logs.RetentionDays;
  readonly vpc?: ec2.IVpc;
  readonly vpcSubnets?: ec2.SubnetSelection;
  readonly securityGroups?: ec2.ISecurityGroup[];
  /** Leave unset on new accounts: their concurrency quota (10) cannot be reserved from. */
  readonly reservedConcurrentExecutions?: number;
  readonly deadLetterQueue?: sqs.IQueue;
}

/**
 * A TypeScript Lambda as catdata runs them: Node 22 on ARM64, ESM bundle with source maps, X-Ray tracing,
 * its own log group with retention, and its own role that may write only to that log group.
 */
export class NodeLambda extends Construct {
  readonly fn: NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: NodeLambdaProps) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, "Logs", {
      ...(props.functionName ? { logGroupName: `/aws/lambda/${props.functionName}` } : {}),
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.role = new iam.Role(this, "Role", {
      assumedBy: new iam.ServicePrincipal("lambda.amazonaws.com"),
      description: `Execution role of ${props.functionName ?? id}`,
    });
    this.logGroup.grantWrite(this.role);
    if (props.vpc) {
      // CDK only adds this itself when it creates the role.
      this.role.addManagedPolicy(
        iam.ManagedPolicy.fromAwsManagedPolicyName("service-role/AWSLambdaVPCAccessExecutionRole"),
      );
    }

    this.fn = new NodejsFunction(this, "Function", {
      entry: path.join(REPO_ROOT, props.entry),
      handler: "handler",
      projectRoot: REPO_ROOT,
      depsLockFilePath: path.join(REPO_ROOT, "package-lock.json"),
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      description: props.description,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(30),
      tracing: lambda.Tracing.ACTIVE,
      role: this.role,
      logGroup: this.logGroup,
      environment: { NODE_OPTIONS: "--enable-source-maps", ...props.environment },
      bundling: {
        format: OutputFormat.ESM,
        target: "node22",
        minify: true,
        sourceMap: true,
        mainFields: ["module", "main"],
        externalModules: ["@aws-sdk/*"],
        // ESM bundles still meet CommonJS dependencies that call require().
        banner: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
      },
      ...(props.functionName ? { functionName: props.functionName } : {}),
      ...(props.vpc ? { vpc: props.vpc, vpcSubnets: props.vpcSubnets, securityGroups: props.securityGroups } : {}),
      ...(props.reservedConcurrentExecutions !== undefined
        ? { reservedConcurrentExecutions: props.reservedConcurrentExecutions }
        : {}),
      ...(props.deadLetterQueue ? { deadLetterQueueEnabled: true, deadLetterQueue: props.deadLetterQueue } : {}),
    });

    acknowledge(
      this.fn,
      "Node 22 is the runtime the repository targets (Dockerfile node:22-slim, engines >=20.19); move to Node 24 together.",
      "AwsSolutions-L1",
    );
    acknowledge(
      this.role,
      "xray:PutTraceSegments/PutTelemetryRecords (active tracing) have no resource-level permissions; " +
        "infra/test/iam.test.ts pins that no other action is granted on Resource *.",
      "AwsSolutions-IAM5[Resource::*]",
    );
    if (props.vpc) {
      acknowledge(
        this.role,
        "AWSLambdaVPCAccessExecutionRole is the AWS-maintained minimum for attaching ENIs in the VPC.",
        "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole]",
      );
    }
  }
}
