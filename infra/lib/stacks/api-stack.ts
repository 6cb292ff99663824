import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from "aws-cdk-lib";
import * as apigw from "aws-cdk-lib/aws-apigateway";
import * as acm from "aws-cdk-lib/aws-certificatemanager";
import * as cloudfront from "aws-cdk-lib/aws-cloudfront";
import * as origins from "aws-cdk-lib/aws-cloudfront-origins";
import * as cognito from "aws-cdk-lib/aws-cognito";
import * as ec2 from "aws-cdk-lib/aws-ec2";
import * as iam from "aws-cdk-lib/aws-iam";
import * as logs from "aws-cdk-lib/aws-logs";
import * as s3 from "aws-cdk-lib/aws-s3";
import * as secretsmanager from "aws-cdk-lib/aws-secretsmanager";
import * as wafv2 from "aws-cdk-lib/aws-wafv2";
import type { Construct } from "constructs";
import type { CatdataInfraConfig } from "../config.js";
import { objectsArn } from "../constructs/data-lake-access.js";
import { NodeLambda } from "../constructs/node-lambda.js";
import { createLogBucket } from "../constructs/secure-bucket.js";
import { acknowledge, acknowledgeWildcardResources } from "../nag.js";
import { dataLakeEnv, EPHEMERAL_ENV } from "../runtime-env.js";
import { DATA_LAKE, type DataLakeStack } from "./data-lake-stack.js";
import { WAREHOUSE, type WarehouseStack } from "./warehouse-stack.js";

export interface ApiStackProps extends StackProps {
  readonly config: CatdataInfraConfig;
  readonly vpc: ec2.IVpc;
  /** `allow-https`: the API tier's security group, the one allow-redshift trusts. */
  readonly securityGroup: ec2.ISecurityGroup;
  readonly dataLake: DataLakeStack;
  readonly warehouse?: WarehouseStack;
}

/**
 * The front door's WAF settings, by what they protect. CloudFront sets `viewerIpHeader` to the viewer's address on
 * every request (a CloudFront Function, so a client cannot choose it: CloudFront only appends to X-Forwarded-For,
 * whose first entry, the one WAF reads, the client controls) and sends `originVerifyHeader` with a generated secret;
 * the WAF on the stage refuses any request without that secret, so calling the execute-api URL directly gets a 403.
 */
export const FRONT_DOOR = {
  viewerIpHeader: "x-catdata-viewer-ip",
  originVerifyHeader: "x-catdata-origin-verify",
  /** Requests per client address per evaluation window before the WAF blocks it. */
  rateLimitPerIp: 1000,
  rateWindowSeconds: 300,
  /**
   * The upload route (API Gateway path, stage prefix included: matched on its end). The common rule set blocks bodies
   * over 8 KB (SizeRestrictions_BODY); only `POST …/uploads` may carry more, up to API Gateway's 10 MB and Lambda's
   * 6 MB; larger files go straight to S3 under raw/ with a presigned URL the API hands out.
   */
  uploadPathSuffix: "/uploads",
  /** The common rule set's label for a body over 8 KB (its SizeRestrictions_BODY rule, set to count). */
  oversizeBodyLabel: "awswaf:managed:aws:core-rule-set:SizeRestrictions_Body",
} as const;

/** Design 003 user roles, most privileged first (lower precedence wins in Cognito). */
export const USER_GROUPS = ["admin", "analyst", "staff", "viewer"] as const;

/**
 * Design 003's front door: Cognito `cat-data-users`, REST API `cat-data-api` (`GET /cats` and a proxy to the same
 * Lambda, Cognito authoriser on every method), a regional WAF on the stage and CloudFront (HTTPS only) in front: the
 * WAF admits only requests that came through CloudFront and counts each viewer's address, not CloudFront's (FRONT_DOOR).
 */
export class ApiStack extends Stack {
  readonly userPool: cognito.UserPool;
  readonly userPoolClient: cognito.UserPoolClient;
  readonly api: apigw.RestApi;
  readonly handler: NodeLambda;
  readonly distribution: cloudfront.Distribution;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    const { config } = props;

    this.userPool = this.addUserPool(config);
    this.userPoolClient = this.userPool.addClient("WebClient", {
      userPoolClientName: "catdata-web",
      generateSecret: false,
      authFlows: { userPassword: true, userSrp: true },
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
    });

