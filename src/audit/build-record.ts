import { eventNameFor } from "./event-names.js";
import { type ApiCall, type AuditRecord, EVENT_VERSION, type RecordSettings, type UserIdentity } from "./record.js";
import { redact, redactParameters, summariseResponse } from "./redact.js";

/**
 * One API call → one CloudTrail-format record. Pure: the clock and the id generator come in
 * through `ApiCall.time` and `settings.newId`.
 */

/** Our error codes → the AWS-style error codes CloudTrail records carry. */
const ERROR_CODES: Record<string, string> = {
  UNAUTHENTICATED: "NotAuthorizedException",
  FORBIDDEN: "AccessDenied",
  BAD_INPUT: "ValidationException",
  RATE_LIMITED: "ThrottlingException",
  NOT_FOUND: "ResourceNotFoundException",
  CONFLICT: "ConflictException",
  PAYLOAD_TOO_LARGE: "RequestEntityTooLargeException",
  UNAVAILABLE: "ServiceUnavailableException",
};

/** By status, when a failure carries no code of ours. */
const STATUS_CODES: Record<number, string> = {
  400: "ValidationException",
  401: "NotAuthorizedException",
  403: "AccessDenied",
  404: "ResourceNotFoundException",
  409: "ConflictException",
  413: "RequestEntityTooLargeException",
  429: "ThrottlingException",
  503: "ServiceUnavailableException",
};

export function awsErrorCode(code: string | undefined, status: number): string {
  if (code !== undefined) return ERROR_CODES[code] ?? "InternalFailure";
  return STATUS_CODES[status] ?? "InternalFailure";
}

/** `2024-05-01T10:00:00.123Z` → `2024-05-01T10:00:00Z`, as CloudTrail writes eventTime. */
export const secondPrecision = (time: Date): string => time.toISOString().replace(/\.\d{3}Z$/, "Z");

export const userArn = (accountId: string, username: string) => `arn:aws:iam::${accountId}:user/catdata/${username}`;

export function identityOf(user: ApiCall["user"], accountId: string): UserIdentity {
  if (!user) return { type: "Unknown" };
  return {
    type: "IAMUser",
    principalId: user.sub,
    arn: userArn(accountId, user.username),
    accountId,
    userName: user.username,
  };
}

const isRead = (method: string) => method === "GET" || method === "HEAD" || method === "OPTIONS";

export function buildRecord(call: ApiCall, settings: RecordSettings): AuditRecord {
  const method = call.method.toUpperCase();
  const eventName = eventNameFor(method, call.routePattern, settings.basePath);
  const failed = call.status >= 400;
  const readOnly = isRead(method);
  // An MCP call answers 200 even when its tool failed: the tool error is the call's error here.
  const mcp = eventName === MCP_EVENT_NAME && !failed ? mcpOutcome(call.response) : undefined;
  // Requests no route matched keep their path, so scans and probes stay visible.
  const unmatched = call.routePattern === undefined ? { path: call.path } : undefined;
  return {
    eventVersion: EVENT_VERSION,
    userIdentity: identityOf(call.user, settings.accountId),
    eventTime: secondPrecision(call.time),
    eventSource: settings.eventSource,
    eventName,
    awsRegion: settings.region,
    sourceIPAddress: call.sourceIp,
    userAgent: call.userAgent,
    ...(failed
      ? {
          errorCode: call.error?.auditCode ?? awsErrorCode(call.error?.code, call.status),
          errorMessage: call.error?.message ?? `HTTP ${call.status}`,
        }
      : mcp?.error
        ? { errorCode: mcp.error.code, errorMessage: mcp.error.message }
        : {}),
    requestParameters: redactParameters(
      unmatched,
      call.host === undefined ? undefined : { host: call.host },
      call.query,
      call.params,
      call.body,
    ),
    responseElements: readOnly || failed ? null : mcp ? mcp.elements : summariseResponse(call.response),
    requestID: call.requestId,
    eventID: settings.newId(),
    readOnly,
    eventType: "AwsApiCall",
    managementEvent: true,
    recipientAccountId: settings.accountId,
    eventCategory: "Management",
    ...(call.tls ? { tlsDetails: call.tls } : {}),
  };
}

const MCP_EVENT_NAME = "McpRequest";
/** An MCP error text kept in the audit record is cut here. */
export const MCP_ERROR_MESSAGE_CHARS = 500;

/**
 * What the audit keeps of an MCP JSON-RPC answer: never the tool's data (a tools/list is ~17 KB, a
 * result may hold events), only whether it failed — a tool error (`result.isError`, its text) or a
 * JSON-RPC error — as the record's errorCode / errorMessage, and `{ isError }` as responseElements.
 */
export function mcpOutcome(body: unknown): {
  elements: Record<string, unknown> | null;
  error?: { code: string; message: string };
} {
  const cut = (s: string) => (s.length > MCP_ERROR_MESSAGE_CHARS ? `${s.slice(0, MCP_ERROR_MESSAGE_CHARS)}…` : s);
  if (!body || typeof body !== "object") return { elements: null };
  const rpc = body as {
    result?: { isError?: unknown; content?: unknown };
    error?: { code?: unknown; message?: unknown };
  };
  if (rpc.error && typeof rpc.error === "object") {
    return {
      elements: { isError: true },
      error: { code: "McpProtocolError", message: cut(String(rpc.error.message ?? rpc.error.code ?? "error")) },
    };
  }
  if (rpc.result?.isError === true) {
    const content = Array.isArray(rpc.result.content) ? (rpc.result.content as { text?: unknown }[]) : [];
    const text = content
      .map((c) => (typeof c?.text === "string" ? c.text : ""))
      .join(" ")
      .trim();
    return { elements: { isError: true }, error: { code: "McpToolError", message: cut(String(redact(text))) } };
  }
  return { elements: null };
}
