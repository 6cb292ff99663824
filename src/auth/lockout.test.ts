/**
 * Pins lock-out, through LocalUserPool.authenticate with a pinned clock (5 failures in 15 min → 15 min):
 * - the 5th failure within the window locks the username; then even the right password is refused,
 *   with the same message as a wrong one and the audit code UserLockedOut; 15 minutes later it works
 * - failures spread wider than the window never lock; a success clears the count
 * - unknown usernames lock the same way (locking reveals nothing about which names exist)
 * - 20 failures from one source IP over many usernames lock that IP for every name, not other IPs
 * - `unlock` lifts a lock at once; the lock is shared by pools on the same data directory (the CLI)
 */
import { describe, expect, it } from "vitest";
import { DataDir } from "../local/data-dir.js";
import { fakeClock, testUserPool } from "../testing/auth.js";
import { tempDir } from "../testing/fixtures.js";
import { GENERIC_SIGN_IN_MESSAGE, SignInError } from "./auth-error.js";
import type { LocalUserPool } from "./local-user-pool.js";
import type { SignInContext } from "./user-pool.js";

const PASSWORD = "Correct-Horse-9";
const MIN = 60_000;

async function setup() {
  const clock = fakeClock();
  const dir = new DataDir(tempDir("catdata-lockout-"));
  const pool = testUserPool(dir, { clock });
  await pool.create({ username: "ana", password: PASSWORD, groups: ["analyst"] });
  return { clock, dir, pool };
}

async function failure(pool: LocalUserPool, username: string, password: string, context: SignInContext = {}) {
  const error = await pool.authenticate(username, password, context).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SignInError);
  expect((error as SignInError).message).toBe(GENERIC_SIGN_IN_MESSAGE);
  expect((error as SignInError).status).toBe(401);
  return (error as SignInError).auditCode;
}

describe("lock-out", () => {
  it("locks a username after 5 failures in 15 minutes, for 15 minutes", async () => {
    const { clock, pool } = await setup();
    for (let i = 0; i < 4; i++) {
      expect(await failure(pool, "ana", "wrong")).toBe("NotAuthorizedException");
      clock.advance(MIN);
    }
    expect(await failure(pool, "ana", "wrong")).toBe("NotAuthorizedException");
    expect(await failure(pool, "ana", PASSWORD)).toBe("UserLockedOut");
    expect(await failure(pool, "ANA", PASSWORD)).toBe("UserLockedOut");
    expect((await pool.list())[0]?.lockedUntil).toBe("2024-05-01T09:19:00.000Z");
    clock.advance(15 * MIN - 1);
    expect(await failure(pool, "ana", PASSWORD)).toBe("UserLockedOut");
    clock.advance(1);
    expect((await pool.authenticate("ana", PASSWORD)).username).toBe("ana");
  });

  it("does not lock for failures spread wider than the window, and a success clears the count", async () => {
    const { clock, pool } = await setup();
    for (let i = 0; i < 8; i++) {
      await failure(pool, "ana", "wrong");
      clock.advance(4 * MIN);
    }
    expect((await pool.authenticate("ana", PASSWORD)).username).toBe("ana");
    for (let i = 0; i < 4; i++) await failure(pool, "ana", "wrong");
    await pool.authenticate("ana", PASSWORD);
    for (let i = 0; i < 4; i++) await failure(pool, "ana", "wrong");
    expect((await pool.authenticate("ana", PASSWORD)).username).toBe("ana");
  });

  it("locks unknown usernames the same way", async () => {
    const { pool } = await setup();
    for (let i = 0; i < 5; i++) expect(await failure(pool, "nobody", "wrong")).toBe("UserNotFoundException");
    expect(await failure(pool, "nobody", "wrong")).toBe("UserLockedOut");
  });

  it("locks a source IP that fails 20 times over many usernames, for every name", async () => {
    const { pool } = await setup();
    const from = { sourceIp: "203.0.113.9" };
    for (let i = 0; i < 20; i++) await failure(pool, `guess-${i}`, "wrong", from);
    expect(await failure(pool, "ana", PASSWORD, from)).toBe("UserLockedOut");
    expect((await pool.authenticate("ana", PASSWORD, { sourceIp: "198.51.100.7" })).username).toBe("ana");
  });

  it("lifts a lock on unlock, also from another pool on the same data directory", async () => {
    const { clock, dir, pool } = await setup();
    for (let i = 0; i < 5; i++) await failure(pool, "ana", "wrong");
    expect(await failure(pool, "ana", PASSWORD)).toBe("UserLockedOut");
    const cli = testUserPool(dir, { clock });
    expect(await cli.unlock("ana")).toBe(true);
    expect((await pool.authenticate("ana", PASSWORD)).username).toBe("ana");
    expect(await cli.unlock("ana")).toBe(false);
  });
});
