import { z } from "zod";

/**
 * The security knobs of the user pool and the aggregate views: a part of the configuration that
 * `config.ts` composes into its schema (so a wrong value fails naming the variable, as every other
 * does) and exposes as `config.auth`. Documented in `.env.example` and docs/security.md.
 */
export interface LockoutSettings {
  /** Failed sign-ins of one username within `windowMs` that lock it. */
  maxFailures: number;
  windowMs: number;
  /** How long a username (or source IP) stays locked. */
  lockMs: number;
  /** Failed sign-ins from one source IP (any usernames, known or not) within `windowMs` that lock the IP. */
  maxFailuresPerIp: number;
}

export interface AuthConfig {
  /** Aggregate cells below this count are suppressed for callers who may not read the records. */
  minCell: number;
  lockout: LockoutSettings;
}

const count = (fallback: number) => z.coerce.number().int().min(1).max(10_000).default(fallback);

export const authConfigSchema = z.object({
  CATDATA_MIN_CELL: count(5),
  CATDATA_LOCKOUT_MAX_FAILURES: count(5),
  CATDATA_LOCKOUT_WINDOW_MINUTES: count(15),
  CATDATA_LOCKOUT_MINUTES: count(15),
  CATDATA_LOCKOUT_MAX_FAILURES_PER_IP: count(20),
});

export function toAuthConfig(e: z.infer<typeof authConfigSchema>): AuthConfig {
  return {
    minCell: e.CATDATA_MIN_CELL,
    lockout: {
      maxFailures: e.CATDATA_LOCKOUT_MAX_FAILURES,
      windowMs: e.CATDATA_LOCKOUT_WINDOW_MINUTES * 60_000,
      lockMs: e.CATDATA_LOCKOUT_MINUTES * 60_000,
      maxFailuresPerIp: e.CATDATA_LOCKOUT_MAX_FAILURES_PER_IP,
    },
  };
}
