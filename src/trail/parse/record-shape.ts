import { isObject, stringAt } from "./fields.js";

/**
 * Recognising what a JSON object is: a CloudTrail record, an Insights record, a digest (log-file
 * validation), or a wrapper around a record (Panther test cases, the AWS docs extraction, Elastic
 * `_source`, EventBridge `detail`). Pure predicates; the reader and the normaliser share them.
 */

/** Keys that only CloudTrail records carry. `eventName`/`eventSource` alone are not enough:
 * catalogues of event names (TrailDiscover's `events.json`) have them too. */
const RECORD_KEYS = [
  "eventVersion",
  "eventTime",
  "eventID",
  "userIdentity",
  "awsRegion",
  "sourceIPAddress",
  "recipientAccountId",
  "requestParameters",
  "responseElements",
  "eventType",
  "userAgent",
  "requestID",
  "errorCode",
] as const;

const WRAPPER_KEYS = ["Log", "record", "_source", "detail"] as const;

export const looksLikeRecord = (value: unknown): boolean => isObject(value) && RECORD_KEYS.some((key) => key in value);

export const isDigest = (value: unknown): boolean =>
  isObject(value) && ("digestStartTime" in value || Array.isArray(value.logFiles));

export const isInsightRecord = (value: unknown): boolean =>
  isObject(value) &&
  (stringAt(value, "eventCategory") === "Insight" ||
    stringAt(value, "eventType") === "AwsCloudTrailInsight" ||
    isObject(value.insightDetails));

/** The record inside a wrapper object, or the value itself when it is not a wrapper. */
export function unwrapRecord(value: unknown): unknown {
  if (!isObject(value) || looksLikeRecord(value) || isDigest(value)) return value;
  for (const key of WRAPPER_KEYS) {
    const inner = value[key];
    if (isObject(inner)) return inner;
  }
  return value;
}
