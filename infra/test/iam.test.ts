/**
 * Pins least privilege across every stack: no wildcard actions (`cloudtrail:*`, `bedrock:*`, `s3:*`, `*`), and
 * `Resource: "*"` only for the few actions IAM cannot scope (X-Ray writes, CloudTrail lookups, the ECR login).
 * This is what makes the `AwsSolutions-IAM5[Resource::*]` acknowledgements safe.
 */
import { describe, expect, it } from "vitest";
import { allPolicyStatements, asArray, buildTestApp } from "./synth.js";

/** Actions without resource-level permissions in IAM. */
const UNSCOPABLE = new Set([
  "xray:PutTraceSegments",
  "xray:PutTelemetryRecords",
  "cloudtrail:LookupEvents",
  "cloudtrail:DescribeTrails",
  "cloudtrail:ListEventDataStores",
  "ecr:GetAuthorizationToken",
]);

const statements = allPolicyStatements(buildTestApp({ withConfigRecorder: "true" }).app).filter(
  (s) => s.statement.Effect === "Allow",
);

describe("IAM across the app", () => {
  it("finds the policies it checks", () => {
    expect(statements.length).toBeGreaterThan(20);
  });

  it("grants no wildcard action", () => {
    const wildcards = statements.flatMap(({ where, statement }) =>
      asArray(statement.Action)
        .filter((a) => a.includes("*"))
        .map((a) => `${where}: ${a}`),
    );
    expect(wildcards).toEqual([]);
  });

  it("grants Resource * only to actions IAM cannot scope", () => {
    const offenders = statements.flatMap(({ where, statement }) =>
      asArray(statement.Resource).includes("*")
        ? asArray(statement.Action)
            .filter((a) => !UNSCOPABLE.has(a))
            .map((a) => `${where}: ${a}`)
        : [],
    );
    expect(offenders).toEqual([]);
  });
});
