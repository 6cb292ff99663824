/**
 * The audit record: one CloudTrail-format record per API call (the `cat-data-trail` role for the
 * platform's own API). Same field names and types as CloudTrail's record contents, so the trail
 * reader (`src/trail/`) and the behaviour engine read these files like any AWS trail.
 */
export const EVENT_VERSION = "1.09";
export const HIDDEN = "HIDDEN_DUE_TO_SECURITY_REASONS";

/**
 * Who called. A signed-in user appears as an IAM user under the path `/catdata/`: that is how a
 * Cognito user looks to CloudTrail once federated to an IAM principal, and `IAMUser` is a type every
 * CloudTrail reader knows, so principals come out as `iam-user:<account>/<username>`.
 * Anonymous calls (no or an invalid token) are `{ type: "Unknown" }`, which readers treat as anonymous.
 */
export type UserIdentity =
  | { type: "IAMUser"; principalId: string; arn: string; accountId: string; userName: string }
  | { type: "Unknown" };

export interface TlsDetails {
  tlsVersion: string;
  cipherSuite: string;
  clientProvidedHostHeader: string;
}

export interface AuditRecord {
  eventVersion: typeof EVENT_VERSION;
  userIdentity: UserIdentity;
  /** ISO 8601 UTC to the second, e.g. `2024-05-01T10:00:00Z`. */
  eventTime: string;
  eventSource: string;
  eventName: string;
  awsRegion: string;
  sourceIPAddress: string;
  userAgent: string;
  errorCode?: string;
  errorMessage?: string;
  requestParameters: Record<string, unknown> | null;
  responseElements: Record<string, unknown> | null;
  requestID: string;
  eventID: string;
  readOnly: boolean;
  eventType: "AwsApiCall";
  managementEvent: true;
  recipientAccountId: string;
  eventCategory: "Management";
  tlsDetails?: TlsDetails;
}

/** What the middleware observed about one call: the builder's input. Plain data, no Hono types. */
export interface ApiCall {
  time: Date;
  method: string;
  /** The matched route pattern (`/uploads/:id`), or undefined when no route matched. */
  routePattern: string | undefined;
  path: string;
  status: number;
  query: Record<string, string | string[]>;
  params: Record<string, string>;
  /** The JSON body, when the handler read one. */
  body: unknown;
  /** The JSON response body of a successful write (for `responseElements`), else undefined. */
  response: unknown;
  /**
   * `{ error: { code, message } }` of a failed call; `auditCode`, when the thrown error carried one
   * (a sign-in failure says `UserLockedOut` here while its response stays a generic 401), wins as errorCode.
   */
  error: { code: string | undefined; message: string | undefined; auditCode?: string } | undefined;
  requestId: string;
  sourceIp: string;
  userAgent: string;
  user: { sub: string; username: string } | undefined;
  tls: TlsDetails | undefined;
  /** The Host header, when the call is recorded for it (a refusal by Host name). */
  host?: string;
}

export interface RecordSettings {
  /** `catdata.local` here; `catdata.<domain>` on AWS. */
  eventSource: string;
  region: string;
  accountId: string;
  newId: () => string;
  /** Path prefix the API is mounted under (`/api` locally), left out of route patterns. */
  basePath?: string;
}
