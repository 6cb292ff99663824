/**
 * Pins design 003's front door: Cognito cat-data-users (username + password with Cognito's default policy, groups,
 * municipality attribute, no self sign-up, client without secret), REST API cat-data-api with GET /cats and a Cognito
 * authoriser on every method, access logs and throttling, the WAF on the stage, CloudFront HTTPS-only in front, with
 * the TLS 1.2 floor on a custom certificate. The front door: the execute-api URL refused unless the request carries
 * CloudFront's generated origin secret; the per-IP rate on the viewer address a CloudFront Function writes (not
 * CloudFront's, not a client-chosen X-Forwarded-For); the 8 KB body rule kept everywhere but `POST …/uploads`; the
 * API's role may put objects under raw/ only, so the URLs it presigns for uploads work.
 */
import { Match, Template } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import { FRONT_DOOR } from "../lib/stacks/api-stack.js";
import { allPolicyStatements, asArray, buildTestApp } from "./synth.js";

const { app, stacks } = buildTestApp();
const template = Template.fromStack(stacks.api);

describe("ApiStack — Cognito", () => {
  it("creates cat-data-users with Cognito's default password policy and no self sign-up", () => {
    template.hasResourceProperties("AWS::Cognito::UserPool", {
      UserPoolName: "cat-data-users",
      Policies: {
        PasswordPolicy: {
          MinimumLength: 8,
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
          TemporaryPasswordValidityDays: 7,
        },
      },
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      Schema: Match.arrayWith([Match.objectLike({ Name: "municipality", AttributeDataType: "String", Mutable: true })]),
      UserPoolTier: "PLUS",
      UserPoolAddOns: { AdvancedSecurityMode: "ENFORCED" },
    });
  });

  it("creates the admin, analyst, staff and viewer groups", () => {
    for (const group of ["admin", "analyst", "staff", "viewer"]) {
      template.hasResourceProperties("AWS::Cognito::UserPoolGroup", { GroupName: group });
    }
    template.resourceCountIs("AWS::Cognito::UserPoolGroup", 4);
  });

  it("has an app client without secret for USER_PASSWORD_AUTH and SRP", () => {
    template.hasResourceProperties("AWS::Cognito::UserPoolClient", {
      GenerateSecret: false,
      ExplicitAuthFlows: Match.arrayWith(["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH"]),
    });
  });
});

describe("ApiStack — API Gateway", () => {
  it("names the API cat-data-api and serves GET /cats", () => {
    template.hasResourceProperties("AWS::ApiGateway::RestApi", { Name: "cat-data-api" });
    template.hasResourceProperties("AWS::ApiGateway::Resource", { PathPart: "cats" });
    template.hasResourceProperties("AWS::ApiGateway::Method", {
      HttpMethod: "GET",
      AuthorizationType: "COGNITO_USER_POOLS",
      ResourceId: { Ref: Match.stringLikeRegexp("cats") },
    });
  });

  it("puts the Cognito authoriser on every method", () => {
    template.hasResourceProperties("AWS::ApiGateway::Authorizer", {
      Type: "COGNITO_USER_POOLS",
      ProviderARNs: [{ "Fn::GetAtt": [Match.stringLikeRegexp("^Users"), "Arn"] }],
    });
    const methods = Object.values(template.findResources("AWS::ApiGateway::Method"));
    expect(methods.length).toBeGreaterThanOrEqual(2);
    for (const m of methods) {
      expect(m.Properties.AuthorizationType).toBe("COGNITO_USER_POOLS");
      expect(m.Properties.AuthorizerId).toBeDefined();
    }
  });

  it("logs access and throttles the stage", () => {
    template.hasResourceProperties("AWS::ApiGateway::Stage", {
      StageName: "prod",
      AccessLogSetting: { DestinationArn: Match.anyValue(), Format: Match.anyValue() },
      TracingEnabled: true,
      MethodSettings: [Match.objectLike({ ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100, LoggingLevel: "ERROR" })],
    });
  });

  it("associates a WAF WebACL (common rule set + rate limit) with the stage", () => {
    template.hasResourceProperties("AWS::WAFv2::WebACL", {
      Scope: "REGIONAL",
      Rules: Match.arrayWith([
        Match.objectLike({
          Statement: {
            ManagedRuleGroupStatement: Match.objectLike({ VendorName: "AWS", Name: "AWSManagedRulesCommonRuleSet" }),
          },
        }),
        Match.objectLike({ Statement: { RateBasedStatement: Match.anyValue() } }),
      ]),
    });
    template.hasResourceProperties("AWS::WAFv2::WebACLAssociation", {
      ResourceArn: {
        "Fn::Join": [
          "",
          [
            Match.stringLikeRegexp("/restapis/$"),
            { Ref: Match.stringLikeRegexp("^Api") },
            "/stages/",
            { Ref: Match.stringLikeRegexp("^ApiDeploymentStageprod") },
          ],
        ],
      },
      WebACLArn: { "Fn::GetAtt": [Match.anyValue(), "Arn"] },
    });
  });

  it("runs the API Lambda in the VPC behind allow-https", () => {
    template.hasResourceProperties("AWS::Lambda::Function", {
      Runtime: "nodejs22.x",
      VpcConfig: { SecurityGroupIds: [Match.objectLike({ "Fn::ImportValue": Match.stringLikeRegexp("AllowHttps") })] },
    });
  });

  it("reads the marts from Redshift with the cluster's managed secret", () => {
    template.hasResourceProperties("AWS::Lambda::Function", {
      Environment: {
        Variables: Match.objectLike({
          CATDATA_WAREHOUSE: "redshift",
          CATDATA_REDSHIFT_PORT: "5439",
          CATDATA_REDSHIFT_SECRET_ARN: Match.anyValue(),
          CATDATA_REDSHIFT_HOST: Match.anyValue(),
        }),
      },
    });
  });
});

