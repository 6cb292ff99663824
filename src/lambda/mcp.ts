import { Readable, type Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { loadConfig } from "../config/config.js";
import type { McpDeps } from "../mcp/mcp-deps.js";
import { QueryResults } from "../mcp/query-results.js";
import type { McpServerDeps } from "../mcp/server.js";
import { handleMcpRequest } from "../mcp/web.js";
import { createBehaviour } from "../runtime.js";
import { VERSION } from "../server/version.js";
import { createCloudTrailLake } from "../trail/cloudtrail-lake/create-cloudtrail-lake.js";

/**
 * The CloudTrail MCP server as a Lambda behind a Function URL (AWS_IAM auth: callers sign with
 * SigV4, so the URL itself is the access control). The Function URL event (payload 2.0) becomes a
 * Fetch `Request` for the same MCP server as `catdata mcp` and `/mcp` (stateless Streamable HTTP).
 * The stack deploys the URL in RESPONSE_STREAM mode: there the Lambda runtime's
 * `awslambda.streamifyResponse` wraps the handler (`mcpStreamingHandler`), which gets
 * (event, responseStream, context), writes the status and headers through
 * `awslambda.HttpResponseStream.from` and then the body as the server produces it — SSE when the
 * client accepts text/event-stream, else one JSON body. Without that runtime (locally, BUFFERED
 * mode) the answer is returned whole as the Function URL result (`mcpFunctionUrlHandler`).
 * The trail lake, the behaviour model and the CloudTrail Lake port are built once per container
 * from the environment, as the CLI builds them (src/runtime.ts): with CATDATA_STORE=s3 the trail lake
 * is `trail/` and the model `models/behaviour.json` in CATDATA_S3_BUCKET.
 */
export interface FunctionUrlEvent {
  rawPath?: string;
  rawQueryString?: string;
  headers?: Record<string, string | undefined>;
  body?: string;
  isBase64Encoded?: boolean;
  requestContext?: { http?: { method?: string }; domainName?: string };
}

export interface FunctionUrlResult {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

export function toRequest(event: FunctionUrlEvent): Request {
  const method = event.requestContext?.http?.method ?? "POST";
  const host = event.requestContext?.domainName ?? "lambda-url.localhost";
  const query = event.rawQueryString ? `?${event.rawQueryString}` : "";
  const headers = new Headers();
  for (const [name, value] of Object.entries(event.headers ?? {})) if (value !== undefined) headers.set(name, value);
  const body =
    event.body === undefined ? undefined : event.isBase64Encoded ? Buffer.from(event.body, "base64") : event.body;
  return new Request(`https://${host}${event.rawPath ?? "/"}${query}`, {
    method,
    headers,
    ...(body !== undefined && method !== "GET" && method !== "HEAD" ? { body } : {}),
  });
}

export async function toResult(response: Response): Promise<FunctionUrlResult> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  return { statusCode: response.status, headers, body: await response.text() };
}

/** A Function URL handler over these MCP dependencies (tests pass their own). */
export const mcpFunctionUrlHandler =
  (deps: () => McpDeps) =>
  async (event: FunctionUrlEvent): Promise<FunctionUrlResult> =>
    toResult(await handleMcpRequest(deps(), toRequest(event)));

/** What the Lambda runtime passes a streaming handler: the event, the response stream, the context. */
export type StreamingHandler = (event: FunctionUrlEvent, responseStream: Writable, context?: unknown) => Promise<void>;

/**
 * The part of the Lambda Node.js runtime's `awslambda` global that response streaming uses:
 * `streamifyResponse(handler)` marks a handler as streaming (the runtime then calls it with the
 * response stream), `HttpResponseStream.from(stream, prelude)` sends the status and headers before the
 * first body byte and returns the stream to write the body to.
 */
export interface LambdaStreamingRuntime {
  streamifyResponse(handler: StreamingHandler): StreamingHandler;
  HttpResponseStream: {
    from(stream: Writable, prelude: { statusCode: number; headers: Record<string, string> }): Writable;
  };
}

/** RESPONSE_STREAM mode: status and headers first (the prelude), then the body as it is produced. */
export const mcpStreamingHandler = (deps: () => McpDeps, runtime: LambdaStreamingRuntime) =>
  runtime.streamifyResponse(async (event, responseStream) => {
    const response = await handleMcpRequest(deps(), toRequest(event), { stream: true });
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      headers[name] = value;
    });
    const out = runtime.HttpResponseStream.from(responseStream, { statusCode: response.status, headers });
    if (response.body) await pipeline(Readable.fromWeb(response.body as WebReadableStream<Uint8Array>), out);
    else out.end();
  });

function isStreamingRuntime(runtime: Partial<LambdaStreamingRuntime> | undefined): runtime is LambdaStreamingRuntime {
  return typeof runtime?.streamifyResponse === "function" && typeof runtime.HttpResponseStream?.from === "function";
}

let deps: McpServerDeps | undefined;
function lambdaDeps(): McpServerDeps {
  if (!deps) {
    const config = loadConfig();
    const behaviour = createBehaviour(config);
    // AWS_IAM on the Function URL: callers are IAM principals with no catdata claims (caller null). No
    // warehouse: the KPI marts are not opened in this Lambda. Query results are kept per container.
    deps = {
      behaviour,
      trail: behaviour.trail,
      version: VERSION,
      region: config.region,
      caller: null,
      minCell: config.auth.minCell,
      queries: new QueryResults(),
      cloudTrailLake: createCloudTrailLake(config.cloudTrailLake, config.region),
    };
  }
  return deps;
}

const lambdaRuntime = (globalThis as { awslambda?: Partial<LambdaStreamingRuntime> }).awslambda;
export const handler = isStreamingRuntime(lambdaRuntime)
  ? mcpStreamingHandler(lambdaDeps, lambdaRuntime)
  : mcpFunctionUrlHandler(lambdaDeps);
