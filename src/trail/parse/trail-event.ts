import type { UserAgentFamily } from "./user-agent.js";

/**
 * One CloudTrail record, flattened: the row the lake stores and everything downstream reads
 * (lookups, behaviour models). Every record becomes a row, even a broken one: its reasons are in
 * `parseProblems`, and `raw` keeps the record exactly as read.
 */
export interface TrailEvent {
  /** eventID, or `raw-<sha256 of raw>` (first 32 hex) when the record has none. */
  eventId: string;
  /** ISO 8601 UTC (`2023-07-10T11:42:18.000Z`), or null when the record has no usable time. */
  eventTime: string | null;
  eventSource: string | null;
  eventName: string | null;
  /** `eventSource:eventName`, with `unknown` for a missing part. */
  eventKey: string;
  /** Stable actor id, see principal.ts. */
  principal: string;
  principalType: string;
  sessionName: string | null;
  /** LookupEvents' Username: IAM user name, role session name, `root`, … */
  userName: string | null;
  accessKeyId: string | null;
  /** recipientAccountId, else userIdentity.accountId — never from file names. */
  accountId: string | null;
  /** awsRegion as written, fake regions included. */
  region: string | null;
  /** sourceIPAddress as written (may be a service name or an anonymised token). */
  sourceIp: string | null;
  sourceIpValid: boolean;
  userAgent: string | null;
  userAgentFamily: UserAgentFamily;
  /** readOnly, or inferred from a Get/List/Describe/Lookup/Head name prefix; null when unknown. */
  readOnly: boolean | null;
  errorCode: string | null;
  errorMessage: string | null;
  isInsight: boolean;
  /** The record's `resources` (data events and some management events). */
  resources: { type: string | null; arn: string | null }[];
  /** Why the row is not clean; empty when it is. */
  parseProblems: string[];
  /** Path of the source file, relative to the loaded folder. */
  sourceFile: string;
  /** Position of the record within its file (0-based). */
  recordIndex: number;
  /** sha256 of `raw`: identical records (duplicate deliveries) share it. */
  recordHash: string;
  /** The record as JSON text. */
  raw: string;
}
