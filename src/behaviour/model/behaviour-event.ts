import type { TrailEvent } from "../../trail/parse/trail-event.js";

/**
 * The slice of a trail event that behaviour models read, and the few definitions every part of
 * them shares: the canonical event order, the session-start token, the service of an event key,
 * and which error codes are denials. Pure.
 */
export interface BehaviourEvent {
  eventId: string;
  /** Epoch milliseconds (UTC). Events without a usable time are not part of behaviour. */
  timeMs: number;
  principal: string;
  principalType: string;
  /** `eventSource:eventName`. */
  eventKey: string;
  region: string | null;
  sourceIp: string | null;
  userAgent: string | null;
  userAgentFamily: string | null;
  readOnly: boolean | null;
  errorCode: string | null;
  /** The record as JSON text, read only for the few event names whose parameters matter. */
  raw?: string | null;
}

/** The context token before the first event of a session (both context slots at a session start). */
export const START = "^";

/** Default inactivity gap that ends a session: 30 minutes. */
export const DEFAULT_SESSION_GAP_MS = 30 * 60_000;

/** The canonical order of events: time, then event id (available in every CloudTrail source). */
export function compareEvents(a: Pick<BehaviourEvent, "timeMs" | "eventId">, b: typeof a): number {
  if (a.timeMs !== b.timeMs) return a.timeMs - b.timeMs;
  return a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0;
}

/** `s3.amazonaws.com:GetObject` → `s3.amazonaws.com`. */
export const serviceOf = (eventKey: string): string => {
  const colon = eventKey.lastIndexOf(":");
  return colon < 0 ? eventKey : eventKey.slice(0, colon);
};

/** `iam.amazonaws.com:CreateUser` → `CreateUser`; Lambda's dated names lose their API version. */
export const actionOf = (eventKey: string): string =>
  eventKey.slice(eventKey.lastIndexOf(":") + 1).replace(/20\d{6}(v\d+)?$/, "");

/** Error codes that mean "not allowed" (the signal of stolen or probing credentials). */
const DENIAL = /AccessDenied|Unauthorized|NotAuthorized|Forbidden/;
export const isDenial = (errorCode: string | null): boolean => errorCode !== null && DENIAL.test(errorCode);

/** The same test in SQL (`LIKE`, case-sensitive like the pattern above), for the training queries. */
export const DENIAL_SQL_PATTERNS = ["%AccessDenied%", "%Unauthorized%", "%NotAuthorized%", "%Forbidden%"] as const;

/**
 * Whether a `sourceIPAddress` names an AWS service rather than an address: CloudTrail writes the
 * service's DNS name when the service made the call on the principal's behalf
 * (`secretsmanager.amazonaws.com`, `*.amazonaws.com.cn`) and `AWS Internal` for its own calls. Such
 * a source is never counted or reported as a source IP. Anything else is an address, even one no
 * parser accepts (anonymised data writes `035.249.253.232`).
 */
const SERVICE_SOURCE = /^(AWS Internal|([a-z0-9-]+\.)+amazonaws\.com(\.cn)?)$/i;
export const isServiceSource = (sourceIp: string): boolean => SERVICE_SOURCE.test(sourceIp);
export const isIpSource = (sourceIp: string | null): sourceIp is string =>
  sourceIp !== null && !isServiceSource(sourceIp);

export const HOUR_MS = 3_600_000;
export const hourIndex = (timeMs: number): number => Math.floor(timeMs / HOUR_MS);

/** A normalised trail event as a behaviour event; undefined for Insights events and events without a time. */
export function fromTrailEvent(event: TrailEvent): BehaviourEvent | undefined {
  if (event.isInsight || event.eventTime === null) return undefined;
  return {
    eventId: event.eventId,
    timeMs: Date.parse(event.eventTime),
    principal: event.principal,
    principalType: event.principalType,
    eventKey: event.eventKey,
    region: event.region,
    sourceIp: event.sourceIp,
    userAgent: event.userAgent,
    userAgentFamily: event.userAgentFamily,
    readOnly: event.readOnly,
    errorCode: event.errorCode,
    raw: event.raw,
  };
}
