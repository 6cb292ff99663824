import { handle, type LambdaContext, type LambdaEvent } from "hono/aws-lambda";
import type { JSONWebKeySet } from "jose";
import { createApiApp } from "../api/app.js";
import type { ApiDeps } from "../api/context.js";
import { createVerifier, TokenIssuer } from "../auth/tokens.js";
import { loadConfig } from "../config/config.js";
import { CatdataError } from "../errors.js";
import { createLogger } from "../log/logger.js";
import { openRuntime } from "../runtime.js";

/**
 * `cat-data-api` in AWS: API Gateway (REST, proxy integration) → this Lambda → the same Hono app as
 * `npm start` serves under `/api`, here at the stage root (`GET /cats`). The runtime is the AWS one
 * (S3 object store, Athena), and tokens are verified against the Cognito user pool's JWKS with the
 * same verifier the local pool's tokens go through. A missing piece of configuration fails the cold
 * start with a message naming the variables, rather than answering requests wrongly.
 */
type Handler = ReturnType<typeof handle>;
type Env = Record<string, string | undefined>;

export function configProblems(env: Env): string[] {
  const problems: string[] = [];
  if (env.CATDATA_STORE !== "s3") problems.push("CATDATA_STORE=s3 (the object store is the S3 bucket)");
  if (env.CATDATA_QUERY_ENGINE !== "athena") problems.push("CATDATA_QUERY_ENGINE=athena (queries go to Athena)");
  if (!env.CATDATA_USER_POOL_ID) problems.push("CATDATA_USER_POOL_ID (the Cognito pool whose tokens are accepted)");
  if (!env.CATDATA_USER_POOL_CLIENT_ID) problems.push("CATDATA_USER_POOL_CLIENT_ID (its app client)");
  return problems;
}

/** The API's dependencies for AWS, from the Lambda's environment (see infra/lib/stacks/api-stack.ts). */
export async function lambdaDeps(
  env: Env,
  fetchJwks: (url: string) => Promise<JSONWebKeySet> = getJson,
): Promise<ApiDeps> {
  const problems = configProblems(env);
  if (problems.length > 0) {
    throw new CatdataError("CONFIG_INVALID", `cat-data-api cannot start; it needs:\n  ${problems.join("\n  ")}`, {
      hint: "set them on the function (the CDK ApiStack does); see .env.example",
    });
  }
  const config = loadConfig(env, "/tmp");
  const logger = createLogger(config.logLevel);
  const runtime = await openRuntime(config, logger);
  const issuer = `https://cognito-idp.${config.region}.amazonaws.com/${config.cognito.userPoolId}`;
  const jwks = await fetchJwks(`${issuer}/.well-known/jwks.json`);
  // Sign-in happens at Cognito; the local pool here is empty, so /auth/login refuses everyone.
  return {
    runtime,
    users: runtime.users,
    tokens: await TokenIssuer.open(runtime.keys, issuer, { clock: runtime.now }),
    verify: createVerifier(jwks, issuer, {
      clock: runtime.now,
      ...(config.cognito.clientId ? { clientId: config.cognito.clientId } : {}),
    }),
  };
}

async function getJson(url: string): Promise<JSONWebKeySet> {
  const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
  if (!res.ok) throw new CatdataError("UNAVAILABLE", `cannot read the Cognito JWKS at ${url}: HTTP ${res.status}`);
  return (await res.json()) as JSONWebKeySet;
}

/** API Gateway proxy events (REST v1, HTTP v2) → the app → proxy results. */
export const apiHandler = (deps: ApiDeps): Handler => handle(createApiApp(deps));

let ready: Promise<Handler> | undefined;
const coldStart = () => lambdaDeps(process.env).then(apiHandler);

export async function handler(event: LambdaEvent, context: LambdaContext) {
  ready ??= coldStart();
  return (await ready)(event, context);
}

// In Lambda, build during the init phase: a configuration error fails the cold start, in the log.
if (process.env.AWS_LAMBDA_FUNCTION_NAME) {
  ready = coldStart();
  await ready;
}
