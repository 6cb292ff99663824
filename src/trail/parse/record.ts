/**
 * The shape of a CloudTrail record as AWS documents it (event versions 1.0–1.11). Real files are
 * messy — hand-edited test events, exports from Logstash/Elastic, redacted samples — so every field
 * is optional and typed `unknown`-friendly: read them through `fields.ts`, never trust the types.
 */
export interface SessionIssuer {
  type?: string;
  principalId?: string;
  arn?: string;
  accountId?: string;
  userName?: string;
}

export interface SessionContext {
  sessionIssuer?: SessionIssuer;
  webIdFederationData?: { federatedProvider?: string; attributes?: Record<string, unknown> };
  attributes?: { creationDate?: string; mfaAuthenticated?: string };
  sourceIdentity?: string;
  ec2RoleDelivery?: string;
}

export interface UserIdentity {
  type?: string;
  principalId?: string;
  arn?: string;
  accountId?: string;
  accessKeyId?: string;
  userName?: string;
  invokedBy?: string;
  identityProvider?: string;
  credentialId?: string;
  sessionContext?: SessionContext;
  /** Identity Center users (type IdentityCenterUser). */
  onBehalfOf?: { userId?: string; identityStoreArn?: string };
}

export interface TrailResource {
  ARN?: string;
  accountId?: string;
  type?: string;
}

export interface TrailRecord {
  eventVersion?: string;
  eventTime?: string;
  eventSource?: string;
  eventName?: string;
  awsRegion?: string;
  sourceIPAddress?: string;
  userAgent?: string;
  userIdentity?: UserIdentity | null;
  errorCode?: string;
  errorMessage?: string;
  requestParameters?: Record<string, unknown> | null;
  responseElements?: Record<string, unknown> | null;
  additionalEventData?: Record<string, unknown>;
  requestID?: string;
  eventID?: string;
  readOnly?: boolean;
  eventType?: string;
  managementEvent?: boolean;
  recipientAccountId?: string;
  eventCategory?: string;
  resources?: TrailResource[];
  sharedEventID?: string;
  vpcEndpointId?: string;
  tlsDetails?: Record<string, unknown>;
  sessionCredentialFromConsole?: string;
  /** Insights events only. */
  insightDetails?: Record<string, unknown>;
  /** Not CloudTrail: Logstash/Elastic exports (OTRF) carry the time here instead of eventTime. */
  "@timestamp"?: string;
  /** Not CloudTrail: Panther adds `p_*` fields, among them its parsed event time. */
  p_event_time?: string;
}
