import { type ActorArn, parseActorArn } from "./arn.js";
import { isObject, objectAt, stringAt } from "./fields.js";
import { isInsightRecord } from "./record-shape.js";

/**
 * Who acted, as one stable id per actor, from a record's `userIdentity`:
 *   IAM user → `iam-user:<account>/<userName>`     assumed role → `role:<account>/<roleName>` (+ sessionName)
 *   root → `root:<account>`                          federated → `federated:<account>/<name>`
 *   SAML / web identity → `federated:<provider>/<userName>`
 *   Identity Center user → `identity-center:<identityStoreId>/<userId>`
 *   AWS service → `service:<invokedBy or eventSource>`   other account → `account:<accountId>`
 *   anonymous (no identity, or S3's ANONYMOUS_PRINCIPAL) → `anonymous`
 *   Insights events (no caller) → `service:cloudtrail.amazonaws.com`, type `Insight`
 * Unknown types fall back on the ARN, then the user name, then the principal id.
 */
export interface Principal {
  principal: string;
  /** userIdentity.type, inferred when absent ("AWSService" from invokedBy, "None" without identity). */
  principalType: string;
  sessionName: string | null;
  /** What CloudTrail's LookupEvents calls Username: the IAM user, the role session, `root`, … */
  userName: string | null;
  accessKeyId: string | null;
  problems: string[];
}

const afterColon = (id: string | undefined) =>
  id?.includes(":") ? id.slice(id.indexOf(":") + 1) || undefined : undefined;

export function derivePrincipal(record: unknown): Principal {
  const identity = objectAt(record, "userIdentity");
  if (!identity && isInsightRecord(record)) {
    // Insights events have no caller: CloudTrail itself reports an unusual rate of calls.
    const none = { sessionName: null, userName: null, accessKeyId: null, problems: [] };
    return { principal: "service:cloudtrail.amazonaws.com", principalType: "Insight", ...none };
  }
  if (!identity) {
    const present = isObject(record) && record.userIdentity !== undefined && record.userIdentity !== null;
    const problem = present ? "userIdentity is not an object" : "userIdentity missing";
    return {
      principal: "anonymous",
      principalType: "None",
      sessionName: null,
      userName: null,
      accessKeyId: null,
      problems: [problem],
    };
  }
  const arn = parseActorArn(stringAt(identity, "arn"));
  const account = stringAt(identity, "accountId") ?? arn?.account ?? stringAt(record, "recipientAccountId");
  const problems: string[] = [];
  const acct = () => {
    if (account) return account;
    problems.push("no account id for the principal");
    return "unknown";
  };
  const invokedBy = stringAt(identity, "invokedBy");
  const declared = stringAt(identity, "type");
  const type = declared ?? (invokedBy ? "AWSService" : arn ? arnType(arn) : "Unknown");
  const principalId = stringAt(identity, "principalId");
  const accessKeyId = stringAt(identity, "accessKeyId") ?? null;
  const done = (principal: string, sessionName?: string, userName?: string): Principal => ({
    principal,
    principalType: type,
    sessionName: sessionName ?? null,
    userName: userName ?? stringAt(identity, "userName") ?? null,
    accessKeyId,
    problems,
  });
  const issuer = objectAt(objectAt(identity, "sessionContext"), "sessionIssuer");
  switch (type) {
    case "Root":
      return done(`root:${acct()}`, undefined, "root");
    case "IAMUser": {
      const name = stringAt(identity, "userName") ?? arn?.name ?? principalId ?? "unknown";
      return done(`iam-user:${acct()}/${name}`, undefined, name);
    }
    case "AssumedRole": {
      const role =
        (arn?.kind === "assumed-role" ? arn.name : undefined) ??
        stringAt(issuer, "userName") ??
        parseActorArn(stringAt(issuer, "arn"))?.name ??
        principalId?.split(":")[0] ??
        "unknown";
      const session = (arn?.kind === "assumed-role" ? arn.session : undefined) ?? afterColon(principalId);
      return done(`role:${acct()}/${role}`, session, session);
    }
    case "FederatedUser": {
      const name = (arn?.kind === "federated-user" ? arn.name : undefined) ?? afterColon(principalId) ?? "unknown";
      return done(`federated:${acct()}/${name}`, undefined, name);
    }
    case "SAMLUser":
    case "WebIdentityUser": {
      const provider = stringAt(identity, "identityProvider") ?? acct();
      const name = stringAt(identity, "userName") ?? principalId ?? "unknown";
      return done(`federated:${provider}/${name}`, undefined, name);
    }
    case "IdentityCenterUser": {
      const onBehalfOf = objectAt(identity, "onBehalfOf");
      const store = stringAt(onBehalfOf, "identityStoreArn")?.split("/").pop() ?? acct();
      const userId = stringAt(onBehalfOf, "userId") ?? principalId ?? "unknown";
      return done(`identity-center:${store}/${userId}`, undefined, stringAt(identity, "userName") ?? userId);
    }
    case "AWSService":
      return done(`service:${serviceName(invokedBy, stringAt(record, "eventSource"))}`);
    case "AWSAccount":
      if (!account || account === "ANONYMOUS_PRINCIPAL") return done("anonymous");
      return done(`account:${account}`, afterColon(principalId));
    default:
      return fallback(identity, arn, account, invokedBy, record, done);
  }
}

function arnType(arn: ActorArn): string {
  const types: Record<ActorArn["kind"], string> = {
    user: "IAMUser",
    root: "Root",
    "assumed-role": "AssumedRole",
    role: "Role",
    "federated-user": "FederatedUser",
    other: "Unknown",
  };
  return types[arn.kind];
}

function serviceName(invokedBy: string | undefined, eventSource: string | undefined): string {
  if (invokedBy && invokedBy !== "AWS Internal") return invokedBy;
  return eventSource ?? invokedBy ?? "unknown";
}

/** Types we do not know (`Unknown`, future ones): use whatever identifies the actor best. */
function fallback(
  identity: Record<string, unknown>,
  arn: ActorArn | undefined,
  account: string | undefined,
  invokedBy: string | undefined,
  record: unknown,
  done: (principal: string, sessionName?: string, userName?: string) => Principal,
): Principal {
  const acct = arn?.account ?? account ?? "unknown";
  if (arn?.kind === "assumed-role" && arn.name) return done(`role:${acct}/${arn.name}`, arn.session, arn.session);
  if (arn?.kind === "user" && arn.name) return done(`iam-user:${acct}/${arn.name}`, undefined, arn.name);
  if (arn?.kind === "root") return done(`root:${acct}`, undefined, "root");
  if (invokedBy) return done(`service:${serviceName(invokedBy, stringAt(record, "eventSource"))}`);
  const userName = stringAt(identity, "userName");
  if (userName) return done(`unknown:${acct}/${userName}`);
  const principalId = stringAt(identity, "principalId");
  if (principalId) return done(`unknown:${principalId}`);
  return done("anonymous");
}
