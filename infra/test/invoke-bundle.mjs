// Runs one bundled Lambda handler the way the Lambda Node.js runtime does: import the artifact from its asset
// directory, call the named export once, and write the outcome as JSON to a file.
// Used by bundled-artifacts.test.ts in a child process, so the artifact runs alone, with its own node_modules.
//
//   node invoke-bundle.mjs <index.mjs> <export> <event.json> <result.json> [--jwks=<cognito-jwks.json>] [--stream]
//
// The JWKS stands in for Cognito's /.well-known/jwks.json (a remote service the tests cannot reach): only that URL is
// answered from the file; every other fetch goes out unchanged.
//
// --stream: the function's URL is in RESPONSE_STREAM mode. The runtime's `awslambda` global (which exists only in
// Lambda) is stood in by a shim with its contract: `streamifyResponse(handler)` marks the handler as streaming, and a
// marked handler is called with (event, responseStream, context); `HttpResponseStream.from(stream, prelude)` sets the
// stream's content type to the HTTP-integration type and, before the first body byte, writes the prelude as JSON
// followed by eight NUL bytes. The outcome is what the Function URL service reads back: the prelude, the body, and in
// how many writes it came. A handler not marked as streaming is called (event, context) and its result is the outcome.
import { readFileSync, writeFileSync } from "node:fs";
import { Writable } from "node:stream";
import { finished } from "node:stream/promises";
import { pathToFileURL } from "node:url";

const [moduleFile, exportName, eventFile, resultFile, ...flags] = process.argv.slice(2);
if (!moduleFile || !exportName || !eventFile || !resultFile) {
  throw new Error(
    "usage: invoke-bundle.mjs <index.mjs> <export> <event.json> <result.json> [--jwks=<file>] [--stream]",
  );
}
const jwksFile = flags.find((f) => f.startsWith("--jwks="))?.slice("--jwks=".length);
const streaming = flags.includes("--stream");

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

const HTTP_INTEGRATION_TYPE = "application/vnd.awslambda.http-integration-response";
const STREAMING_HANDLER = Symbol("streaming handler");

/** The response stream the runtime hands a streaming handler: it records what is written, write by write. */
class ResponseStream extends Writable {
  chunks = [];
  contentType = "application/octet-stream";
  /** Set by HttpResponseStream.from: writes the prelude before the first body byte. */
  beforeFirstWrite = undefined;
  setContentType(type) {
    this.contentType = type;
  }
  flushPrelude() {
    const before = this.beforeFirstWrite;
    this.beforeFirstWrite = undefined;
    before?.((bytes) => this.chunks.push(Buffer.from(bytes)));
  }
  _write(chunk, _encoding, done) {
    this.flushPrelude();
    this.chunks.push(Buffer.from(chunk));
    done();
  }
  _final(done) {
    this.flushPrelude();
    done();
  }
}

if (streaming) {
  globalThis.awslambda = {
    streamifyResponse(handler) {
      handler[STREAMING_HANDLER] = true;
      return handler;
    },
    HttpResponseStream: {
      from(stream, prelude) {
        stream.setContentType(HTTP_INTEGRATION_TYPE);
        stream.beforeFirstWrite = (write) => {
          write(JSON.stringify(prelude));
          write(new Uint8Array(8));
        };
        return stream;
      },
    },
  };
}

/** What the Function URL service makes of a streamed answer: the prelude, then the body after the NUL delimiter. */
function readStreamed(stream) {
  const bytes = Buffer.concat(stream.chunks);
  const integration = stream.contentType === HTTP_INTEGRATION_TYPE;
  const cut = integration ? bytes.indexOf(Buffer.alloc(8)) : -1;
  if (integration && cut < 0) throw new Error("the streamed answer has no prelude delimiter");
  return {
    streamed: true,
    contentType: stream.contentType,
    prelude: integration ? JSON.parse(bytes.subarray(0, cut).toString("utf8")) : undefined,
    body: bytes.subarray(integration ? cut + 8 : 0).toString("utf8"),
    writes: stream.chunks.length,
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
  if (streaming && handler[STREAMING_HANDLER]) {
    const stream = new ResponseStream();
    await handler(event, stream, context);
    // A streaming handler ends its stream before it resolves; one that does not would leave the caller waiting.
    if (!stream.writableEnded) throw new Error("the streaming handler resolved without ending its response stream");
    await finished(stream);
    outcome = { ok: true, result: readStreamed(stream) };
  } else {
    outcome = { ok: true, result: await handler(event, context) };
  }
} catch (error) {
  outcome = { ok: false, error: error instanceof Error ? error.message : String(error) };
}
writeFileSync(resultFile, JSON.stringify(outcome));
// The runtime freezes the process after the answer; here open handles (DuckDB, sockets) must not keep it alive.
process.exit(outcome.ok ? 0 : 1);
