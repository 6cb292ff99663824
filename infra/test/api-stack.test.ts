/**
 * Pins design 003's front door: Cognito cat-data-users (username + password with Cognito's default policy, groups,
 * municipality attribute, no self sign-up, client without secret), REST API cat-data-api with GET /cats and a Cognito
 * authoriser on every method, access logs and throttling, the WAF on the stage, CloudFront HTTPS-only in front, with
 * the TLS 1.2 floor on a custom certificate.
 */
import { Match, Template } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import { buildTestApp } from "./synth.js";

const { stacks } = buildTestApp();
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
          Statement: { ManagedRuleGroupStatement: { VendorName: "AWS", Name: "AWSManagedRulesCommonRuleSet" } },
        }),
        Match.objectLike({ Statement: { RateBasedStatement: Match.objectLike({ AggregateKeyType: "IP" }) } }),
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