    this.handler = new NodeLambda(this, "ApiHandler", {
      entry: "src/lambda/api.ts",
      description: "cat-data-api: the same Hono app as `npm start`, behind API Gateway",
      memorySize: 1024,
      timeout: Duration.seconds(29),
      architecture: config.lambdaArchitecture,
      logRetention: config.logRetentionDays as logs.RetentionDays,
      vpc: props.vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      securityGroups: [props.securityGroup],
      environment: {
        ...EPHEMERAL_ENV,
        ...dataLakeEnv(props.dataLake, this.account),
        CATDATA_USER_POOL_ID: this.userPool.userPoolId,
        CATDATA_USER_POOL_CLIENT_ID: this.userPoolClient.userPoolClientId,
        ...(props.warehouse
          ? {
              // The marts in Redshift (GET /kpis), signed in with the cluster's managed secret.
              CATDATA_WAREHOUSE: "redshift",
              CATDATA_REDSHIFT_HOST: props.warehouse.cluster.attrEndpointAddress,
              CATDATA_REDSHIFT_PORT: String(WAREHOUSE.port),
              CATDATA_REDSHIFT_DATABASE: WAREHOUSE.databaseName,
              CATDATA_REDSHIFT_SECRET_ARN: props.warehouse.masterSecretArn,
            }
          : {}),
      },
    });
    props.dataLake.grantQuery(this.handler.fn);
    props.warehouse?.grantConnect(this.handler.fn);
    this.grantPresignUploads(props.dataLake.bucketName);

    // Generated at deploy, never in the template: CloudFront sends it, the WAF admits only requests that carry it.
    const originVerify = new secretsmanager.Secret(this, "OriginVerify", {
      description: "cat-data-api: the header value CloudFront sends so the stage's WAF refuses calls that skip it",
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
    });
    acknowledge(
      originVerify,
      "A shared value between CloudFront and the WAF, both set from it at deploy; rotating it alone would lock CloudFront out until the next deploy, so it is rotated by redeploying.",
      "AwsSolutions-SMG4",
    );
    const originToken = originVerify.secretValue.unsafeUnwrap();

    this.api = this.addRestApi(config);
    this.addWaf(originToken);
    this.distribution = this.addCdn(config, originToken);

