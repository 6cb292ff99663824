import path from "node:path";
import { describe, expect, it } from "vitest";
import { event } from "../../testing/behaviour.js";
import { hasSamples, sample } from "../../testing/fixtures.js";
import { tempTrailLake } from "../../testing/trail.js";
import { loadTrailFolder } from "../../trail/lake/load-trail.js";
import { loadAttackMapping } from "../anomaly/attack-mapping.js";
import type { BehaviourEvent } from "../model/behaviour-event.js";
import { readLakeEvents } from "../model/lake-events.js";
import { readAttackTechniques, recordsToEvents } from "./attack-techniques.js";
import { injectAs, runInjection, victimOf } from "./injection.js";
import { summariseInjection } from "./injection-summary.js";
import { readLabels } from "./labels.js";
import { syntheticTrail } from "./synthetic-trail.js";

const GAP = 30 * 60_000;

describe("injectAs", () => {
  it("poses as the victim from the given time, keeping the attack's own gaps", () => {
    const attack = [
      event("iam-user:9/mallory", "cloudtrail.amazonaws.com:StopLogging", 5000, {
        sourceIp: "6.6.6.6",
        region: "eu-west-2r",
      }),
      event("iam-user:9/mallory", "cloudtrail.amazonaws.com:DeleteTrail", 9000, { sourceIp: "6.6.6.6" }),
    ];
    const victim = {
      principal: "iam-user:1/alice",
      principalType: "IAMUser",
      sourceIp: "10.0.0.1",
      userAgent: "cli",
      userAgentFamily: "cli",
      region: "us-east-1",
    };
    const plain = injectAs(attack, victim, 1_000_000, false);
    expect(plain.map((e) => [e.principal, e.timeMs, e.sourceIp])).toEqual([
      ["iam-user:1/alice", 1_000_000, "6.6.6.6"],
      ["iam-user:1/alice", 1_004_000, "6.6.6.6"],
    ]);
    expect(plain[0]?.eventId).toMatch(/^injected-0000-/);
    const disguised = injectAs(attack, victim, 1_000_000, true);
    expect(disguised.map((e) => [e.sourceIp, e.region, e.userAgent])).toEqual([
      ["10.0.0.1", "us-east-1", "cli"],
      ["10.0.0.1", "us-east-1", "cli"],
    ]);
  });
});

describe.skipIf(!hasSamples)("Stratus detonations injected into benign activity", () => {
  const runAll = async (benign: BehaviourEvent[], victimId: string, at: (i: number) => number, disguise: boolean) => {
    const mapping = await loadAttackMapping(sample());
    const techniques = await readAttackTechniques(sample("cloudtrail", "stratus-red-team-detonation-logs"));
    const victim = victimOf(benign, victimId);
    const runs = techniques.map((t, i) =>
      runInjection(benign, injectAs(t.events, victim, at(i), disguise), t.technique, { mapping, sessionGapMs: GAP }),
    );
    return summariseInjection(runs);
  };

  it("ranks every technique in the top 10 of four synthetic weeks, and ≥ 90% in the top 1% disguised", async () => {
    const benign = recordsToEvents(syntheticTrail({ weeks: 4 }), "synthetic");
    // Week 3, weekdays at 11:30 Tokyo: inside alice's office hours, so off-hours cannot help.
    const at = (i: number) => Date.UTC(2024, 3, 15 + (i % 5), 2, 30);
    const plain = await runAll(benign, "iam-user:111122223333/alice", at, false);
    expect(plain.techniques).toBe(35);
    expect(plain.caughtInTop10).toBe(1);
    expect(plain.medianBestRank).toBeLessThanOrEqual(2);
    const disguised = await runAll(benign, "iam-user:111122223333/alice", at, true);
    expect(disguised.caughtInTop1Percent).toBeGreaterThanOrEqual(0.9);
  });

  it("ranks every technique in the top 10 of invictus' benign events, posing as benjamin", async () => {
    const lake = tempTrailLake("catdata-inject-");
    const folder = sample("cloudtrail", "invictus-aws-dataset");
    await loadTrailFolder(lake, folder);
    const labels = await readLabels(path.join(folder, "derived", "event_labels.csv"));
    const benign = (await readLakeEvents(lake)).filter((e) => labels.byEventId.get(e.eventId) !== true);
    const plain = await runAll(
      benign,
      "iam-user:123837392027/benjamin",
      () => Date.parse("2023-07-10T12:20:00Z"),
      false,
    );
    expect(plain.caughtInTop10).toBe(1);
    expect(plain.medianBestRank).toBeLessThanOrEqual(5);
  });
});
