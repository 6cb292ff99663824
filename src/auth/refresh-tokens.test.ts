/**
 * Pins refresh tokens (through the pool, with a pinned clock):
 * - a token is opaque and stored only as its SHA-256 hash
 * - each use returns a new token of the same family; the used one is refused afterwards
 * - reusing a rotated token revokes the whole family: its successor stops working too (RefreshTokenReuse)
 * - the family expires 30 days after sign-in, rotations do not extend it
 * - sign-out revokes; a password change, a reset or disabling the user revoke all of its tokens
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DataDir } from "../local/data-dir.js";
import { fakeClock, testUserPool } from "../testing/auth.js";
import { tempDir } from "../testing/fixtures.js";
import type { SignInError } from "./auth-error.js";
import type { LocalUserPool } from "./local-user-pool.js";

const PASSWORD = "Correct-Horse-9";
const DAY = 24 * 3600 * 1000;

async function setup() {
  const clock = fakeClock();
  const dir = new DataDir(tempDir("catdata-refresh-"));
  const pool = testUserPool(dir, { clock });
  const user = await pool.create({ username: "ana", password: PASSWORD, groups: ["analyst"] });
  return { clock, dir, pool, first: await pool.startSession(user) };
}
const refused = async (pool: LocalUserPool, token: string) =>
  ((await pool.refresh(token).catch((e: unknown) => e)) as SignInError).auditCode;

describe("refresh tokens", () => {
  it("stores only the hash of an opaque token", async () => {
    const { dir, first } = await setup();
    expect(first.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const file = readFileSync(dir.users.refreshTokens, "utf8");
    expect(file).not.toContain(first.token);
    expect(file).toContain(createHash("sha256").update(first.token).digest("hex"));
  });

  it("rotates on use and refuses the used token", async () => {
    const { pool, first } = await setup();
    const { user, refreshToken: second } = await pool.refresh(first.token);
    expect(user.username).toBe("ana");
    expect(second.token).not.toBe(first.token);
    const third = (await pool.refresh(second.token)).refreshToken;
    expect(third.expiresAt).toEqual(first.expiresAt);
  });

  it("revokes the family when a rotated token is presented again", async () => {
    const { pool, first } = await setup();
    const second = (await pool.refresh(first.token)).refreshToken;
    expect(await refused(pool, first.token)).toBe("RefreshTokenReuse");
    expect(await refused(pool, second.token)).toBe("RefreshTokenInvalid");
    const other = await pool.startSession(await pool.get("ana"));
    expect((await pool.refresh(other.token)).user.username).toBe("ana");
  });

  it("expires the family 30 days after sign-in", async () => {
    const { clock, pool, first } = await setup();
    clock.advance(29 * DAY);
    const second = (await pool.refresh(first.token)).refreshToken;
    clock.advance(DAY);
    expect(await refused(pool, second.token)).toBe("RefreshTokenExpired");
    expect(await refused(pool, "not-a-token")).toBe("RefreshTokenInvalid");
  });

  it("revokes on sign-out, password change, reset and disable", async () => {
    const { pool, first } = await setup();
    await pool.endSession(first.token);
    expect(await refused(pool, first.token)).toBe("RefreshTokenInvalid");
    const user = await pool.get("ana");
    const a = await pool.startSession(user);
    await pool.changePassword("ana", PASSWORD, "Battery-Staple-7");
    expect(await refused(pool, a.token)).toBe("RefreshTokenInvalid");
    const b = await pool.startSession(user);
    await pool.setPassword("ana", PASSWORD);
    expect(await refused(pool, b.token)).toBe("RefreshTokenInvalid");
    const c = await pool.startSession(user);
    await pool.setEnabled("ana", false);
    expect(await refused(pool, c.token)).toBe("RefreshTokenInvalid");
  });
});
