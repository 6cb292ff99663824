/**
 * A token bucket: at most `capacity` requests at once, refilled at `perSecond` tokens a second.
 * The clock and the sleep are injected, so tests run it without waiting. `RegionLimits` keeps one
 * bucket per AWS region, shared by everything in the process that calls the same API.
 */
export interface Clock {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly capacity: number,
    private readonly perSecond: number,
    private readonly clock: Clock = realClock,
  ) {
    this.tokens = capacity;
    this.last = clock.now();
  }

  /** Waits until a token is free, then takes it. */
  async take(): Promise<void> {
    for (;;) {
      const now = this.clock.now();
      this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) / 1000) * this.perSecond);
      this.last = now;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await this.clock.sleep(Math.ceil(((1 - this.tokens) / this.perSecond) * 1000));
    }
  }
}

export class RegionLimits {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(
    private readonly perSecond: number,
    private readonly clock: Clock = realClock,
  ) {}

  /** Waits for a request slot in `region`. */
  take(region: string): Promise<void> {
    let bucket = this.buckets.get(region);
    if (!bucket) {
      bucket = new TokenBucket(1, this.perSecond, this.clock);
      this.buckets.set(region, bucket);
    }
    return bucket.take();
  }
}
