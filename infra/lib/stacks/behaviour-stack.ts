import { ArnFormat, CfnOutput, Duration, Stack, type StackProps } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import * as lambda from "aws-cdk-lib/aws-lambda";
import type * as logs from "aws-cdk-lib/aws-logs";
import type { Construct } from "constructs";
import type { CatdataInfraConfig } from "../config.js";
import { bucketArn, type DataLakeRefs, grantPrefixRead } from "../constructs/data-lake-access.js";
import { NodeLambda } from "../constructs/node-lambda.js";
import { acknowledge, acknowledgeWildcardResources } from "../nag.js";
import { EPHEMERAL_ENV } from "../runtime-env.js";
import { TRAIL_LOG_GROUP, TRAIL_NAME } from "./trail-stack.js";

export interface BehaviourStackProps extends StackProps {
  readonly config: CatdataInfraConfig;
  /** The trail's bucket name (plain string: no cross-stack export). */
  readonly trailBucketName: string;
  /**
   * The data lake whose bucket holds the trail lake (`trail/`) and the behaviour model (`models/`) the MCP server
   * reads. Without it the Lambda has only an empty lake in /tmp: every deployment passes it (catdata-app.ts).
   */
  readonly dataLake?: Pick<DataLakeRefs, "bucketName">;
}

/**
 * Where the MCP server's data lives in the data bucket (src/runtime.ts with CATDATA_STORE=s3): the trail lake
 * (S3TrailLake's parts, manifest and source list) and the behaviour model (S3ModelStore's one object).
 */
export const MCP_DATA = {
  trailPrefix: "trail/",
  modelsPrefix: "models/",
  /** The model the server trains when the lake has parts it has not seen, and stores (its only write). */
  modelKey: "models/behaviour.json",
} as const;

/** The CloudTrail actions that have no resource-level permissions in IAM, hence `Resource: *`. */
export const CLOUDTRAIL_UNSCOPED_ACTIONS = ["cloudtrail:LookupEvents", "cloudtrail:DescribeTrails"] as const;
/** What lake_query needs of a CloudTrail Lake event data store (scoped to its ARN). */
export const CLOUDTRAIL_LAKE_QUERY_ACTIONS = [
  "cloudtrail:StartQuery",
  "cloudtrail:DescribeQuery",
  "cloudtrail:GetQueryResults",
] as const;

/**
 * Design 000's CloudTrail MCP server: a Node 22 Lambda (256 MB, 15 min) behind a Function URL in RESPONSE_STREAM mode.
 * Its role reads CloudTrail and the trail's bucket and log group, the trail lake (`trail/`) and the behaviour model
 * (`models/`) in the data bucket, and writes that one model object, nothing more (the design's `cloudtrail:*` and
 * `logs:*` are not granted).
 */
export class BehaviourStack extends Stack {
  readonly mcp: NodeLambda;
  readonly mcpUrl: lambda.FunctionUrl;

  constructor(scope: Construct, id: string, props: BehaviourStackProps) {
    super(scope, id, props);
    const { config, trailBucketName, dataLake } = props;
    const trailArn = this.formatArn({ service: "cloudtrail", resource: "trail", resourceName: TRAIL_NAME });
    const trailLogGroupArn = this.formatArn({
      service: "logs",
      resource: "log-group",
      resourceName: `${TRAIL_LOG_GROUP}:*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });

    this.mcp = new NodeLambda(this, "CloudTrailMcp", {
      entry: "src/lambda/mcp.ts",
      description: "CloudTrail behaviour MCP server (design 000), streamed over a Function URL",
      memorySize: 256,
      timeout: Duration.minutes(15),
      architecture: config.lambdaArchitecture,
      logRetention: config.logRetentionDays as logs.RetentionDays,
      environment: {
        CATDATA_TRAIL_NAME: TRAIL_NAME,
        CATDATA_TRAIL_BUCKET: trailBucketName,
        CATDATA_TRAIL_LOG_GROUP: TRAIL_LOG_GROUP,
        ...EPHEMERAL_ENV,
        // The trail lake and the model in the data bucket (src/runtime.ts chooses the S3 implementations).
        ...(dataLake ? { CATDATA_STORE: "s3", CATDATA_S3_BUCKET: dataLake.bucketName } : {}),
        CATDATA_ACCOUNT_ID: this.account,
        ...(config.cloudTrailLakeEventDataStoreArn
          ? {
              CATDATA_CLOUDTRAIL_LAKE: "on",
              CATDATA_CLOUDTRAIL_LAKE_EVENT_DATA_STORE: config.cloudTrailLakeEventDataStoreArn,
            }
          : {}),
      },
    });

    // Design 000 has `authType: NONE`, which contradicts its own security notes (home IP only, proper access control
    // to CloudTrail data): an unauthenticated URL would hand the account's API history to anyone who finds it.
    // Callers sign with SigV4 and need lambda:InvokeFunctionUrl (see grantInvoke).
    this.mcpUrl = this.mcp.fn.addFunctionUrl({
      authType: lambda.FunctionUrlAuthType.AWS_IAM,
      invokeMode: lambda.InvokeMode.RESPONSE_STREAM,
    });

    const role = this.mcp.role;
    role.addToPolicy(new iam.PolicyStatement({ actions: [...CLOUDTRAIL_UNSCOPED_ACTIONS], resources: ["*"] }));
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ["cloudtrail:GetTrail", "cloudtrail:GetTrailStatus", "cloudtrail:GetEventSelectors"],
        resources: [trailArn],
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ["logs:FilterLogEvents", "logs:GetLogEvents", "logs:StartQuery"],
        resources: [trailLogGroupArn],
      }),
    );
    if (config.cloudTrailLakeEventDataStoreArn) {
      // lake_query over CloudTrail Lake: queries of the one event data store given, and the list of stores.
      role.addToPolicy(
        new iam.PolicyStatement({
          actions: [...CLOUDTRAIL_LAKE_QUERY_ACTIONS],
          resources: [config.cloudTrailLakeEventDataStoreArn],
        }),
      );
      role.addToPolicy(new iam.PolicyStatement({ actions: ["cloudtrail:ListEventDataStores"], resources: ["*"] }));
    }
    grantPrefixRead(role, trailBucketName, ["AWSLogs/"]);
    if (dataLake) {
      grantPrefixRead(role, dataLake.bucketName, [MCP_DATA.trailPrefix, MCP_DATA.modelsPrefix]);
      // The model is retrained when the lake changed and stored again: one PutObject on one key.
      role.addToPolicy(
        new iam.PolicyStatement({
          actions: ["s3:PutObject"],
          resources: [`${bucketArn(this, dataLake.bucketName)}/${MCP_DATA.modelKey}`],
        }),
      );
    }
    acknowledgeWildcardResources(
      role,
      "CloudWatch Logs names a log group's ARN with a trailing :*; this is the trail's own log group.",
      [trailLogGroupArn],
    );
    acknowledge(
      role,
      "cloudtrail:LookupEvents, cloudtrail:DescribeTrails (and, with CloudTrail Lake, cloudtrail:ListEventDataStores) have no resource-level permissions in IAM (they are the only actions on *).",
      "AwsSolutions-IAM5[Resource::*]",
    );

    new CfnOutput(this, "McpFunctionUrl", { value: this.mcpUrl.url });
  }

  /** Lets a principal (the Fargate task) call the MCP server's URL with SigV4. */
  grantInvoke(grantee: iam.IGrantable): void {
    this.mcp.fn.grantInvokeUrl(grantee);
  }
}