    new CfnOutput(this, "ApiUrl", {
      value: this.api.url,
      description: "execute-api URL: refused (403) unless the request came through CloudFront — use CdnUrl",
    });
    new CfnOutput(this, "CdnUrl", { value: `https://${this.distribution.distributionDomainName}/` });
    new CfnOutput(this, "UserPoolId", { value: this.userPool.userPoolId });
    new CfnOutput(this, "UserPoolClientId", { value: this.userPoolClient.userPoolClientId });
  }

  private addUserPool(config: CatdataInfraConfig): cognito.UserPool {
    const pool = new cognito.UserPool(this, "Users", {
      userPoolName: "cat-data-users",
      signInAliases: { username: true },
      signInCaseSensitive: false,
      selfSignUpEnabled: false,
      // Cognito's own default policy, pinned so a CDK default change cannot weaken it.
      passwordPolicy: {
        minLength: 8,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(7),
      },
      mfa: config.requireMfa ? cognito.Mfa.REQUIRED : cognito.Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      standardAttributes: { email: { required: false, mutable: true } },
      customAttributes: { municipality: new cognito.StringAttribute({ minLen: 1, maxLen: 64, mutable: true }) },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      featurePlan: config.cognitoPlusTier ? cognito.FeaturePlan.PLUS : cognito.FeaturePlan.ESSENTIALS,
      ...(config.cognitoPlusTier
        ? { standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION }
        : {}),
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    USER_GROUPS.forEach((groupName, precedence) => {
      pool.addGroup(`Group-${groupName}`, { groupName, precedence, description: `catdata ${groupName}` });
    });
    if (!config.requireMfa) {
      acknowledge(
        pool,
        "Design 003 asks for username + password; TOTP MFA is offered (optional) and `-c requireMfa=true` enforces it.",
        "AwsSolutions-COG2",
      );
    }
    if (!config.cognitoPlusTier) {
      acknowledge(
        pool,
        "Plus tier turned off by `-c cognitoPlusTier=false` to save its per-user cost.",
        "AwsSolutions-COG8",
      );
    }
    return pool;
  }

  private addRestApi(config: CatdataInfraConfig): apigw.RestApi {
    const accessLogs = new logs.LogGroup(this, "ApiAccessLogs", {
      retention: config.logRetentionDays as logs.RetentionDays,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const authorizer = new apigw.CognitoUserPoolsAuthorizer(this, "Authorizer", {
      authorizerName: "cat-data-users",
      cognitoUserPools: [this.userPool],
    });
    const api = new apigw.RestApi(this, "Api", {
      restApiName: "cat-data-api",
      description: "Municipal cat data API (design 003)",
      endpointTypes: [apigw.EndpointType.REGIONAL],
      cloudWatchRole: true,
      deployOptions: {
        stageName: "prod",
        accessLogDestination: new apigw.LogGroupLogDestination(accessLogs),
        accessLogFormat: apigw.AccessLogFormat.jsonWithStandardFields(),
        loggingLevel: apigw.MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        metricsEnabled: true,
        tracingEnabled: true,
        throttlingRateLimit: 50,
        throttlingBurstLimit: 100,
      },
      defaultMethodOptions: { authorizer, authorizationType: apigw.AuthorizationType.COGNITO },
    });
    acknowledge(
      api,
      "API Gateway's account-level CloudWatch role uses the AWS-managed AmazonAPIGatewayPushToCloudWatchLogs policy.",
      "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]",
    );
    const requestValidator = api.addRequestValidator("Validator", {
      requestValidatorName: "catdata-basic",
      validateRequestBody: true,
      validateRequestParameters: true,
    });
    const integration = new apigw.LambdaIntegration(this.handler.fn);
    api.root.addResource("cats").addMethod("GET", integration, { requestValidator });
    api.root.addProxy({ anyMethod: false }).addMethod("ANY", integration, { requestValidator });
    return api;
  }

  /**
   * Uploads go straight to S3: the API presigns PUTs under raw/ (the put's event starts the ETL), and a presigned URL
   * acts with the signer's permissions, so the API's role may put objects there and nowhere else.
   */
  private grantPresignUploads(bucketName: string): void {
    const rawObjects = objectsArn(this, bucketName, DATA_LAKE.rawPrefix);
    const role = this.handler.fn.role;
    if (!role) throw new Error("ApiHandler: the function has no role to grant the presigning to");
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ["s3:PutObject"], resources: [rawObjects] }));
    acknowledgeWildcardResources(
      role,
      "Uploads are new objects under raw/ of the cat data bucket; their keys are not known in advance.",
      [rawObjects],
    );
  }

  private addWaf(originToken: string): void {
    const visibility = (metricName: string) => ({
      cloudWatchMetricsEnabled: true,
      sampledRequestsEnabled: true,
      metricName,
    });
    const managed = (priority: number, name: string) => ({
      name,
      priority,
      overrideAction: { none: {} },
      statement: { managedRuleGroupStatement: { vendorName: "AWS", name } },
      visibilityConfig: visibility(name),
    });
    const acl = new wafv2.CfnWebACL(this, "WebAcl", {
      name: "cat-data-api",
      scope: "REGIONAL",
      defaultAction: { allow: {} },
      visibilityConfig: visibility("cat-data-api"),
      rules: [
        {
          name: "through-cloudfront-only",
          priority: 0,
          action: { block: {} },
          statement: {
            notStatement: {
              statement: {
                byteMatchStatement: {
                  fieldToMatch: { singleHeader: { Name: FRONT_DOOR.originVerifyHeader } },
                  positionalConstraint: "EXACTLY",
                  searchString: originToken,
                  textTransformations: [{ priority: 0, type: "NONE" }],
                },
              },
            },
          },
          visibilityConfig: visibility("through-cloudfront-only"),
        },
        {
          ...managed(1, "AWSManagedRulesCommonRuleSet"),
          statement: {
            managedRuleGroupStatement: {
              vendorName: "AWS",
              name: "AWSManagedRulesCommonRuleSet",
              // Counted (and labelled) here, blocked by body-size-except-uploads below.
              ruleActionOverrides: [{ name: "SizeRestrictions_BODY", actionToUse: { count: {} } }],
            },
          },
        },
        managed(2, "AWSManagedRulesKnownBadInputsRuleSet"),
        {
          name: "body-size-except-uploads",
          priority: 3,
          action: { block: {} },
          statement: {
            andStatement: {
              statements: [
                { labelMatchStatement: { scope: "LABEL", key: FRONT_DOOR.oversizeBodyLabel } },
                { notStatement: { statement: this.uploadRequest() } },
              ],
            },
          },
          visibilityConfig: visibility("body-size-except-uploads"),
        },
        {
          name: "rate-limit-per-ip",
          priority: 4,
          action: { block: {} },
          statement: {
            rateBasedStatement: {
              limit: FRONT_DOOR.rateLimitPerIp,
              evaluationWindowSec: FRONT_DOOR.rateWindowSeconds,
              // The viewer's address as CloudFront saw it, not CloudFront's; a request without it did not come
              // through CloudFront (the first rule blocks those already) and counts as matching.
              aggregateKeyType: "FORWARDED_IP",
              forwardedIpConfig: { headerName: FRONT_DOOR.viewerIpHeader, fallbackBehavior: "MATCH" },
            },
          },
          visibilityConfig: visibility("rate-limit-per-ip"),
        },
      ],
    });
    const association = new wafv2.CfnWebACLAssociation(this, "WebAclAssociation", {
      resourceArn: this.api.deploymentStage.stageArn,
      webAclArn: acl.attrArn,
    });
    association.node.addDependency(this.api.deploymentStage);
  }

  /** `POST …/uploads`: the one route whose body may exceed the common rule set's 8 KB. */
  private uploadRequest(): wafv2.CfnWebACL.StatementProperty {
    const none = [{ priority: 0, type: "NONE" }];
    return {
      andStatement: {
        statements: [
          {
            byteMatchStatement: {
              fieldToMatch: { method: {} },
              positionalConstraint: "EXACTLY",
              searchString: "POST",
              textTransformations: none,
            },
          },
          {
            byteMatchStatement: {
              fieldToMatch: { uriPath: {} },
              positionalConstraint: "ENDS_WITH",
              searchString: FRONT_DOOR.uploadPathSuffix,
              textTransformations: none,
            },
          },
        ],
      },
    };
  }

  private addCdn(config: CatdataInfraConfig, originToken: string): cloudfront.Distribution {
    const logBucket = createLogBucket(this, "CdnLogs", config.logRetentionDays, {
      // CloudFront standard logging writes with ACLs.
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      noAccessLogsReason: "CloudFront access-log sink; logging reads of the logs would need yet another bucket.",
    });
    // GET/HEAD only reach the origin with the Authorization header if it is part of the cache key.
    const cachePolicy = new cloudfront.CachePolicy(this, "ApiCachePolicy", {
      comment: "cat-data-api: per-token cache key, no caching unless the API sets Cache-Control",
      defaultTtl: Duration.seconds(0),
      minTtl: Duration.seconds(0),
      maxTtl: Duration.seconds(1),
      headerBehavior: cloudfront.CacheHeaderBehavior.allowList("Authorization"),
      queryStringBehavior: cloudfront.CacheQueryStringBehavior.all(),
      cookieBehavior: cloudfront.CacheCookieBehavior.none(),
    });
    const custom =
      config.cdnDomainName && config.cdnCertificateArn
        ? {
            domainNames: [config.cdnDomainName],
            certificate: acm.Certificate.fromCertificateArn(this, "CdnCertificate", config.cdnCertificateArn),
            // Only a custom certificate has a security policy; the default *.cloudfront.net one is fixed at TLSv1.
            minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {};
    // Runs on every viewer request and overwrites whatever the client sent in the header: the WAF's rate key.
    const viewerIp = new cloudfront.Function(this, "ViewerIp", {
      comment: `cat-data-api: the viewer's address in ${FRONT_DOOR.viewerIpHeader} for the WAF's per-IP rate rule`,
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      code: cloudfront.FunctionCode.fromInline(
        [
          "function handler(event) {",
          "  var request = event.request;",
          `  request.headers["${FRONT_DOOR.viewerIpHeader}"] = { value: event.viewer.ip };`,
          "  return request;",
          "}",
        ].join("\n"),
      ),
    });
    const distribution = new cloudfront.Distribution(this, "Cdn", {
      comment: "cat-data-api behind CloudFront (design 003)",
      defaultBehavior: {
        origin: new origins.RestApiOrigin(this.api, {
          customHeaders: { [FRONT_DOOR.originVerifyHeader]: originToken },
        }),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
        cachePolicy,
        // All viewer headers reach the origin, the function's viewer-IP header among them.
        originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
        functionAssociations: [{ function: viewerIp, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }],
      },
      priceClass: cloudfront.PriceClass.PRICE_CLASS_200,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      enableLogging: true,
      logBucket,
      logFilePrefix: "cloudfront/",
      ...custom,
    });
    if (!config.cdnCertificateArn) {
      acknowledge(
        distribution,
        "Without cdnDomainName/cdnCertificateArn CloudFront serves its *.cloudfront.net certificate, whose TLS floor cannot be raised; give both to enforce TLS 1.2.",
        "AwsSolutions-CFR4",
      );
    }
    acknowledge(
      distribution,
      "The WAF WebACL is attached to the API stage (regional); a CloudFront-scope WebACL would have to live in us-east-1.",
      "AwsSolutions-CFR2",
    );
    acknowledge(
      distribution,
      "Municipal users are authenticated by Cognito; no country is excluded by design.",
      "AwsSolutions-CFR1",
    );
    return distribution;
  }
}
