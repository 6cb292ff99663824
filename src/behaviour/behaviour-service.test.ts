/**
 * Pins the BehaviourService's answers on real CloudTrail (../shared/data/cloudtrail):
 * - predict after a bare event name (`ListObjects`, `s3:ListObjects`) follows the event key as the
 *   model spells it (`s3.amazonaws.com:ListObjects`) and never predicts the bare name; a name two
 *   services share is an error listing both, a name the trail never saw an error saying so
 * - the next-active-hours forecast of flaws2 (a trail of November 2018) read in 2026 is for the
 *   week after the data ends, and says so; read the day after, it is for the week after now
 * - the session-start marker "^" appears nowhere in any principal's profile or prediction
 * - calls AWS services made for a principal (sourceIPAddress `secretsmanager.amazonaws.com`,
 *   `AWS Internal`) are never source IPs: not in the profile's sourceIps, never a first-seen
 *   source IP anomaly; they are the profile's viaServices
 * - activity over a window counts the principal's events in the lake; status counts the lake's
 *   events, time span and sources, and says whether the model has seen them all
 */
import { beforeAll, describe, expect, it } from "vitest";
import { emptyBehaviourLake, type TestBehaviourLake } from "../testing/behaviour.js";
import { hasSamples, sample } from "../testing/fixtures.js";
import { queryTrailLake } from "../testing/trail.js";
import { loadTrailFolder } from "../trail/lake/load-trail.js";
import { FORECAST_STALE_AFTER_MS } from "./model/activity-time.js";
import { isServiceSource } from "./model/behaviour-event.js";

const DAY = 86_400_000;
const TODAY = new Date("2026-12-04T09:00:00Z");

async function lakeOf(folder: string): Promise<TestBehaviourLake> {
  const lake = await emptyBehaviourLake();
  await loadTrailFolder(lake.trail, sample("cloudtrail", folder));
  return lake;
}

/** Every string anywhere in a JSON value. */
function strings(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === "object") return Object.values(value).flatMap(strings);
  return [];
}

describe.skipIf(!hasSamples)("behaviour service on flaws2", () => {
  let lake: TestBehaviourLake;
  beforeAll(async () => {
    lake = await lakeOf("flaws2");
  });

  it("predicts after a bare event name as the event key the model spells", async () => {
    const service = lake.service({ now: () => TODAY });
    for (const name of ["ListObjects", "s3:ListObjects", "listobjects"]) {
      const result = await service.predict("level1", { after: [name] });
      expect(result.after).toEqual(["s3.amazonaws.com:ListObjects"]);
      expect(result.predictions.map((p) => p.eventKey)).not.toContain(name);
      for (const p of result.predictions) expect(p.eventKey).toMatch(/^[a-z0-9.-]+\.amazonaws\.com:[A-Za-z0-9]+$/);
    }
    // What level1 did after ListObjects in the trail: ListImages.
    const after = await service.predict("level1", { after: ["ListObjects"] });
    expect(after.predictions[0]?.eventKey).toBe("ecr.amazonaws.com:ListImages");
    await expect(service.predict("level1", { after: ["FlyToTheMoon"] })).rejects.toThrow(
      /no call "FlyToTheMoon" in the trail/,
    );
  });

  it("forecasts active hours from the end of the data when it is old, and from now when it is not", async () => {
    const old = await lake.service({ now: () => TODAY }).profile("level1");
    const lastMs = Date.parse("2018-11-28T23:09:36Z"); // the trail's last event (level3's ListBuckets)
    expect(old.activity.forecastBasis).toBe("end-of-data");
    expect(Date.parse(old.activity.forecastFrom)).toBe(Math.ceil(lastMs / 3_600_000) * 3_600_000);
    expect(old.activity.nextActiveHours.length).toBeGreaterThan(0);
    for (const h of old.activity.nextActiveHours) {
      expect(Date.parse(h.start)).toBeGreaterThanOrEqual(lastMs);
      expect(Date.parse(h.start)).toBeLessThan(lastMs + 7 * DAY);
    }
    const soon = new Date(lastMs + FORECAST_STALE_AFTER_MS - DAY);
    const fresh = await lake.service({ now: () => soon }).profile("level1");
    expect(fresh.activity.forecastBasis).toBe("now");
    for (const h of fresh.activity.nextActiveHours) expect(Date.parse(h.start)).toBeGreaterThanOrEqual(soon.getTime());
  });

  it("shows the session-start marker nowhere, in profiles or predictions", async () => {
    const service = lake.service({ now: () => TODAY });
    for (const { principal } of await service.principals()) {
      const profile = await service.profile(principal, { top: 50 });
      expect(strings(profile)).not.toContain("^");
      expect(profile.sessionStarts.length).toBeGreaterThan(0);
      for (const options of [{}, { newSession: true }]) {
        const predicted = await service.predict(principal, { ...options, top: 50 });
        expect(strings(predicted)).not.toContain("^");
      }
    }
  });
});

