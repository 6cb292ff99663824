import type { Clock } from "./clock.js";
import type { HashParams } from "./password.js";
import type { LockoutSettings } from "./settings.js";
import { createVerifier, TokenIssuer } from "./tokens.js";
import { LocalUserPool } from "./user-pool.js";

/**
 * Helpers for tests only. argon2id with 1 MiB and one pass: fast enough to create a dozen users per
 * test file on two cores. Production keeps OWASP's parameters (the pool's default).
 */
export const FAST_TEST_HASH: HashParams = { memoryCost: 1024, timeCost: 1, parallelism: 1 };

export const TEST_LOCKOUT: LockoutSettings = {
  maxFailures: 5,
  windowMs: 15 * 60_000,
  lockMs: 15 * 60_000,
  maxFailuresPerIp: 20,
};

export type FakeClock = Clock & { advance(ms: number): void; set(iso: string): void };

export function fakeClock(start = "2024-05-01T09:00:00Z"): FakeClock {
  let now = Date.parse(start);
  const clock = () => new Date(now);
  return Object.assign(clock, {
    advance: (ms: number) => {
      now += ms;
    },
    set: (iso: string) => {
      now = Date.parse(iso);
    },
  });
}

/** The auth part of `ApiDeps` on a data directory, with fast hashes and an optional pinned clock. */
export async function createTestAuth(home: string, options: { clock?: Clock; issuer?: string } = {}) {
  const issuer = options.issuer ?? "http://127.0.0.1:8501/api";
  const clock = options.clock;
  const users = new LocalUserPool(home, {
    hashParams: FAST_TEST_HASH,
    lockout: TEST_LOCKOUT,
    ...(clock ? { clock } : {}),
  });
  const tokens = await TokenIssuer.open(home, issuer, clock ? { clock } : {});
  const verify = createVerifier(() => tokens.jwks(), issuer, {
    clientId: tokens.clientId,
    ...(clock ? { clock } : {}),
  });
  return { users, tokens, verify };
}
