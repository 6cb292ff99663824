/**
 * Pins the anomaly score's reasons on crafted events, against a principal with weeks of routine:
 * - first-seen source IP, user agent, region, service and API, each worth −log2 of the Witten-Bell
 *   chance of something new (so they fall as the principal's habits get more varied)
 * - off-hours (an hour of the week never active), a burst of AccessDenied, enumeration breadth
 * - sensitive calls weighted by ATT&CK tactic, discounted by habit, raised by their parameters
 *   (admin policy, security group open to /0, public bucket policy); none for AWS services
 * - a brand-new principal is a reason; the score is the sum of the reasons' contributions
 * - the built-in mapping of sensitive calls works without the samples
 */
import { describe, expect, it } from "vitest";
import { event } from "../../testing/behaviour.js";
import type { BehaviourEvent } from "../model/behaviour-event.js";
import { BehaviourModel } from "../model/behaviour-model.js";
import type { AnomalyReason, ScoredEvent } from "./anomaly-reason.js";
import { AnomalyScorer } from "./anomaly-stream.js";
import { builtInMapping, loadAttackMapping } from "./attack-mapping.js";

const HOUR = 3_600_000;
const MONDAY = Date.UTC(2024, 3, 1);
const ROUTINE = ["s3.amazonaws.com:ListBuckets", "s3.amazonaws.com:GetObject", "s3.amazonaws.com:PutObject"];

/** Four weeks of weekday work 09–12 UTC: 3 calls an hour, same IP, client and region. */
function routine(principal = "alice"): BehaviourEvent[] {
  const events: BehaviourEvent[] = [];
  for (let day = 0; day < 28; day++) {
    if (day % 7 >= 5) continue;
    for (let hour = 9; hour < 12; hour++) {
      for (const [i, key] of ROUTINE.entries()) {
        events.push(event(principal, key, MONDAY + day * 24 * HOUR + hour * HOUR + i * 60_000));
      }
    }
  }
  return events;
}

function scorerAfter(history: BehaviourEvent[]) {
  const scorer = new AnomalyScorer(new BehaviourModel({ sessionGapMs: 30 * 60_000 }), builtInMapping());
  for (const e of history) scorer.next(e);
  return scorer;
}

const reason = (scored: ScoredEvent, kind: AnomalyReason["kind"]) => scored.reasons.find((r) => r.kind === kind);
const AFTER = MONDAY + 28 * 24 * HOUR + 10 * HOUR; // Monday of week 5, 10:00 UTC

describe("anomaly reasons", () => {
  const history = routine();

  it("spells out first-seen values with their Witten-Bell surprisal, and sums to the score", () => {
    const scorer = scorerAfter(history);
    const scored = scorer.next(
      event("alice", "kms.amazonaws.com:Decrypt", AFTER, {
        sourceIp: "192.0.2.66",
        userAgent: "curl/8",
        region: "sa-east-1",
      }),
    );
    const n = history.length;
    expect(reason(scored, "first-seen-source-ip")?.contribution).toBeCloseTo(Math.log2(n + 1), 2);
    expect(reason(scored, "first-seen-user-agent")?.contribution).toBeCloseTo(Math.log2(n + 1), 2);
    expect(reason(scored, "first-seen-region")?.detail).toContain("sa-east-1");
    expect(reason(scored, "first-seen-service")?.contribution).toBeCloseTo(Math.log2(n + 1), 2);
    expect(reason(scored, "first-seen-api")?.contribution).toBeCloseTo(Math.log2((n + 3) / 3), 2);
    expect(reason(scored, "sensitive-action")).toBeUndefined();
    expect(scored.score).toBeCloseTo(
      scored.reasons.reduce((s, r) => s + r.contribution, 0),
      6,
    );
    const ordinary = scorer.next(event("alice", ROUTINE[0] ?? "", AFTER + 3_600_000));
    expect(ordinary.score).toBeLessThan(1);
  });

  it("flags activity in an hour of the week never active before", () => {
    const sunday = MONDAY + 34 * 24 * HOUR + 3 * HOUR;
    const scored = scorerAfter(history).next(event("alice", ROUTINE[1] ?? "", sunday));
    expect(reason(scored, "off-hours")?.detail).toMatch(/active 0 of 60 active hours at Sun 03:00 UTC/);
    expect(reason(scored, "off-hours")?.contribution).toBeCloseTo(Math.log2((60 + 24) / 24), 2);
  });

  it("grows with a burst of AccessDenied", () => {
    const scorer = scorerAfter(history);
    const denied = [0, 1, 2, 3, 4].map((i) =>
      scorer.next(event("alice", "iam.amazonaws.com:ListUsers", AFTER + i * 1000, { errorCode: "AccessDenied" })),
    );
    const bits = denied.map((s) => reason(s, "access-denied-burst")?.contribution ?? 0);
    expect(bits[4]).toBeGreaterThan(bits[0] ?? 0);
    expect(reason(denied[4] as ScoredEvent, "access-denied-burst")?.detail).toMatch(
      /^5 of the last 5 calls in 10 min denied/,
    );
  });

  it("notices many distinct new read-only calls within minutes", () => {
    const scorer = scorerAfter(history);
    const scored = Array.from({ length: 15 }, (_, i) =>
      scorer.next(event("alice", `ec2.amazonaws.com:DescribeThing${i}`, AFTER + i * 5000, { readOnly: true })),
    );
    expect(reason(scored[8] as ScoredEvent, "enumeration")).toBeUndefined();
    expect(reason(scored[14] as ScoredEvent, "enumeration")).toMatchObject({
      contribution: 3,
      detail: "15 distinct read-only calls within 5 min, 15 never made before by this principal",
    });
  });
});

