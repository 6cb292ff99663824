/**
 * Retrying AWS calls that were throttled, with exponential backoff on an injected sleep. Only
 * throttling is retried (the caller's rate limiter keeps it rare); any other error goes up as is.
 */
export interface RetryOptions {
  sleep: (ms: number) => Promise<void>;
  /** Attempts in all, the first included. */
  attempts?: number;
  /** The first wait; each next one doubles, up to `maxMs`. */
  baseMs?: number;
  maxMs?: number;
  onRetry?: (attempt: number, waitMs: number, error: unknown) => void;
}

const THROTTLING_NAMES = new Set([
  "ThrottlingException",
  "Throttling",
  "TooManyRequestsException",
  "RequestLimitExceeded",
  "SlowDown",
]);

export function isThrottling(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const e = error as { name?: unknown; $retryable?: { throttling?: boolean }; $metadata?: { httpStatusCode?: number } };
  return (
    (typeof e.name === "string" && THROTTLING_NAMES.has(e.name)) ||
    e.$retryable?.throttling === true ||
    e.$metadata?.httpStatusCode === 429
  );
}

export async function retryThrottled<T>(call: () => Promise<T>, options: RetryOptions): Promise<T> {
  const attempts = options.attempts ?? 6;
  const base = options.baseMs ?? 1_000;
  const max = options.maxMs ?? 30_000;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await call();
    } catch (error) {
      if (!isThrottling(error) || attempt >= attempts) throw error;
      const wait = Math.min(max, base * 2 ** (attempt - 1));
      options.onRetry?.(attempt, wait, error);
      await options.sleep(wait);
    }
  }
}
