#!/usr/bin/env node
import { App, Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks } from "cdk-nag";
import { addCatdataStacks } from "../lib/catdata-app.js";
import { CONFIG_KEYS, deploymentEnv, resolveConfig } from "../lib/config.js";

// Only wiring: configuration comes from CDK context (`-c homeCidr=198.51.100.7/32`, cdk.json), validated in config.ts.
const app = new App();
const config = resolveConfig(Object.fromEntries(CONFIG_KEYS.map((key) => [key, app.node.tryGetContext(key)])));

// Region from context with the design's default (ap-northeast-1); the account only from `-c account=`.
addCatdataStacks(app, config, { env: deploymentEnv(config) });

// cdk-nag AwsSolutions: synthesis fails on any finding that is not acknowledged (with its reason) in the stacks.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
