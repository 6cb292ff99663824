import { readFile } from "node:fs/promises";
import path from "node:path";
import { actionOf, serviceOf } from "../model/behaviour-event.js";

/**
 * How sensitive an API call is, from its MITRE ATT&CK tactics: TrailDiscover's `events.json`
 * (`<samples>/cloudtrail/traildiscover/events.json`, read at run time when present, never copied)
 * and a small built-in list of the most sensitive calls so the product works without the samples.
 * The weight in bits is the highest weight of the call's tactics, +1 when used in the wild: a prior
 * that the call matters, before the principal's habits discount it.
 */
export interface AttackEntry {
  tactics: string[];
  usedInWild: boolean;
  bits: number;
}

export interface AttackMapping {
  source: "traildiscover+built-in" | "built-in";
  /** By `eventSource:eventName` (Lambda's dated API versions removed). */
  entries: Map<string, AttackEntry>;
}

const TACTIC_BITS: Record<string, number> = {
  TA0005: 6, // Defense Evasion
  TA0006: 5, // Credential Access
  TA0004: 5, // Privilege Escalation
  TA0010: 5, // Exfiltration
  TA0003: 4, // Persistence
  TA0040: 4, // Impact
  TA0008: 4, // Lateral Movement
  TA0001: 3, // Initial Access
  TA0002: 3, // Execution
  TA0011: 3, // Command and Control
  TA0009: 2, // Collection
  TA0007: 1, // Discovery
};

const entry = (tactics: string[], usedInWild: boolean): AttackEntry => ({
  tactics,
  usedInWild,
  bits: Math.max(0, ...tactics.map((t) => TACTIC_BITS[t.slice(0, 6)] ?? 0)) + (usedInWild ? 1 : 0),
});

type Builtin = [source: string, names: string, tactics: string, usedInWild: boolean];
const BUILT_IN: Builtin[] = [
  ["cloudtrail", "StopLogging DeleteTrail UpdateTrail PutEventSelectors", "TA0005", true],
  ["ec2", "DeleteFlowLogs", "TA0005", true],
  ["guardduty", "DeleteDetector UpdateDetector", "TA0005", true],
  ["route53resolver", "DeleteResolverQueryLogConfig", "TA0005", false],
  ["organizations", "LeaveOrganization", "TA0005", false],
  [
    "iam",
    "CreateAccessKey CreateLoginProfile UpdateLoginProfile AttachUserPolicy PutUserPolicy",
    "TA0003 TA0004",
    true,
  ],
  ["iam", "AttachRolePolicy PutRolePolicy UpdateAssumeRolePolicy", "TA0004", true],
  ["iam", "CreateUser CreateRole", "TA0003", true],
  ["ec2", "AuthorizeSecurityGroupIngress", "TA0003 TA0008", true],
  ["ec2", "ModifySnapshotAttribute ModifyImageAttribute", "TA0010", true],
  ["rds", "ModifyDBSnapshotAttribute ModifyDBClusterSnapshotAttribute", "TA0010", true],
  ["s3", "PutBucketPolicy PutBucketAcl", "TA0010", false],
  ["secretsmanager", "GetSecretValue BatchGetSecretValue", "TA0006", true],
  ["ec2", "GetPasswordData", "TA0006", true],
  ["ssm", "GetParameters GetParameter", "TA0006", false],
  ["ssm", "SendCommand StartSession", "TA0002 TA0008", true],
  ["ec2-instance-connect", "SendSSHPublicKey SendSerialConsoleSSHPublicKey", "TA0008", true],
  ["signin", "ConsoleLogin", "TA0001", true],
  ["sts", "GetFederationToken", "TA0003", true],
  ["lambda", "UpdateFunctionCode UpdateFunctionConfiguration AddPermission", "TA0003", true],
  ["rolesanywhere", "CreateTrustAnchor CreateProfile", "TA0003", false],
  ["ec2", "RunInstances", "TA0002 TA0040", true],
  ["s3", "DeleteBucket", "TA0040", true],
  ["bedrock", "InvokeModel PutFoundationModelEntitlement", "TA0040", true],
];

export function builtInMapping(): AttackMapping {
  const entries = new Map<string, AttackEntry>();
  for (const [source, names, tactics, wild] of BUILT_IN) {
    for (const name of names.split(" "))
      entries.set(`${source}.amazonaws.com:${name}`, entry(tactics.split(" "), wild));
  }
  return { source: "built-in", entries };
}

interface TrailDiscoverEvent {
  eventName?: unknown;
  eventSource?: unknown;
  mitreAttackTactics?: unknown;
  usedInWild?: unknown;
}

/** TrailDiscover's mapping over the built-in one; the built-in one alone when the file is absent or unreadable. */
export async function loadAttackMapping(samplesDir: string | undefined): Promise<AttackMapping> {
  const mapping = builtInMapping();
  if (!samplesDir) return mapping;
  const file = path.join(samplesDir, "cloudtrail", "traildiscover", "events.json");
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, "utf8"));
  } catch {
    return mapping;
  }
  if (!Array.isArray(parsed)) return mapping;
  for (const item of parsed as TrailDiscoverEvent[]) {
    if (typeof item.eventName !== "string" || typeof item.eventSource !== "string") continue;
    const tactics = Array.isArray(item.mitreAttackTactics) ? item.mitreAttackTactics.map(String) : [];
    mapping.entries.set(`${item.eventSource}:${item.eventName}`, entry(tactics, item.usedInWild === true));
  }
  return { source: "traildiscover+built-in", entries: mapping.entries };
}

export const attackEntryOf = (mapping: AttackMapping, eventKey: string): AttackEntry | undefined =>
  mapping.entries.get(`${serviceOf(eventKey)}:${actionOf(eventKey)}`);