describe.skipIf(!hasSamples)("behaviour service on the invictus dataset", () => {
  let lake: TestBehaviourLake;
  beforeAll(async () => {
    lake = await lakeOf("invictus-aws-dataset");
  });

  it("refuses a call name two services share, listing both", async () => {
    const service = lake.service({ now: () => TODAY });
    await expect(service.predict("bert-jan", { after: ["ListTagsForResource"] })).rejects.toThrow(
      /"ListTagsForResource" is ambiguous: it could be rds\.amazonaws\.com:ListTagsForResource, ssm\.amazonaws\.com:ListTagsForResource/,
    );
    const named = await service.predict("bert-jan", { after: ["ssm:ListTagsForResource"] });
    expect(named.after).toEqual(["ssm.amazonaws.com:ListTagsForResource"]);
  });

  it("never reports a call made by an AWS service as a source IP", async () => {
    const service = lake.service({ now: () => TODAY });
    const rows = await queryTrailLake<{ source_ip: string }>(
      lake.trail,
      "SELECT DISTINCT source_ip FROM events WHERE principal = 'iam-user:123837392027/bert-jan' AND source_ip IS NOT NULL",
    );
    const services = rows.map((r) => r.source_ip).filter(isServiceSource);
    expect(services).toEqual(expect.arrayContaining(["secretsmanager.amazonaws.com", "AWS Internal"]));
    const profile = await service.profile("bert-jan", { top: 50 });
    expect(profile.sourceIps.filter((s) => isServiceSource(s.value))).toEqual([]);
    expect(profile.viaServices.map((s) => s.value).sort()).toEqual([...services].sort());
    const report = await service.anomalies({ limit: 5000 });
    const firstIps = report.anomalies.flatMap((a) => a.reasons.filter((r) => r.kind === "first-seen-source-ip"));
    expect(firstIps.length).toBeGreaterThan(0);
    for (const r of firstIps) {
      const value = /first source IP (\S+)/.exec(r.detail)?.[1] ?? "";
      expect([r.detail, isServiceSource(value)]).toEqual([r.detail, false]);
    }
  });

  it("counts a principal's activity over a window from its events", async () => {
    const service = lake.service({ now: () => TODAY });
    const start = "2023-07-10T12:00:00Z";
    const end = "2023-07-10T12:30:00Z";
    const activity = await service.activity("bert-jan", { startMs: Date.parse(start), endMs: Date.parse(end) });
    const [expected] = await queryTrailLake<{ n: bigint; errors: bigint; services: bigint }>(
      lake.trail,
      `SELECT count(DISTINCT event_id) AS n, count(DISTINCT event_id) FILTER (WHERE error_code IS NOT NULL) AS errors,
              count(DISTINCT event_source) AS services
       FROM events WHERE principal = 'iam-user:123837392027/bert-jan'
         AND event_time >= TIMESTAMP '2023-07-10 12:00:00' AND event_time < TIMESTAMP '2023-07-10 12:30:00'`,
    );
    expect(activity.window).toEqual({
      start: "2023-07-10T12:00:00.000Z",
      end: "2023-07-10T12:30:00.000Z",
      basis: "requested",
    });
    expect([activity.events, activity.errors]).toEqual([Number(expected?.n), Number(expected?.errors)]);
    expect(activity.events).toBeGreaterThan(0);
    expect(activity.eventsByHourOfDay.reduce((s, n) => s + n, 0)).toBe(activity.events);
    expect(activity.eventsByHourOfDay[12]).toBe(activity.events);
    expect(activity.services.length).toBe(Math.min(10, Number(expected?.services)));
    expect(activity.sourceIps.filter((s) => isServiceSource(s.value))).toEqual([]);
    const whole = await service.activity("bert-jan");
    expect(whole.window.basis).toBe("last-week-of-activity");
    expect(whole.lastEvent?.eventTime).toBe("2023-07-10T12:34:46.000Z");
    await expect(service.activity("bert-jan", { startMs: Date.parse(end), endMs: Date.parse(start) })).rejects.toThrow(
      /not before its end/,
    );
  });

  it("tells what is loaded, over which span, and whether the model has seen it", async () => {
    const untrained = await lakeOf("invictus-aws-dataset");
    const service = untrained.service({ now: () => TODAY });
    const [expected] = await queryTrailLake<{ n: bigint; p: bigint; first: string; last: string }>(
      untrained.trail,
      `SELECT count(DISTINCT event_id) AS n, count(DISTINCT principal) AS p,
              strftime(min(event_time), '%Y-%m-%dT%H:%M:%S.000Z') AS first,
              strftime(max(event_time), '%Y-%m-%dT%H:%M:%S.000Z') AS last
       FROM events WHERE NOT coalesce(is_insight, false)`,
    );
    const before = await service.status();
    expect(before).toMatchObject({
      events: Number(expected?.n),
      principals: Number(expected?.p),
      firstEventTime: expected?.first,
      lastEventTime: expected?.last,
      sourcesTotal: 1,
      model: { trainedAt: null, upToDate: false },
    });
    expect(before.sources[0]).toMatchObject({ source: sample("cloudtrail", "invictus-aws-dataset"), files: 55 });
    expect(before.dataAgeDays).toBeGreaterThan(365);
    await service.principals(); // trains the model
    const after = await service.status();
    expect(after.model.upToDate).toBe(true);
    expect(after.model.trainedAt).not.toBeNull();
  });
});
