import { readFileSync } from "node:fs";
import { App } from "aws-cdk-lib";
import { addCatdataStacks, type CatdataStacks } from "../lib/catdata-app.js";
import { resolveConfig } from "../lib/config.js";
import { REPO_ROOT } from "../lib/constructs/node-lambda.js";

/** The account and region the tests synthesize for (env-specific, as `cdk deploy` with credentials does). */
export const TEST_ENV = { account: "123456789012", region: "ap-northeast-1" } as const;

/**
 * Builds the whole catdata app the way bin/catdata.ts does, with cdk.json's context (feature flags) and Lambda bundling
 * skipped (no esbuild run). The Fargate image asset only stages the Docker build context at synth: no Docker needed.
 */
export function buildTestApp(context: Record<string, unknown> = {}): { app: App; stacks: CatdataStacks } {
  const cdkJson = JSON.parse(readFileSync(`${REPO_ROOT}cdk.json`, "utf8")) as { context?: Record<string, unknown> };
  const app = new App({
    context: { ...cdkJson.context, ...context, "aws:cdk:bundling-stacks": [] },
    builtinCloudFormationValidation: false,
  });
  const config = resolveConfig({ ...cdkJson.context, ...context });
  const stacks = addCatdataStacks(app, config, { env: TEST_ENV });
  return { app, stacks };
}

/** Every CloudFormation template of the app, by stack name (synthesizes once). */
export function allTemplates(app: App): Record<string, { Resources?: Record<string, CfnResourceJson> }> {
  const assembly = app.synth();
  return Object.fromEntries(assembly.stacks.map((s) => [s.stackName, s.template]));
}

export interface CfnResourceJson {
  Type: string;
  Properties?: Record<string, unknown>;
}

export interface PolicyStatementJson {
  Effect: "Allow" | "Deny";
  Action: string | string[];
  Resource?: unknown;
  Condition?: unknown;
}

/** Every IAM statement (inline role policies and AWS::IAM::Policy) of every stack, with where it lives. */
export function allPolicyStatements(app: App): { where: string; statement: PolicyStatementJson }[] {
  const out: { where: string; statement: PolicyStatementJson }[] = [];
  for (const [stackName, template] of Object.entries(allTemplates(app))) {
    for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
      const docs: unknown[] = [];
      if (resource.Type === "AWS::IAM::Policy") docs.push(resource.Properties?.PolicyDocument);
      if (resource.Type === "AWS::IAM::Role") {
        for (const p of (resource.Properties?.Policies as { PolicyDocument: unknown }[] | undefined) ?? []) {
          docs.push(p.PolicyDocument);
        }
      }
      for (const doc of docs) {
        for (const statement of (doc as { Statement: PolicyStatementJson[] }).Statement) {
          out.push({ where: `${stackName}/${logicalId}`, statement });
        }
      }
    }
  }
  return out;
}

export const asArray = <T>(x: T | T[] | undefined): T[] => (x === undefined ? [] : Array.isArray(x) ? x : [x]);
