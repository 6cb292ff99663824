import { createHash } from "node:crypto";
import { isIP } from "node:net";
import { parseTrailTime } from "./event-time.js";
import { arrayAt, booleanAt, isObject, objectAt, stringAt } from "./fields.js";
import { derivePrincipal } from "./principal.js";
import { isInsightRecord, looksLikeRecord } from "./record-shape.js";
import type { TrailEvent } from "./trail-event.js";
import { userAgentFamily } from "./user-agent.js";
import { replaceLoneSurrogates } from "./well-formed.js";

/**
 * One raw record → one `TrailEvent`. Pure and total: any JSON value gives a row, and whatever is
 * wrong with it is listed in `parseProblems` instead of dropping it. Strings are kept as written,
 * except lone UTF-16 surrogates, which no lake can store: replaced by U+FFFD, with a problem.
 */
const READ_PREFIXES = /^(Get|List|Describe|Lookup|Head|BatchGet|Search|Query|Scan|Select)(?![a-z])/;

export interface RecordSource {
  file: string;
  index: number;
}

export function normaliseRecord(record: unknown, source: RecordSource): TrailEvent {
  const raw = JSON.stringify(record) ?? "null";
  const recordHash = createHash("sha256").update(raw).digest("hex");
  const problems: string[] = [];
  if (!isObject(record))
    problems.push(`record is not a JSON object (${Array.isArray(record) ? "array" : typeof record})`);
  else if (!looksLikeRecord(record)) problems.push("no CloudTrail fields (eventVersion, eventTime, userIdentity, …)");

  let eventId = stringAt(record, "eventID");
  if (!eventId) {
    eventId = `raw-${recordHash.slice(0, 32)}`;
    problems.push("eventID missing; id derived from the record's hash");
  }
  // Insights events name the API whose call rate changed inside insightDetails.
  const insight = objectAt(record, "insightDetails");
  const eventSource = stringAt(record, "eventSource") ?? stringAt(insight, "eventSource") ?? null;
  const eventName = stringAt(record, "eventName") ?? stringAt(insight, "eventName") ?? null;
  if (!eventSource) problems.push("eventSource missing");
  if (!eventName) problems.push("eventName missing");

  const who = derivePrincipal(record);
  problems.push(...who.problems);
  const sourceIp = stringAt(record, "sourceIPAddress") ?? null;
  const userAgent = stringAt(record, "userAgent") ?? null;
  const resources = (arrayAt(record, "resources") ?? []).filter(isObject).map((r) => ({
    type: stringAt(r, "type") ?? null,
    arn: stringAt(r, "ARN") ?? stringAt(r, "arn") ?? null,
  }));
  const event: TrailEvent = {
    eventId,
    eventTime: eventTime(record, problems),
    eventSource,
    eventName,
    eventKey: `${eventSource ?? "unknown"}:${eventName ?? "unknown"}`,
    principal: who.principal,
    principalType: who.principalType,
    sessionName: who.sessionName,
    userName: who.userName,
    accessKeyId: who.accessKeyId,
    accountId:
      stringAt(record, "recipientAccountId") ?? stringAt(objectAt(record, "userIdentity"), "accountId") ?? null,
    region: stringAt(record, "awsRegion") ?? null,
    sourceIp,
    sourceIpValid: sourceIp !== null && isIP(sourceIp) !== 0,
    userAgent,
    userAgentFamily: userAgentFamily(userAgent),
    readOnly: booleanAt(record, "readOnly") ?? (eventName && READ_PREFIXES.test(eventName) ? true : null),
    errorCode: stringAt(record, "errorCode") ?? null,
    errorMessage: stringAt(record, "errorMessage") ?? null,
    isInsight: isInsightRecord(record),
    resources,
    parseProblems: problems,
    sourceFile: source.file,
    recordIndex: source.index,
    recordHash,
    raw,
  };
  const mended = replaceLoneSurrogates(event as unknown as Record<string, unknown>, ["raw", "parseProblems"]);
  if (mended.length > 0) {
    event.parseProblems.push(`invalid unicode (lone surrogate) in ${mended.join(", ")}: replaced with U+FFFD`);
  }
  return event;
}

/** eventTime, else `@timestamp` (Logstash/Elastic exports), else Panther's `p_event_time`. */
function eventTime(record: unknown, problems: string[]): string | null {
  const candidates = ["eventTime", "@timestamp", "p_event_time"] as const;
  for (const key of candidates) {
    const value = isObject(record) ? record[key] : undefined;
    if (value === undefined || value === null || value === "") continue;
    const parsed = parseTrailTime(value);
    if (!parsed.date) {
      problems.push(`${key} is not a time: ${JSON.stringify(value)}`);
      continue;
    }
    if (key !== "eventTime") problems.push(`eventTime missing; taken from ${key}`);
    else if (!parsed.canonical) problems.push(`eventTime not ISO 8601, read as UTC: ${JSON.stringify(value)}`);
    return parsed.date.toISOString();
  }
  if (!problems.some((p) => p.includes(" is not a time: "))) problems.push("eventTime missing");
  return null;
}
