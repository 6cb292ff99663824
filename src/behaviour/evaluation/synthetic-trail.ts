import { chance, int, mulberry32, pick, type Random } from "../../demo/random.js";
import { ACTORS, type Actor } from "./synthetic-actors.js";

/**
 * A deterministic synthetic benign trail, for what the real samples lack: weeks of ordinary work by
 * several principals (a developer, a data engineer, an operator on weekdays in Tokyo office hours,
 * a CI deploy role, a nightly backup role), each with its own workflows, addresses and clients.
 * Records are CloudTrail-shaped (they go through the normal reader). Same seed, same trail.
 */
export const SYNTHETIC_ACCOUNT = "111122223333";
export const SYNTHETIC_START = Date.UTC(2024, 3, 1); // Monday 2024-04-01

function identity(actor: Actor, session: string): Record<string, unknown> {
  const account = SYNTHETIC_ACCOUNT;
  if (!actor.role) {
    const arn = `arn:aws:iam::${account}:user/${actor.name}`;
    return {
      type: "IAMUser",
      principalId: `AIDA${actor.name.toUpperCase()}`,
      arn,
      accountId: account,
      userName: actor.name,
    };
  }
  const issuer = {
    type: "Role",
    arn: `arn:aws:iam::${account}:role/${actor.role}`,
    accountId: account,
    userName: actor.role,
  };
  const arn = `arn:aws:sts::${account}:assumed-role/${actor.role}/${session}`;
  return {
    type: "AssumedRole",
    principalId: `AROA${actor.role.toUpperCase()}:${session}`,
    arn,
    accountId: account,
    sessionContext: { sessionIssuer: issuer },
  };
}

function session(random: Random, actor: Actor, startMs: number, next: () => string): Record<string, unknown>[] {
  const records: Record<string, unknown>[] = [];
  const ip = pick(random, actor.ips);
  const who = identity(actor, `${actor.name}-${Math.floor(startMs / 1000)}`);
  let t = startMs;
  for (let i = int(random, 1, actor.role ? 1 : 4); i > 0; i--) {
    for (const [key, min, max] of pick(random, actor.workflows)) {
      for (let n = int(random, min, max); n > 0; n--) {
        const [service = "", name = ""] = key.split(":");
        const denied = !actor.role && chance(random, 0.01);
        records.push({
          eventVersion: "1.09",
          eventID: next(),
          eventTime: new Date(t).toISOString().replace(".000Z", "Z"),
          eventSource: `${service}.amazonaws.com`,
          eventName: name,
          awsRegion: "ap-northeast-1",
          sourceIPAddress: ip,
          userAgent: actor.agent,
          userIdentity: who,
          ...(denied ? { errorCode: "AccessDenied", errorMessage: "not authorized" } : {}),
          eventType: "AwsApiCall",
          managementEvent: true,
          recipientAccountId: SYNTHETIC_ACCOUNT,
        });
        t += int(random, 2, 40) * 1000;
      }
    }
    t += int(random, 60, 300) * 1000;
  }
  return records;
}

/** `weeks` of benign activity from Monday 2024-04-01, sorted by time. */
export function syntheticTrail(options: { seed?: number; weeks?: number } = {}): Record<string, unknown>[] {
  const random = mulberry32(options.seed ?? 42);
  let id = 0;
  const next = () => `00000000-0000-4000-8000-${(id++).toString(16).padStart(12, "0")}`;
  const records: Record<string, unknown>[] = [];
  for (let day = 0; day < 7 * (options.weeks ?? 4); day++) {
    const dayMs = SYNTHETIC_START + day * 86_400_000;
    for (const actor of ACTORS) {
      if (!actor.daily && day % 7 >= 5) continue;
      for (let s = int(random, ...actor.sessions); s > 0; s--) {
        const startMs = dayMs + (int(random, ...actor.hours) * 60 + int(random, 0, 59)) * 60_000;
        records.push(...session(random, actor, startMs, next));
      }
    }
  }
  return records.sort((a, b) => String(a.eventTime).localeCompare(String(b.eventTime)));
}
