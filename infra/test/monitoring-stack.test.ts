/**
 * Pins design 003's operations: alarms on the Lambdas' errors and duration and on API 5xx, sent to an encrypted SNS
 * topic; one dashboard; the AWS Config recorder only when asked for.
 */
import { Match, Template } from "aws-cdk-lib/assertions";
import { describe, it } from "vitest";
import { buildTestApp } from "./synth.js";

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
    template.hasResourceProperties("AWS::SNS::Topic", { KmsMasterKeyId: Match.anyValue() });
  });

  it("deploys the AWS Config recorder only on request", () => {
    template.resourceCountIs("AWS::Config::ConfigurationRecorder", 0);
    const withConfig = Template.fromStack(buildTestApp({ withConfigRecorder: "true" }).stacks.monitoring);
    withConfig.resourceCountIs("AWS::Config::ConfigurationRecorder", 1);
    withConfig.resourceCountIs("AWS::Config::DeliveryChannel", 1);
  });
});
