/**
 * What a sensitive call's parameters add to its risk, read from the record (pure): an admin
 * policy attached or written inline, a security group opened to the whole internet, a bucket made
 * public, a snapshot / image / database snapshot shared publicly or with another account, a role
 * trusting another account. Each finding has its weight in bits and a sentence for people.
 */
export interface ParameterFinding {
  bits: number;
  detail: string;
}

/** Event names whose parameters are checked (their raw record is read for this). */
export const PARAMETER_CHECKED = [
  "AttachUserPolicy",
  "AttachRolePolicy",
  "AttachGroupPolicy",
  "PutUserPolicy",
  "PutRolePolicy",
  "PutGroupPolicy",
  "AuthorizeSecurityGroupIngress",
  "PutBucketPolicy",
  "PutBucketAcl",
  "ModifySnapshotAttribute",
  "ModifyImageAttribute",
  "ModifyDBSnapshotAttribute",
  "ModifyDBClusterSnapshotAttribute",
  "UpdateAssumeRolePolicy",
] as const;

const asObject = (value: unknown): Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

function decoded(value: unknown): string {
  const text = typeof value === "string" ? value : JSON.stringify(value ?? "");
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

const ACCOUNT = /\b\d{12}\b/g;
const otherAccounts = (text: string, own: string | undefined) =>
  [...new Set(text.match(ACCOUNT) ?? [])].filter((account) => account !== own);

export function parameterFindings(eventName: string, raw: string | null | undefined): ParameterFinding[] {
  if (!raw || !(PARAMETER_CHECKED as readonly string[]).includes(eventName)) return [];
  let record: Record<string, unknown>;
  try {
    record = asObject(JSON.parse(raw));
  } catch {
    return [];
  }
  const params = asObject(record.requestParameters);
  const text = decoded(params);
  const own = typeof record.recipientAccountId === "string" ? record.recipientAccountId : undefined;
  const findings: ParameterFinding[] = [];
  if (eventName.startsWith("Attach")) {
    const arn = String(params.policyArn ?? "");
    if (/\/AdministratorAccess$/.test(arn)) findings.push({ bits: 6, detail: `attaches ${arn}` });
    else if (/\/(IAMFullAccess|PowerUserAccess)$/.test(arn)) findings.push({ bits: 4, detail: `attaches ${arn}` });
  } else if (eventName.startsWith("Put") && eventName.endsWith("Policy") && eventName !== "PutBucketPolicy") {
    if (/"Action"\s*:\s*(\[\s*)?"\*"/.test(text) && /"Resource"\s*:\s*(\[\s*)?"\*"/.test(text)) {
      findings.push({ bits: 6, detail: "inline policy allows every action on every resource" });
    }
  } else if (eventName === "AuthorizeSecurityGroupIngress") {
    if (/\/0\b/.test(text)) findings.push({ bits: 5, detail: "opens a security group to the whole internet (/0)" });
  } else if (eventName === "PutBucketPolicy") {
    const others = otherAccounts(text, own);
    if (/"Principal"\s*:\s*("\*"|\{\s*"AWS"\s*:\s*"\*")/.test(text)) {
      findings.push({ bits: 5, detail: "bucket policy grants access to everyone (Principal *)" });
    } else if (others.length > 0)
      findings.push({ bits: 3, detail: `bucket policy grants account ${others.join(", ")}` });
  } else if (eventName === "PutBucketAcl") {
    if (/AllUsers|AuthenticatedUsers|public-read/.test(text))
      findings.push({ bits: 5, detail: "bucket ACL grants public access" });
  } else if (eventName.startsWith("Modify")) {
    const permission = (name: string) => asObject(params[name]).add;
    const added = JSON.stringify([
      params.valuesToAdd,
      permission("launchPermission"),
      permission("createVolumePermission"),
    ]);
    if (/"all"/i.test(added)) {
      findings.push({ bits: 5, detail: "shares it publicly" });
    } else {
      const others = otherAccounts(added, own);
      if (others.length > 0) findings.push({ bits: 3, detail: `shares it with account ${others.join(", ")}` });
    }
  } else if (eventName === "UpdateAssumeRolePolicy") {
    if (/"AWS"\s*:\s*"\*"/.test(text)) findings.push({ bits: 5, detail: "lets anyone assume the role" });
    else {
      const others = otherAccounts(text, own);
      if (others.length > 0) findings.push({ bits: 3, detail: `lets account ${others.join(", ")} assume the role` });
    }
  }
  return findings;
}