describe("sensitive calls", () => {
  const history = routine();
  const raw = (eventName: string, requestParameters: unknown) =>
    JSON.stringify({ eventName, recipientAccountId: "111122223333", requestParameters });

  it("weighs the tactic, discounts a habit, and adds what the parameters reveal", () => {
    const scorer = scorerAfter(history);
    const first = scorer.next(event("alice", "cloudtrail.amazonaws.com:StopLogging", AFTER));
    const second = scorer.next(event("alice", "cloudtrail.amazonaws.com:StopLogging", AFTER + 1000));
    expect(reason(first, "sensitive-action")).toMatchObject({ contribution: 7 });
    expect(reason(first, "sensitive-action")?.detail).toMatch(/TA0005.*first time for this principal/);
    expect(reason(second, "sensitive-action")?.contribution).toBeCloseTo(3.5, 2);
    const admin = scorer.next(
      event("alice", "iam.amazonaws.com:AttachUserPolicy", AFTER + 2000, {
        raw: raw("AttachUserPolicy", { userName: "x", policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" }),
      }),
    );
    expect(reason(admin, "sensitive-action")?.contribution).toBe(12);
    expect(reason(admin, "sensitive-action")?.detail).toContain("attaches arn:aws:iam::aws:policy/AdministratorAccess");
    const open = scorer.next(
      event("alice", "ec2.amazonaws.com:AuthorizeSecurityGroupIngress", AFTER + 3000, {
        raw: raw("AuthorizeSecurityGroupIngress", { groupId: "sg-1", cidrIp: "0.0.0.0/0", fromPort: 22 }),
      }),
    );
    expect(reason(open, "sensitive-action")?.detail).toContain("whole internet");
    const bucket = scorer.next(
      event("alice", "s3.amazonaws.com:PutBucketPolicy", AFTER + 4000, {
        raw: raw("PutBucketPolicy", {
          bucketPolicy: { Statement: [{ Effect: "Allow", Principal: "*", Action: "s3:GetObject" }] },
        }),
      }),
    );
    expect(reason(bucket, "sensitive-action")?.detail).toContain("everyone");
  });

  it("does not weigh calls AWS services make for themselves; a new principal is a reason", () => {
    const scorer = scorerAfter(history);
    const service = scorer.next(
      event("service:rds.amazonaws.com", "sts.amazonaws.com:AssumeRole", AFTER, { principalType: "AWSService" }),
    );
    expect(reason(service, "sensitive-action")).toBeUndefined();
    expect(reason(service, "first-seen-principal")?.contribution).toBeCloseTo(Math.log2(history.length + 1), 2);
  });

  it("has a built-in list without the samples", async () => {
    const mapping = await loadAttackMapping("/nonexistent");
    expect(mapping.source).toBe("built-in");
    expect(mapping.entries.get("cloudtrail.amazonaws.com:DeleteTrail")).toMatchObject({ tactics: ["TA0005"], bits: 7 });
  });
});
