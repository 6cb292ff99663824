/**
 * Pins user agent → family on agents seen in the sample data: CLI, SDKs by language, Terraform,
 * boto3, the console (and browsers), AWS services, Stratus Red Team, bracketed agents, and "other".
 */
import { describe, expect, it } from "vitest";
import { userAgentFamily } from "./user-agent.js";

describe("userAgentFamily", () => {
  it.each([
    ["aws-cli/2.17.32 md/awscrt#0.21.2 ua/2.0 os/linux#0", "cli"],
    ["[aws-cli/1.16.19 Python/2.7.10 Darwin/17.7.0 botocore/1.12.9]", "cli"],
    ["aws-sdk-go/1.41.4 (go1.18.3; linux; amd64)", "sdk-go"],
    ["aws-sdk-go-v2/1.21.0 os/linux lang/go#1.21", "sdk-go"],
    ["aws-sdk-java/1.12.470 Linux/5.10", "sdk-java"],
    ["aws-sdk-nodejs/2.1.0 linux/v18", "sdk-js"],
    ["APN/1.0 HashiCorp/1.0 Terraform/1.1.2 (+https://www.terraform.io)", "terraform"],
    ["Boto3/1.26.165 Python/3.10.6 Linux/5.19.0-46-generic Botocore/1.29.165", "boto3/python"],
    ["console.amazonaws.com", "console"],
    ["console.ec2.amazonaws.com", "console"],
    ["signin.amazonaws.com", "console"],
    ["[S3Console/0.4, aws-internal/3 aws-sdk-java/1.12.488]", "console"],
    ["RDS Console, aws-internal/3 aws-sdk-java/1.11.975", "console"],
    ["Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:102.0) Gecko/20100101 Firefox/102.0", "console"],
    ["AWS Internal", "aws-service"],
    ["secretsmanager.amazonaws.com", "aws-service"],
    ["aws-internal/3 aws-sdk-java/1.11.1030 Linux/5.4.116", "aws-service"],
    ["awslambda-worker", "aws-service"],
    ["stratus-red-team_ea782787-a65d-4fc4-9fca-1c97869a9", "stratus-red-team"],
    [
      "APN/1.0 HashiCorp/1.0 Terraform/1.1.2 terraform-provider-aws/3.76.1 aws-sdk-go/1.44.157 stratus-red-team_ea78",
      "terraform",
    ],
    ["aws-sdk-python/1.26.0", "boto3/python"],
    ["curl/7.79.1", "other"],
    ["", "other"],
    [null, "other"],
  ])("%s → %s", (agent, family) => {
    expect(userAgentFamily(agent)).toBe(family);
  });
});
