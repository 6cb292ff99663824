/**
 * Pins activity time: hours of the week in UTC and in other zones (Tokyo +9, New York with
 * daylight saving), the probability of activity per hour (active weeks over observed weeks, with
 * one pseudo-week at the average rate), and the most likely next active hours after an injected now.
 */
import { describe, expect, it } from "vitest";
import { event } from "../../testing/behaviour.js";
import { activityProfile, hourOfWeekIn } from "./activity-time.js";
import { BehaviourModel } from "./behaviour-model.js";

const HOUR = 3_600_000;
const MONDAY = Date.UTC(2024, 3, 1); // Monday

describe("hour of week", () => {
  it("is Monday 00:00 = 0 in the zone asked for, daylight saving included", () => {
    expect(hourOfWeekIn(MONDAY, "UTC")).toBe(0);
    expect(hourOfWeekIn(MONDAY, "Asia/Tokyo")).toBe(9);
    expect(hourOfWeekIn(MONDAY + 9 * HOUR, "UTC")).toBe(9);
    // 2024-01-08 (EST, UTC−5) and 2024-07-08 (EDT, UTC−4), both Mondays at 14:00 UTC.
    expect(hourOfWeekIn(Date.UTC(2024, 0, 8, 14), "America/New_York")).toBe(9);
    expect(hourOfWeekIn(Date.UTC(2024, 6, 8, 14), "America/New_York")).toBe(10);
    expect(() => hourOfWeekIn(MONDAY, "Mars/Olympus")).toThrow(/unknown time zone/);
  });
});

describe("activity profile", () => {
  // Three weeks: every weekday at 00:00–01:00 UTC (09:00 Tokyo), and once on a Saturday.
  const model = new BehaviourModel({ sessionGapMs: 30 * 60_000 });
  for (let day = 0; day < 21; day++) {
    if (day % 7 < 5)
      model.add(event("alice", "s3.amazonaws.com:GetObject", MONDAY + day * 24 * HOUR + 10 * 60_000), "^", "^");
    if (day === 5)
      model.add(event("alice", "s3.amazonaws.com:GetObject", MONDAY + day * 24 * HOUR + 15 * HOUR), "^", "^");
  }
  const counts = model.principal("alice");
  if (!counts) throw new Error("no counts");

  it("counts events per hour of the week in the zone", () => {
    const tokyo = activityProfile(counts, { timeZone: "Asia/Tokyo", now: new Date(MONDAY + 21 * 24 * HOUR) });
    expect(tokyo.weeksObserved).toBe(3);
    expect(tokyo.eventsByHourOfWeek[9]).toBe(3); // Monday 09:00 Tokyo
    expect(tokyo.eventsByHourOfWeek.reduce((s, n) => s + n, 0)).toBe(16);
    const utc = activityProfile(counts, { timeZone: "UTC", now: new Date(MONDAY) });
    expect(utc.eventsByHourOfWeek[0]).toBe(3);
  });

  it("predicts the next likely active hours with probabilities", () => {
    const now = new Date(MONDAY + 21 * 24 * HOUR + 2 * HOUR); // Monday of week 4, 02:00 UTC
    const profile = activityProfile(counts, { timeZone: "Asia/Tokyo", now, top: 5 });
    const base = 16 / (168 * 3);
    expect(profile.nextActiveHours[0]).toEqual({
      start: "2024-04-23T00:00:00.000Z",
      local: "Tue 09:00",
      probability: (3 + base) / 4,
    });
    expect(profile.nextActiveHours.map((h) => h.local)).toEqual([
      "Tue 09:00",
      "Wed 09:00",
      "Thu 09:00",
      "Fri 09:00",
      "Mon 09:00",
    ]);
    const saturday = profile.nextActiveHours.find((h) => h.local === "Sun 00:00");
    expect(saturday).toBeUndefined();
  });
});
