import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from "aws-cdk-lib";
import type * as cognito from "aws-cdk-lib/aws-cognito";
import * as ec2 from "aws-cdk-lib/aws-ec2";
import { Platform } from "aws-cdk-lib/aws-ecr-assets";
import * as ecs from "aws-cdk-lib/aws-ecs";
import * as elbv2 from "aws-cdk-lib/aws-elasticloadbalancingv2";
import * as iam from "aws-cdk-lib/aws-iam";
import * as logs from "aws-cdk-lib/aws-logs";
import type { Construct } from "constructs";
import type { CatdataInfraConfig } from "../config.js";
import { grantPrefixRead, objectsArn } from "../constructs/data-lake-access.js";
import { REPO_ROOT } from "../constructs/node-lambda.js";
import { createLogBucket } from "../constructs/secure-bucket.js";
import { acknowledge, acknowledgeWildcardResources } from "../nag.js";
import { dataLakeEnv, EPHEMERAL_ENV } from "../runtime-env.js";
import type { BehaviourStack } from "./behaviour-stack.js";
import type { DataLakeStack } from "./data-lake-stack.js";

export interface AppStackProps extends StackProps {
  readonly config: CatdataInfraConfig;
  readonly vpc: ec2.IVpc;
  readonly dataLake: DataLakeStack;
  /**
   * Kept for the wiring in catdata-app.ts; the task no longer calls the MCP Function URL (the agent's tools run in
   * process), so it grants nothing on it.
   */
  readonly behaviour: BehaviourStack;
  /**
   * The Cognito pool users sign in with (the ApiStack's): the task verifies its tokens and never creates a local
   * admin. Without it the task falls back to a local user pool in its ephemeral /tmp.
   */
  readonly signIn?: { readonly userPool: cognito.IUserPool; readonly client: cognito.IUserPoolClient };
}

export const APP_PORTS = { web: 8501, health: 8080 } as const;

/**
 * The bucket prefixes the task touches, by what the app calls (src/runtime.ts with CATDATA_STORE=s3 and no endpoint:
 * the bucket invokes process-cat-data, the task never runs the ETL):
 * - read: `raw/` (the health check lists it, previews read uploads), `jobs/` (job records, quarantine, dead letters,
 *   written by process-cat-data), `curated/` (the lake: marts, load history), `trail/` (the trail lake the MCP tools
 *   and the behaviour model read), `models/` (the behaviour model), `agent/conversations/`, and the platform's own
 *   trail (the audit writer reads its newest digest to chain the next);
 * - put: uploads under `raw/`, lake commits under `curated/` (a retract), the retrained model, conversations, the
 *   platform's trail and digests;
 * - multipart (lib-storage's `Upload`, which may abort): what the store and the lake upload — `raw/`, `curated/`, the trail;
 * - delete: `curated/` (parts a commit drops) and `agent/conversations/` (a deleted conversation).
 * The trail's folders take the account and region (see `auditTrailPrefixes`).
 */
export const TASK_STORAGE = {
  read: ["raw/", "jobs/", "curated/", "trail/", "models/", "agent/conversations/"],
  put: ["raw/", "curated/", "models/", "agent/conversations/"],
  multipart: ["raw/", "curated/"],
  delete: ["curated/", "agent/conversations/"],
} as const;

/** The platform's own trail in the bucket (src/audit/trail-keys.ts): CloudTrail's layout for this account and region. */
export const auditTrailPrefixes = (account: string, region: string): string[] => [
  `AWSLogs/${account}/CloudTrail/${region}/`,
  `AWSLogs/${account}/CloudTrail-Digest/${region}/`,
];

/** Bedrock model families the agent may call: Anthropic Claude only (design 000 grants `bedrock:*`). */
export const CLAUDE_MODEL_PATTERNS = {
  foundationModel: "foundation-model/anthropic.claude-*",
  inferenceProfile: "inference-profile/*anthropic.claude-*",
} as const;

/**
 * Design 000's ApplicationStack: the web UI + agent (this repository's `npm start`, built from the root Dockerfile) on
 * ECS Fargate in the private subnets, behind an internet-facing ALB that only `homeCidr` may reach. The task reaches
 * the ALB's targets on 8501 (web) and 8080 (health), both only from the ALB's security group.
 */
