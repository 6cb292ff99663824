import { eventNameFor } from "./event-names.js";
import { type ApiCall, type AuditRecord, EVENT_VERSION, type RecordSettings, type UserIdentity } from "./record.js";
import { redactParameters, summariseResponse } from "./redact.js";

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
      : {}),
    requestParameters: redactParameters(
      unmatched,
      call.host === undefined ? undefined : { host: call.host },
      call.query,
      call.params,
      call.body,
    ),
    responseElements: readOnly || failed ? null : summariseResponse(call.response),
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
