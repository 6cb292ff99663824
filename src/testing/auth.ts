import type { Clock } from "../auth/clock.js";
import { LocalUserPool } from "../auth/local-user-pool.js";
import type { HashParams } from "../auth/password.js";
import { createVerifier, TokenIssuer } from "../auth/tokens.js";
import type { LockoutSettings } from "../config/config.js";
import { LocalKeyStore } from "../keys/local-key-store.js";
import type { DataDir } from "../local/data-dir.js";

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

/** A fast-hashing local user pool on a data directory (the default lock-out limits). */
export const testUserPool = (dataDir: DataDir, options: { clock?: Clock; lockout?: LockoutSettings } = {}) =>
  new LocalUserPool(dataDir, {
    hashParams: FAST_TEST_HASH,
    lockout: options.lockout ?? TEST_LOCKOUT,
    ...(options.clock ? { clock: options.clock } : {}),
  });

/** The auth part of `ApiDeps` on a data directory, with fast hashes and an optional pinned clock. */
export async function createTestAuth(dataDir: DataDir, options: { clock?: Clock; issuer?: string } = {}) {
  const issuer = options.issuer ?? "http://127.0.0.1:8501/api";
  const clock = options.clock;
  const users = testUserPool(dataDir, clock ? { clock } : {});
  const tokens = await TokenIssuer.open(new LocalKeyStore(dataDir), issuer, clock ? { clock } : {});
  const verify = createVerifier(() => tokens.jwks(), issuer, {
    clientId: tokens.clientId,
    ...(clock ? { clock } : {}),
  });
  return { users, tokens, verify };
}

/** Signs `username` in through the app's own `POST /auth/login`; its access token (throws unless 200). */
export async function signIn(
  app: { request(path: string, init?: RequestInit): Response | Promise<Response> },
  username: string,
  password: string,
): Promise<string> {
  const res = await app.request("/auth/login", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200) throw new Error(`sign-in of ${username} answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { accessToken: string }).accessToken;
}
