import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { CatdataError } from "../../errors.js";
import type { ApiEnv } from "../context.js";

/**
 * Rate limits (the WAF's rate-based rules) as token buckets kept in memory: each key (a source IP,
 * a user) holds up to `burst` tokens, refilled at `perMinute / 60` per second; a request takes one.
 * An empty bucket answers 429 with `Retry-After` (whole seconds until a token is back). Idle buckets
 * are forgotten once full again, so memory stays bounded by the active callers.
 */
export interface RateLimitOptions {
  perMinute: number;
  burst: number;
  now?: () => number;
}

export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly ratePerMs: number;
  private readonly now: () => number;

  constructor(private readonly options: RateLimitOptions) {
    this.ratePerMs = options.perMinute / 60_000;
    this.now = options.now ?? (() => performance.now());
  }

  /** Takes a token for `key`: 0 when granted, else the milliseconds until one is available. */
  take(key: string): number {
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.options.burst, at: now };
    bucket.tokens = Math.min(this.options.burst, bucket.tokens + (now - bucket.at) * this.ratePerMs);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (this.buckets.size > 10_000) this.sweep(now);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return (1 - bucket.tokens) / this.ratePerMs;
  }

  private sweep(now: number): void {
    for (const [key, b] of this.buckets) {
      if (b.tokens + (now - b.at) * this.ratePerMs >= this.options.burst) this.buckets.delete(key);
    }
  }
}

/**
 * A limiter middleware: `keyOf` names the bucket (undefined: not limited here). `perMinute: 0` turns
 * the limit off. `onLimited` is told each refusal (for the metrics).
 */
export function rateLimit(
  scope: "ip" | "user",
  options: RateLimitOptions,
  keyOf: (c: Context<ApiEnv>) => string | undefined,
  onLimited?: (scope: "ip" | "user") => void,
) {
  if (options.perMinute <= 0) return createMiddleware<ApiEnv>((_c, next) => next());
  const buckets = new TokenBuckets(options);
  return createMiddleware<ApiEnv>(async (c, next) => {
    const key = keyOf(c);
    const waitMs = key === undefined ? 0 : buckets.take(key);
    if (waitMs > 0) {
      onLimited?.(scope);
      c.header("Retry-After", String(Math.max(1, Math.ceil(waitMs / 1000))));
      throw new CatdataError(
        "RATE_LIMITED",
        `too many requests from this ${scope === "ip" ? "address" : "user"} (limit ${options.perMinute} per minute, bursts of ${options.burst})`,
        { hint: "wait the number of seconds in the Retry-After header, then try again" },
      );
    }
    await next();
  });
}
