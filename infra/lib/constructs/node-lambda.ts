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
import type { LambdaArchitecture } from "../config.js";
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
  /** The instruction set the function runs on; the native modules are installed for it. Default ARM64. */
  readonly architecture?: LambdaArchitecture;
}

/**
 * Packages esbuild cannot inline: they stay external and are installed into the bundle's own `node_modules` by
 * `npm ci` with the root lockfile (exact versions), for the function's platform (linux, glibc, its CPU), not the
 * machine running the synth.
 * - `@duckdb/node-bindings` and `@node-rs/argon2` load a compiled `.node` addon from their optional platform package
 *   (`@duckdb/node-bindings-linux-<cpu>`, `@node-rs/argon2-linux-<cpu>-gnu`); `@duckdb/node-api` (pure JS) is bundled.
 * - `exceljs`: src/etl/xlsx-reader.ts loads unzipper through exceljs's own `require` at run time, which a bundle
 *   cannot follow.
 */
export const UNBUNDLED_MODULES = ["@duckdb/node-bindings", "@node-rs/argon2", "exceljs"] as const;

/** npm's names for the CPU of each Lambda architecture (`npm ci --cpu=…`). */
const NPM_CPU: Record<LambdaArchitecture, string> = { arm64: "arm64", x86_64: "x64" };

/**
 * The environment of the bundling commands: npm installs the native modules' optional platform packages for Lambda
 * (Amazon Linux, glibc) and this architecture, whatever the host is; no install scripts run (none is needed: the
 * addons ship prebuilt), and npm's cache is used first, so a second synth needs no network.
 */
export function nativeInstallEnvironment(architecture: LambdaArchitecture): Record<string, string> {
  return {
    npm_config_os: "linux",
    npm_config_cpu: NPM_CPU[architecture],
    npm_config_libc: "glibc",
    npm_config_ignore_scripts: "true",
    npm_config_prefer_offline: "true",
    npm_config_audit: "false",
    npm_config_fund: "false",
  };
}

/**
 * A TypeScript Lambda as catdata runs them: Node 22 on ARM64 (or x86_64), ESM bundle with source maps (esbuild from
 * node_modules, locally: no Docker) and UNBUNDLED_MODULES installed for that architecture beside it, X-Ray tracing,
 * its own log group with retention, and its own role that may write only to that log group.
 */
export class NodeLambda extends Construct {
  readonly fn: NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: NodeLambdaProps) {
    super(scope, id);
    const architecture = props.architecture ?? "arm64";
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
      architecture: architecture === "arm64" ? lambda.Architecture.ARM_64 : lambda.Architecture.X86_64,
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
        // The AWS SDK is bundled at the version the lockfile pins (the runtime's own copy may lag behind it), so
        // the artifact runs the same anywhere; only UNBUNDLED_MODULES stay outside it.
        externalModules: [],
        nodeModules: [...UNBUNDLED_MODULES],
        environment: nativeInstallEnvironment(architecture),
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
