import { ArnFormat, Duration, RemovalPolicy, Stack, type StackProps } from "aws-cdk-lib";
import type * as apigw from "aws-cdk-lib/aws-apigateway";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import * as actions from "aws-cdk-lib/aws-cloudwatch-actions";
import * as iam from "aws-cdk-lib/aws-iam";
import * as kms from "aws-cdk-lib/aws-kms";
import * as sns from "aws-cdk-lib/aws-sns";
import * as subscriptions from "aws-cdk-lib/aws-sns-subscriptions";
import type { Construct } from "constructs";
import type { CatdataInfraConfig } from "../config.js";
import { ConfigRecorder } from "../constructs/config-recorder.js";
import type { NodeLambda } from "../constructs/node-lambda.js";
import { createLogBucket } from "../constructs/secure-bucket.js";

export interface MonitoringStackProps extends StackProps {
  readonly config: CatdataInfraConfig;
  /** `process-cat-data`: the design's alarmed function. */
  readonly processor: NodeLambda;
  readonly apiHandler: NodeLambda;
  readonly mcp: NodeLambda;
  readonly api: apigw.RestApi;
}

/**
 * Every alarm's name starts with the stack prefix (`Catdata-ApiErrors`, unique per deployment); the topic's and the
 * key's policies admit the alarms named so, and no others.
 */
export function alarmNamePrefix(config: Pick<CatdataInfraConfig, "stackPrefix">): string {
  return `${config.stackPrefix}-`;
}

/**
 * Design 003's operations: CloudWatch alarms (Lambda errors and duration, API 5xx) to an SNS topic encrypted with a
 * customer-managed key CloudWatch may use (e-mailed to `alarmEmail`), one dashboard with
 * the metrics and the process-cat-data logs, and optionally the account's AWS Config recorder.
 */
export class MonitoringStack extends Stack {
  /** Customer-managed: CloudWatch cannot use the `aws/sns` key, so alarms to a topic under it are never delivered. */
  readonly alarmKey: kms.Key;
  readonly alarmTopic: sns.Topic;
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: MonitoringStackProps) {
    super(scope, id, props);
    const { config, processor, apiHandler, mcp, api } = props;

    const prefix = alarmNamePrefix(config);
    this.alarmKey = this.addAlarmKey(prefix);
    this.alarmTopic = new sns.Topic(this, "Alarms", {
      displayName: "catdata alarms",
      enforceSSL: true,
      masterKey: this.alarmKey,
    });
    // enforceSSL gives the topic a policy of its own, which replaces SNS's default: name the publisher.
    this.alarmTopic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: "CloudWatchAlarmsPublish",
        principals: [new iam.ServicePrincipal("cloudwatch.amazonaws.com")],
        actions: ["sns:Publish"],
        resources: [this.alarmTopic.topicArn],
        conditions: this.fromOurAlarms(prefix),
      }),
    );
    if (config.alarmEmail) this.alarmTopic.addSubscription(new subscriptions.EmailSubscription(config.alarmEmail));
    const alarmAction = new actions.SnsAction(this.alarmTopic);
    const fiveMinutes = Duration.minutes(5);

    const alarms: cloudwatch.Alarm[] = [];
    const fns = [
      ["ProcessCatData", processor],
      ["Api", apiHandler],
      ["Mcp", mcp],
    ] as const;
    for (const [name, lambda] of fns) {
      alarms.push(
        lambda.fn.metricErrors({ period: fiveMinutes, statistic: "Sum" }).createAlarm(this, `${name}Errors`, {
          alarmName: `${prefix}${name}Errors`,
          alarmDescription: `${name}: Lambda errors`,
          threshold: 1,
          evaluationPeriods: 1,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        }),
      );
      const timeout = lambda.fn.timeout?.toMilliseconds() ?? 3000;
      alarms.push(
        lambda.fn.metricDuration({ period: fiveMinutes, statistic: "p99" }).createAlarm(this, `${name}Duration`, {
          alarmName: `${prefix}${name}Duration`,
          alarmDescription: `${name}: p99 duration above 80% of the timeout`,
          threshold: Math.round(timeout * 0.8),
          evaluationPeriods: 3,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        }),
      );
    }
    const api5xx = api.metricServerError({ period: fiveMinutes, statistic: "Sum" });
    alarms.push(
      api5xx.createAlarm(this, "Api5xx", {
        alarmName: `${prefix}Api5xx`,
        alarmDescription: "cat-data-api: 5xx responses",
        threshold: 5,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );
    for (const alarm of alarms) alarm.addAlarmAction(alarmAction);

    this.dashboard = new cloudwatch.Dashboard(this, "Dashboard", { dashboardName: "catdata" });
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: "Lambda invocations and errors",
        left: fns.map(([, l]) => l.fn.metricInvocations({ period: fiveMinutes })),
        right: fns.map(([, l]) => l.fn.metricErrors({ period: fiveMinutes })),
        width: 12,
      }),
      new cloudwatch.GraphWidget({
        title: "Lambda duration p99",
        left: fns.map(([, l]) => l.fn.metricDuration({ period: fiveMinutes, statistic: "p99" })),
        width: 12,
      }),
      new cloudwatch.GraphWidget({
        title: "cat-data-api",
        left: [api.metricCount({ period: fiveMinutes }), api5xx, api.metricClientError({ period: fiveMinutes })],
        right: [api.metricLatency({ period: fiveMinutes, statistic: "p99" })],
        width: 12,
      }),
      new cloudwatch.AlarmStatusWidget({ title: "Alarms", alarms, width: 12 }),
      new cloudwatch.LogQueryWidget({
        title: "process-cat-data logs",
        logGroupNames: [processor.logGroup.logGroupName],
        queryLines: ["fields @timestamp, @message", "sort @timestamp desc", "limit 100"],
        width: 24,
      }),
    );

    if (config.withConfigRecorder) {
      new ConfigRecorder(this, "ConfigRecorder", {
        bucket: createLogBucket(this, "ConfigHistory", config.logRetentionDays, {
          noAccessLogsReason: "AWS Config delivery bucket, written by the Config service only.",
        }),
      });
    }
  }

  /**
   * The alarm topic's key, rotated yearly. Besides the account's administration (CDK's default statement), only
   * CloudWatch may use it, to publish this account's catdata alarms: kms:GenerateDataKey* and kms:Decrypt are what SNS
   * needs on the publisher's behalf for an encrypted topic.
   */
  private addAlarmKey(prefix: string): kms.Key {
    const key = new kms.Key(this, "AlarmKey", {
      alias: `alias/${prefix.toLowerCase()}alarms`,
      description: "catdata alarm topic (SNS): CloudWatch alarms publish with it",
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: "CloudWatchAlarmsUseKey",
        principals: [new iam.ServicePrincipal("cloudwatch.amazonaws.com")],
        actions: ["kms:Decrypt", "kms:GenerateDataKey*"],
        resources: ["*"],
        conditions: this.fromOurAlarms(prefix),
      }),
    );
    return key;
  }

  /** Confused-deputy guard: the call comes from a catdata alarm of this account and region. */
  private fromOurAlarms(prefix: string): Record<string, Record<string, string>> {
    return {
      StringEquals: { "aws:SourceAccount": this.account },
      ArnLike: {
        "aws:SourceArn": this.formatArn({
          service: "cloudwatch",
          resource: "alarm",
          resourceName: `${prefix}*`,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      },
    };
  }
}
