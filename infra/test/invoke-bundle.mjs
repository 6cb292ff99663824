// Runs one bundled Lambda handler the way the Lambda Node.js runtime does: import the artifact from its asset
// directory, call the named export with (event, context) once, and write the outcome as JSON to a file.
// Used by bundled-artifacts.test.ts in a child process, so the artifact runs alone, with its own node_modules.
//
//   node invoke-bundle.mjs <index.mjs> <export> <event.json> <result.json> [cognito-jwks.json]
//
// The optional JWKS stands in for Cognito's /.well-known/jwks.json (a remote service the tests cannot reach):
// only that URL is answered from the file; every other fetch goes out unchanged.
import { readFileSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const [moduleFile, exportName, eventFile, resultFile, jwksFile] = process.argv.slice(2);
if (!moduleFile || !exportName || !eventFile || !resultFile) {
  throw new Error("usage: invoke-bundle.mjs <index.mjs> <export> <event.json> <result.json> [jwks.json]");
}

if (jwksFile) {
  const jwks = readFileSync(jwksFile, "utf8");
  const realFetch = globalThis.fetch;
  globalThis.fetch = async (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    if (/^https:\/\/cognito-idp\.[a-z0-9-]+\.amazonaws\.com\/[^/]+\/\.well-known\/jwks\.json$/.test(url)) {
      return new Response(jwks, { status: 200, headers: { "content-type": "application/json" } });
    }
    return realFetch(input, init);
  };
}

const context = {
  awsRequestId: "8f5c1d2e-0000-4000-8000-000000000001",
  functionName: "bundled-artifact-test",
  functionVersion: "$LATEST",
  invokedFunctionArn: "arn:aws:lambda:ap-northeast-1:123456789012:function:bundled-artifact-test",
  memoryLimitInMB: "1024",
  logGroupName: "/aws/lambda/bundled-artifact-test",
  logStreamName: "test",
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 60_000,
};

let outcome;
try {
  const mod = await import(pathToFileURL(moduleFile).href);
  const handler = mod[exportName];
  if (typeof handler !== "function") throw new Error(`${moduleFile} exports no function "${exportName}"`);
  const event = JSON.parse(readFileSync(eventFile, "utf8"));
  outcome = { ok: true, result: await handler(event, context) };
} catch (error) {
  outcome = { ok: false, error: error instanceof Error ? error.message : String(error) };
}
writeFileSync(resultFile, JSON.stringify(outcome));
// The runtime freezes the process after the answer; here open handles (DuckDB, sockets) must not keep it alive.
process.exit(outcome.ok ? 0 : 1);