interface Rule {
  readonly Name: string;
  readonly Priority: number;
}
/** The WebACL's rules as the template has them (deeply nested JSON, read as the template's own untyped values). */
const rules = () => Object.values(template.findResources("AWS::WAFv2::WebACL"))[0]?.Properties.Rules ?? [];
const rule = (name: string) => rules().find((r: Rule) => r.Name === name);
const distributionConfig = () =>
  Object.values(template.findResources("AWS::CloudFront::Distribution"))[0]?.Properties.DistributionConfig;

describe("ApiStack — the front door (WAF and CloudFront together)", () => {
  it("refuses, first of all, requests without CloudFront's origin secret: the execute-api URL answers 403", () => {
    const first = rules().sort((a: Rule, b: Rule) => a.Priority - b.Priority)[0];
    expect(first?.Name).toBe("through-cloudfront-only");
    expect(first?.Action).toEqual({ Block: {} });
    const match = first?.Statement.NotStatement.Statement.ByteMatchStatement;
    expect(match).toMatchObject({
      FieldToMatch: { SingleHeader: { Name: FRONT_DOOR.originVerifyHeader } },
      PositionalConstraint: "EXACTLY",
    });
    // The secret is generated by Secrets Manager at deploy: a dynamic reference, never a value in the template.
    expect(match.SearchString).toEqual({
      "Fn::Join": [
        "",
        ["{{resolve:secretsmanager:", { Ref: expect.stringMatching(/^OriginVerify/) }, ":SecretString:::}}"],
      ],
    });
    template.resourceCountIs("AWS::SecretsManager::Secret", 1);
    template.hasResourceProperties("AWS::SecretsManager::Secret", {
      GenerateSecretString: Match.objectLike({ PasswordLength: 48 }),
    });
    // CloudFront sends the same value to the origin.
    expect(distributionConfig().Origins[0].OriginCustomHeaders).toEqual([
      { HeaderName: FRONT_DOOR.originVerifyHeader, HeaderValue: match.SearchString },
    ]);
  });

  it("rate-limits per viewer address from CloudFront's header, a missing header counting as a match", () => {
    expect(rule("rate-limit-per-ip")?.Statement.RateBasedStatement).toEqual({
      Limit: FRONT_DOOR.rateLimitPerIp,
      EvaluationWindowSec: FRONT_DOOR.rateWindowSeconds,
      AggregateKeyType: "FORWARDED_IP",
      ForwardedIPConfig: { HeaderName: FRONT_DOOR.viewerIpHeader, FallbackBehavior: "MATCH" },
    });
    expect(rule("rate-limit-per-ip")?.Action).toEqual({ Block: {} });
  });

  it("has a CloudFront Function write the viewer's address into that header on every viewer request", () => {
    const fns = Object.values(template.findResources("AWS::CloudFront::Function"));
    expect(fns).toHaveLength(1);
    const code = fns[0]?.Properties.FunctionCode as string;
    expect(fns[0]?.Properties.FunctionConfig.Runtime).toBe("cloudfront-js-2.0");
    // Run the function's code as CloudFront would: it overwrites a header the client tried to set.
    const handler = new Function(`${code}; return handler;`)() as (e: unknown) => {
      headers: Record<string, { value: string }>;
    };
    const forged = { [FRONT_DOOR.viewerIpHeader]: { value: "192.0.2.1" } };
    const out = handler({ viewer: { ip: "198.51.100.7" }, request: { headers: { ...forged } } });
    expect(out.headers[FRONT_DOOR.viewerIpHeader]).toEqual({ value: "198.51.100.7" });
    const behavior = distributionConfig().DefaultCacheBehavior;
    expect(behavior.FunctionAssociations).toEqual([
      {
        EventType: "viewer-request",
        FunctionARN: { "Fn::GetAtt": [expect.stringMatching(/^ViewerIp/), "FunctionARN"] },
      },
    ]);
  });

  it("counts the common rule set's 8 KB body rule and blocks oversized bodies everywhere but POST …/uploads", () => {
    const crs = rules().find(
      (r: Rule & { Statement: { ManagedRuleGroupStatement?: Rule } }) =>
        r.Statement.ManagedRuleGroupStatement?.Name === "AWSManagedRulesCommonRuleSet",
    );
    expect(crs?.Statement.ManagedRuleGroupStatement.RuleActionOverrides).toEqual([
      { Name: "SizeRestrictions_BODY", ActionToUse: { Count: {} } },
    ]);
    const size = rule("body-size-except-uploads");
    expect(size?.Priority).toBeGreaterThan(crs?.Priority ?? Number.POSITIVE_INFINITY);
    expect(size?.Action).toEqual({ Block: {} });
    const [label, notUpload] = size?.Statement.AndStatement.Statements ?? [];
    expect(label).toEqual({
      LabelMatchStatement: { Scope: "LABEL", Key: "awswaf:managed:aws:core-rule-set:SizeRestrictions_Body" },
    });
    const upload = notUpload.NotStatement.Statement.AndStatement.Statements;
    expect(upload).toEqual([
      expect.objectContaining({
        ByteMatchStatement: expect.objectContaining({
          FieldToMatch: { Method: {} },
          PositionalConstraint: "EXACTLY",
          SearchString: "POST",
        }),
      }),
      expect.objectContaining({
        ByteMatchStatement: expect.objectContaining({
          FieldToMatch: { UriPath: {} },
          PositionalConstraint: "ENDS_WITH",
          SearchString: "/uploads",
        }),
      }),
    ]);
  });

  it("lets the API's role put objects under raw/ (for the presigned upload URLs) and nowhere else in the bucket", () => {
    const api = allPolicyStatements(app).filter((s) => s.where.startsWith("Catdata-Api/"));
    const onRaw = api.filter((s) => JSON.stringify(s.statement.Resource).includes("/raw/")).map((s) => s.statement);
    expect(api.some((s) => asArray(s.statement.Action).includes("s3:PutObject"))).toBe(true);
    expect(onRaw).toEqual([
      expect.objectContaining({
        Effect: "Allow",
        Action: "s3:PutObject",
        Resource: "arn:aws:s3:::cat-data-bucket-123456789012-ap-northeast-1/raw/*",
      }),
    ]);
  });
});

describe("ApiStack — CloudFront", () => {
  it("serves the API over HTTPS only, with access logs", () => {
    template.hasResourceProperties("AWS::CloudFront::Distribution", {
      DistributionConfig: Match.objectLike({
        DefaultCacheBehavior: Match.objectLike({ ViewerProtocolPolicy: "https-only" }),
        Logging: Match.objectLike({ Bucket: Match.anyValue() }),
        Origins: [Match.objectLike({ CustomOriginConfig: Match.objectLike({ OriginProtocolPolicy: "https-only" }) })],
      }),
    });
  });

  it("sets the TLS 1.2 floor with a custom certificate", () => {
    const viewer = (t: Template) =>
      Object.values(t.findResources("AWS::CloudFront::Distribution"))[0]?.Properties.DistributionConfig
        .ViewerCertificate as Record<string, unknown> | undefined;
    const custom = buildTestApp({
      cdnDomainName: "cats.example.org",
      cdnCertificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/cdn",
    }).stacks.api;
    expect(viewer(Template.fromStack(custom))).toMatchObject({
      AcmCertificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/cdn",
      MinimumProtocolVersion: "TLSv1.2_2021",
    });
  });
});
