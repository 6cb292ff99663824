/**
 * Pins the token bucket on a fake clock (no real sleeping): the first request goes at once, the
 * next ones are spaced by 1/rate; idle time refills up to the capacity, not beyond; regions have
 * separate buckets.
 */
import { describe, expect, it } from "vitest";
import { type Clock, RegionLimits, TokenBucket } from "./token-bucket.js";

function fakeClock(): Clock & { slept: number[] } {
  let now = 1_000;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
  };
}

describe("token bucket", () => {
  it("spaces requests at the rate, and refills only up to capacity", async () => {
    const clock = fakeClock();
    const bucket = new TokenBucket(1, 2, clock);
    const times: number[] = [];
    for (let i = 0; i < 4; i += 1) {
      await bucket.take();
      times.push(clock.now());
    }
    expect(times).toEqual([1_000, 1_500, 2_000, 2_500]);
    await clock.sleep(10_000);
    await bucket.take();
    const after = clock.now();
    await bucket.take();
    expect(clock.now() - after).toBe(500);
  });

  it("allows a burst of its capacity", async () => {
    const clock = fakeClock();
    const bucket = new TokenBucket(3, 1, clock);
    for (let i = 0; i < 4; i += 1) await bucket.take();
    expect(clock.slept).toEqual([1_000]);
  });

  it("keeps one bucket per region", async () => {
    const clock = fakeClock();
    const limits = new RegionLimits(2, clock);
    await limits.take("us-east-1");
    await limits.take("eu-west-1");
    expect(clock.slept).toEqual([]);
    await limits.take("us-east-1");
    expect(clock.slept).toEqual([500]);
  });
});
