/**
 * Pins design 003's operations: alarms on the Lambdas' errors and duration and on API 5xx, sent to an SNS topic
 * encrypted with a customer-managed, rotated key whose policy lets CloudWatch (for this account's catdata alarms only)
 * use it, and which CloudWatch may publish to; an e-mail subscriber when alarmEmail is given; one dashboard; the AWS
 * Config recorder only when asked for.
 */
import { Match, Template } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import { buildTestApp, TEST_ENV } from "./synth.js";

const ALARM_ARNS = `arn:aws:cloudwatch:${TEST_ENV.region}:${TEST_ENV.account}:alarm:Catdata-*`;
const FROM_OUR_ALARMS = {
  StringEquals: { "aws:SourceAccount": TEST_ENV.account },
  ArnLike: { "aws:SourceArn": ALARM_ARNS },
};

const { stacks } = buildTestApp();
const template = Template.fromStack(stacks.monitoring);

describe("MonitoringStack", () => {
  it("alarms on Lambda errors and duration and on API 5xx", () => {
    template.hasResourceProperties("AWS::CloudWatch::Alarm", {
      MetricName: "Errors",
      Namespace: "AWS/Lambda",
      Dimensions: [{ Name: "FunctionName", Value: Match.anyValue() }],
      AlarmActions: [{ Ref: Match.stringLikeRegexp("^Alarms") }],
    });
    template.hasResourceProperties("AWS::CloudWatch::Alarm", {
      MetricName: "Duration",
      ExtendedStatistic: "p99",
      Threshold: 240000,
    });
    template.hasResourceProperties("AWS::CloudWatch::Alarm", { MetricName: "5XXError", Namespace: "AWS/ApiGateway" });
    template.resourceCountIs("AWS::CloudWatch::Alarm", 7);
    template.resourceCountIs("AWS::CloudWatch::Dashboard", 1);
  });

  it("names every alarm with the stack prefix, which the key and topic policies admit", () => {
    const names = Object.values(template.findResources("AWS::CloudWatch::Alarm")).map(
      (a) => a.Properties.AlarmName as string,
    );
    expect(names.sort()).toEqual([
      "Catdata-Api5xx",
      "Catdata-ApiDuration",
      "Catdata-ApiErrors",
      "Catdata-McpDuration",
      "Catdata-McpErrors",
      "Catdata-ProcessCatDataDuration",
      "Catdata-ProcessCatDataErrors",
    ]);
  });

  it("encrypts the topic with its own rotated key, not aws/sns (which CloudWatch cannot use)", () => {
    template.resourceCountIs("AWS::KMS::Key", 1);
    template.hasResourceProperties("AWS::KMS::Key", { EnableKeyRotation: true });
    template.hasResourceProperties("AWS::KMS::Alias", { AliasName: "alias/catdata-alarms" });
    template.hasResourceProperties("AWS::SNS::Topic", {
      KmsMasterKeyId: { "Fn::GetAtt": [Match.stringLikeRegexp("^AlarmKey"), "Arn"] },
    });
    expect(JSON.stringify(template.toJSON())).not.toContain("alias/aws/sns");
  });

  it("lets CloudWatch use the key for this account's catdata alarms only", () => {
    const key = Object.values(template.findResources("AWS::KMS::Key"))[0];
    const statements = key?.Properties.KeyPolicy.Statement as Record<string, unknown>[];
    const cloudwatch = statements.filter((st) => JSON.stringify(st.Principal).includes("cloudwatch.amazonaws.com"));
    expect(cloudwatch).toEqual([
      {
        Sid: "CloudWatchAlarmsUseKey",
        Effect: "Allow",
        Principal: { Service: "cloudwatch.amazonaws.com" },
        Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
        Resource: "*",
        Condition: FROM_OUR_ALARMS,
      },
    ]);
  });

  it("lets CloudWatch publish to the topic (its policy replaces SNS's default) and refuses plain HTTP", () => {
    template.hasResourceProperties("AWS::SNS::TopicPolicy", {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
          Match.objectLike({
            Sid: "CloudWatchAlarmsPublish",
            Effect: "Allow",
            Principal: { Service: "cloudwatch.amazonaws.com" },
            Action: "sns:Publish",
            Resource: { Ref: Match.stringLikeRegexp("^Alarms") },
            Condition: FROM_OUR_ALARMS,
          }),
        ]),
      },
    });
  });

  it("e-mails the alarms to alarmEmail, and has no subscriber without it", () => {
    template.resourceCountIs("AWS::SNS::Subscription", 0);
    const mailed = Template.fromStack(buildTestApp({ alarmEmail: "ops@example.org" }).stacks.monitoring);
    mailed.hasResourceProperties("AWS::SNS::Subscription", {
      Protocol: "email",
      Endpoint: "ops@example.org",
      TopicArn: { Ref: Match.stringLikeRegexp("^Alarms") },
    });
  });

  it("deploys the AWS Config recorder only on request", () => {
    template.resourceCountIs("AWS::Config::ConfigurationRecorder", 0);
    const withConfig = Template.fromStack(buildTestApp({ withConfigRecorder: "true" }).stacks.monitoring);
    withConfig.resourceCountIs("AWS::Config::ConfigurationRecorder", 1);
    withConfig.resourceCountIs("AWS::Config::DeliveryChannel", 1);
  });
});
