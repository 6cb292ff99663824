/**
 * The parts of an IAM/STS ARN that identify an actor. `arn:aws:sts::123:assumed-role/Role/session`
 * → { account: "123", kind: "assumed-role", name: "Role", session: "session" }. Pure; undefined
 * for anything that is not an ARN.
 */
export interface ActorArn {
  partition: string;
  service: string;
  account: string | undefined;
  kind: "user" | "root" | "assumed-role" | "role" | "federated-user" | "other";
  /** User, role or federated-user name (the last path segment for users and roles). */
  name: string | undefined;
  session: string | undefined;
}

export function parseActorArn(arn: string | undefined): ActorArn | undefined {
  if (!arn?.startsWith("arn:")) return undefined;
  const parts = arn.split(":");
  if (parts.length < 6) return undefined;
  const [, partition = "", service = "", , account = ""] = parts;
  const resource = parts.slice(5).join(":");
  const base = { partition, service, account: account === "" ? undefined : account, session: undefined };
  const segments = resource.split("/");
  const head = segments[0];
  const last = segments.length > 1 ? segments[segments.length - 1] || undefined : undefined;
  if (resource === "root") return { ...base, kind: "root", name: undefined };
  if (head === "user") return { ...base, kind: "user", name: last };
  if (head === "assumed-role") {
    return {
      ...base,
      kind: "assumed-role",
      name: segments[1] || undefined,
      session: segments.slice(2).join("/") || undefined,
    };
  }
  if (head === "role") return { ...base, kind: "role", name: last };
  if (head === "federated-user")
    return { ...base, kind: "federated-user", name: segments.slice(1).join("/") || undefined };
  return { ...base, kind: "other", name: undefined };
}