export class AppStack extends Stack {
  readonly service: ecs.FargateService;
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  readonly albSecurityGroup: ec2.SecurityGroup;
  readonly serviceSecurityGroup: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, props: AppStackProps) {
    super(scope, id, props);
    const { config, vpc } = props;

    this.albSecurityGroup = new ec2.SecurityGroup(this, "AlbSg", {
      vpc,
      description: "catdata ALB: HTTP(S) from the home CIDR only",
      allowAllOutbound: false,
    });
    this.serviceSecurityGroup = new ec2.SecurityGroup(this, "ServiceSg", {
      vpc,
      description: "catdata Fargate task: 8501 (web) and 8080 (health) from the ALB only",
      allowAllOutbound: true,
    });
    const listenerPorts = config.albCertificateArn ? [80, 443] : [80];
    for (const port of listenerPorts) {
      this.albSecurityGroup.addIngressRule(ec2.Peer.ipv4(config.homeCidr), ec2.Port.tcp(port), `${port} from home`);
    }
    for (const port of [APP_PORTS.web, APP_PORTS.health]) {
      this.albSecurityGroup.connections.allowTo(this.serviceSecurityGroup, ec2.Port.tcp(port), `ALB to task ${port}`);
    }

    // Before the task: its environment names the ALB (the host check).
    this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, "Alb", {
      vpc,
      internetFacing: true,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      securityGroup: this.albSecurityGroup,
      dropInvalidHeaderFields: true,
      idleTimeout: Duration.seconds(120),
    });
    const albLogs = createLogBucket(this, "AlbLogs", config.logRetentionDays, {
      noAccessLogsReason: "ALB access-log sink; logging reads of the logs would need yet another bucket.",
    });
    this.loadBalancer.logAccessLogs(albLogs, "alb");

    const cluster = new ecs.Cluster(this, "Cluster", {
      vpc,
      containerInsightsV2: ecs.ContainerInsights.ENABLED,
    });
    const taskDefinition = this.addTaskDefinition(props);
    this.service = new ecs.FargateService(this, "Service", {
      cluster,
      taskDefinition,
      desiredCount: 1,
      minHealthyPercent: 100,
      circuitBreaker: { rollback: true },
      assignPublicIp: false,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      securityGroups: [this.serviceSecurityGroup],
      healthCheckGracePeriod: Duration.seconds(60),
    });

    const targetGroup = new elbv2.ApplicationTargetGroup(this, "Web", {
      vpc,
      port: APP_PORTS.web,
      protocol: elbv2.ApplicationProtocol.HTTP,
      targetType: elbv2.TargetType.IP,
      targets: [this.service.loadBalancerTarget({ containerName: "app", containerPort: APP_PORTS.web })],
      healthCheck: { port: String(APP_PORTS.health), path: "/healthcheck", healthyHttpCodes: "200" },
      deregistrationDelay: Duration.seconds(30),
    });
    if (config.albCertificateArn) {
      this.loadBalancer.addListener("Https", {
        port: 443,
        open: false,
        certificates: [elbv2.ListenerCertificate.fromArn(config.albCertificateArn)],
        sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
        defaultTargetGroups: [targetGroup],
      });
      this.loadBalancer.addListener("Http", {
        port: 80,
        open: false,
        defaultAction: elbv2.ListenerAction.redirect({ protocol: "HTTPS", port: "443", permanent: true }),
      });
    } else {
      // Design 000: HTTP 80 from the home IP. Give albCertificateArn to serve HTTPS instead.
      this.loadBalancer.addListener("Http", { port: 80, open: false, defaultTargetGroups: [targetGroup] });
    }

    new CfnOutput(this, "AppUrl", {
      value: `${config.albCertificateArn ? "https" : "http"}://${this.loadBalancer.loadBalancerDnsName}/`,
    });
  }

  /** Exactly TASK_STORAGE on the data bucket (see there), plus the platform's own trail. */
  private grantTaskStorage(role: iam.Role, bucketName: string): void {
    const trail = auditTrailPrefixes(this.account, this.region);
    grantPrefixRead(role, bucketName, [...TASK_STORAGE.read, ...trail]);
    const objects = (prefixes: readonly string[]) => prefixes.map((p) => objectsArn(this, bucketName, p));
    const statements = [
      { actions: ["s3:PutObject"], resources: objects([...TASK_STORAGE.put, ...trail]) },
      {
        actions: ["s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
        resources: objects([...TASK_STORAGE.multipart, ...trail]),
      },
      { actions: ["s3:DeleteObject"], resources: objects(TASK_STORAGE.delete) },
    ];
    for (const statement of statements) role.addToPolicy(new iam.PolicyStatement(statement));
    acknowledgeWildcardResources(
      role,
      "Writes scoped to the prefixes of the data bucket the app writes (TASK_STORAGE); object ARNs under a prefix end in *.",
      statements.flatMap((st) => st.resources),
    );
  }

  private addTaskDefinition(props: AppStackProps): ecs.FargateTaskDefinition {
    const { config, dataLake, signIn } = props;
    const taskRole = new iam.Role(this, "TaskRole", {
      assumedBy: new iam.ServicePrincipal("ecs-tasks.amazonaws.com"),
      description: "catdata web + agent: Claude on Bedrock, the data lake's prefixes the app uses, Athena",
    });
    // Cross-region inference profiles route to the model in other regions, hence the region wildcard.
    const claudeArns = [
      this.formatArn({ service: "bedrock", region: "*", account: "", resource: CLAUDE_MODEL_PATTERNS.foundationModel }),
      this.formatArn({ service: "bedrock", region: "*", resource: CLAUDE_MODEL_PATTERNS.inferenceProfile }),
    ];
    taskRole.addToPolicy(
      new iam.PolicyStatement({
        actions: ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"],
        resources: claudeArns,
      }),
    );
    dataLake.grantQuery(taskRole);
    this.grantTaskStorage(taskRole, dataLake.bucketName);
    // The health check and the SQL page list the catalog's tables (Athena ListTableMetadata over AwsDataCatalog;
    // Glue GetTables comes with grantQuery).
    taskRole.addToPolicy(
      new iam.PolicyStatement({
        actions: ["athena:ListTableMetadata"],
        resources: [this.formatArn({ service: "athena", resource: "datacatalog", resourceName: "AwsDataCatalog" })],
      }),
    );
    acknowledgeWildcardResources(
      taskRole,
      "Bedrock access is limited to Anthropic Claude models and inference profiles; model ids and profile prefixes vary, hence the *.",
      claudeArns,
    );

    const taskDefinition = new ecs.FargateTaskDefinition(this, "Task", {
      cpu: 1024,
      memoryLimitMiB: 2048,
      taskRole,
      runtimePlatform: {
        operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
        cpuArchitecture: ecs.CpuArchitecture.X86_64,
      },
    });
    const logGroup = new logs.LogGroup(this, "AppLogs", {
      retention: config.logRetentionDays as logs.RetentionDays,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    taskDefinition.addContainer("app", {
      // The repository's own Dockerfile. Synth only stages the build context (honouring .dockerignore); the CLI builds
      // and pushes the image at deploy time, so synth and the tests need no Docker.
      image: ecs.ContainerImage.fromAsset(REPO_ROOT, { platform: Platform.LINUX_AMD64 }),
      portMappings: [{ containerPort: APP_PORTS.web }, { containerPort: APP_PORTS.health }],
      logging: ecs.LogDrivers.awsLogs({ logGroup, streamPrefix: "app" }),
      environment: {
        CATDATA_HOST: "0.0.0.0",
        CATDATA_PORT: String(APP_PORTS.web),
        CATDATA_HEALTH_PORT: String(APP_PORTS.health),
        ...EPHEMERAL_ENV,
        ...dataLakeEnv(dataLake, this.account),
        // The audit trail's keys name the region (auditTrailPrefixes): pinned to the stack's.
        AWS_REGION: this.region,
        ...behindAlb(this.loadBalancer.loadBalancerDnsName, config.appDomainName),
        ...(signIn
          ? {
              CATDATA_USER_POOL_ID: signIn.userPool.userPoolId,
              CATDATA_USER_POOL_CLIENT_ID: signIn.client.userPoolClientId,
            }
          : {}),
        // The agent on Claude through Bedrock; its tools are the MCP server in process (the Function URL
        // takes SigV4, not the bearer token the agent's HTTP client sends).
        CATDATA_AGENT_MODEL: "bedrock",
      },
      healthCheck: {
        command: [
          "CMD",
          "node",
          "-e",
          `fetch('http://127.0.0.1:${APP_PORTS.health}/healthcheck').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))`,
        ],
        interval: Duration.seconds(30),
        timeout: Duration.seconds(5),
        retries: 3,
        startPeriod: Duration.seconds(30),
      },
    });
    acknowledge(
      taskDefinition.obtainExecutionRole(),
      "The execution role pulls the image: ecr:GetAuthorizationToken has no resource-level permissions (the pull itself is scoped to the asset repository).",
      "AwsSolutions-IAM5[Resource::*]",
    );
    acknowledge(
      taskDefinition,
      "The environment holds only non-secret configuration (bucket, workgroup, ports, MCP URL); credentials come from the task role.",
      "AwsSolutions-ECS2",
    );
    return taskDefinition;
  }
}

/**
 * What the app needs to answer behind the ALB (src/config/config.ts): the names requests arrive with — the ALB's DNS
 * name and the custom domain — for the host check (the ALB passes the client's Host on; its health checks name the
 * task's own address, which the server adds itself when bound to 0.0.0.0), and CATDATA_TRUST_PROXY so rate limits,
 * the audit trail and the security headers take the client from X-Forwarded-For's last entry (the one the ALB appends).
 */
export function behindAlb(albDnsName: string, appDomainName: string | undefined): Record<string, string> {
  return {
    CATDATA_ALLOWED_HOSTS: [albDnsName, ...(appDomainName ? [appDomainName] : [])].join(","),
    CATDATA_TRUST_PROXY: "true",
  };
}
