#!/usr/bin/env node
import { App, Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks } from "cdk-nag";
import { addCatdataStacks } from "../lib/catdata-app.js";
import { CONFIG_KEYS, FALLBACK_REGION, resolveConfig } from "../lib/config.js";

// Only wiring: configuration comes from CDK context (`-c homeCidr=198.51.100.7/32`, cdk.json), validated in config.ts.
const app = new App();
const config = resolveConfig(Object.fromEntries(CONFIG_KEYS.map((key) => [key, app.node.tryGetContext(key)])));

// The region must be known at synth (ALB access logging); the account may stay a deploy-time parameter.
const region = config.region ?? process.env.CDK_DEFAULT_REGION ?? FALLBACK_REGION;
const account = process.env.CDK_DEFAULT_ACCOUNT;
addCatdataStacks(app, config, { env: account ? { account, region } : { region } });

// cdk-nag AwsSolutions: synthesis fails on any finding that is not acknowledged (with its reason) in the stacks.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
