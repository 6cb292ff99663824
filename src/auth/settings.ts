import { z } from "zod";
import { CatdataError } from "../errors.js";

/**
 * The security knobs of the user pool and the aggregate views, read from the environment in this one
 * place (once, on first use) until they move into `src/config/config.ts`. A wrong value fails naming
 * the variable, as the main configuration does.
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

export interface AuthSettings {
  /** Aggregate cells below this count are suppressed for callers who may not read the records. */
  minCell: number;
  lockout: LockoutSettings;
}

const count = (fallback: number) => z.coerce.number().int().min(1).max(10_000).default(fallback);
const schema = z.object({
  CATDATA_MIN_CELL: count(5),
  CATDATA_LOCKOUT_MAX_FAILURES: count(5),
  CATDATA_LOCKOUT_WINDOW_MINUTES: count(15),
  CATDATA_LOCKOUT_MINUTES: count(15),
  CATDATA_LOCKOUT_MAX_FAILURES_PER_IP: count(20),
});

export function readAuthSettings(env: Record<string, string | undefined> = process.env): AuthSettings {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([k, v]) => k in schema.shape && v !== ""));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map(
      (i) => `${i.path.join(".")}=${JSON.stringify(cleaned[String(i.path[0])])}: ${i.message}`,
    );
    throw new CatdataError("CONFIG_INVALID", `invalid configuration:\n  ${lines.join("\n  ")}`, {
      hint: "use a whole number from 1 to 10000",
    });
  }
  const e = parsed.data;
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

let cached: AuthSettings | undefined;

/** The settings of this process, parsed from `process.env` on first use. */
export function authSettings(): AuthSettings {
  cached ??= readAuthSettings();
  return cached;
}
