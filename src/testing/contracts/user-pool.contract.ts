import { describe, expect, it } from "vitest";
import { GENERIC_SIGN_IN_MESSAGE, SignInError } from "../../auth/auth-error.js";
import type { UserPool } from "../../auth/user-pool.js";
import { type FakeClock, fakeClock } from "../auth.js";

/**
 * The behaviour every `UserPool` must have, whatever keeps the users. A backend's test calls
 * `describeUserPoolContract(name, make)`; `make` returns an empty pool on the given clock, with
 * the default lock-out limits (5 failures of a username or 20 of a source IP in 15 min lock for
 * 15 min). Run against `LocalUserPool` (local-user-pool.test.ts); no other backend exists yet
 * (Cognito is to come, and would be run against a Cognito-compatible local server).
 */
const PASSWORD = "Correct-Horse-9";

const signInFailure = (promise: Promise<unknown>) =>
  promise.then(
    () => "signed in",
    (e: unknown) => {
      expect(e).toBeInstanceOf(SignInError);
      expect((e as SignInError).message).toBe(GENERIC_SIGN_IN_MESSAGE);
      return (e as SignInError).auditCode;
    },
  );
const refreshFailure = (promise: Promise<unknown>) =>
  promise.then(
    () => "refreshed",
    (e: unknown) => (e as SignInError).auditCode,
  );

export function describeUserPoolContract(name: string, make: (clock: FakeClock) => Promise<UserPool>): void {
  describe(`UserPool contract: ${name}`, () => {
    it("creates users, gets them by name in any case and lists them without secrets", async () => {
      const pool = await make(fakeClock());
      const ana = await pool.create({ username: "ana", password: PASSWORD, groups: ["analyst"] });
      await pool.create({ username: "Sam", password: PASSWORD, groups: ["staff"], municipality: "131041" });
      expect(ana).toMatchObject({ username: "ana", groups: ["analyst"], municipality: null, enabled: true });
      expect(ana.createdAt).toBe("2024-05-01T09:00:00.000Z");
      expect(await pool.get("ANA")).toEqual(ana);
      const listed = await pool.list();
      expect(listed.map((u) => [u.username, u.municipality, u.lockedUntil])).toEqual([
        ["ana", null, null],
        ["Sam", "131041", null],
      ]);
      expect(JSON.stringify(listed)).not.toMatch(/passwordHash|argon2|Correct-Horse/);
      await expect(pool.get("nobody")).rejects.toMatchObject({ code: "NOT_FOUND" });
    });

    it("checks new users and keeps names unique regardless of case", async () => {
      const pool = await make(fakeClock());
      const bad = [
        { username: "a", password: PASSWORD, groups: ["viewer"] as const },
        { username: "bob", password: "password", groups: ["viewer"] as const },
        { username: "bob", password: PASSWORD, groups: ["staff"] as const },
        { username: "bob", password: PASSWORD, groups: ["viewer"] as const, municipality: "131041" },
        { username: "bob", password: PASSWORD, groups: [] },
      ];
      for (const input of bad) {
        await expect(pool.create({ ...input, groups: [...input.groups] }), input.username).rejects.toMatchObject({
          code: "BAD_INPUT",
        });
      }
      await pool.create({ username: "Bob", password: PASSWORD, groups: ["staff"], municipality: "131041" });
      await expect(pool.create({ username: "bob", password: PASSWORD, groups: ["viewer"] })).rejects.toMatchObject({
        code: "CONFLICT",
      });
      expect((await pool.authenticate("BOB", PASSWORD)).username).toBe("Bob");
    });

    it("refuses wrong passwords, unknown names and disabled users with the one generic error", async () => {
      const pool = await make(fakeClock());
      await pool.create({ username: "ana", password: PASSWORD, groups: ["analyst"] });
      expect(await signInFailure(pool.authenticate("ana", "Wrong-Horse-9"))).toBe("NotAuthorizedException");
      expect(await signInFailure(pool.authenticate("nobody", PASSWORD))).toBe("UserNotFoundException");
      await pool.setEnabled("ana", false);
      expect(await signInFailure(pool.authenticate("ana", PASSWORD))).toBe("UserDisabled");
      await pool.setEnabled("ana", true);
      expect((await pool.authenticate("ana", PASSWORD)).enabled).toBe(true);
    });

    it("changes and sets passwords, ending the user's sessions", async () => {
      const pool = await make(fakeClock());
      const ana = await pool.create({ username: "ana", password: PASSWORD, groups: ["analyst"] });
      const session = await pool.startSession(ana);
      await expect(pool.changePassword("ana", "Wrong-Horse-9", "Battery-Staple-7")).rejects.toBeInstanceOf(SignInError);
      await pool.changePassword("ana", PASSWORD, "Battery-Staple-7");
      expect(await refreshFailure(pool.refresh(session.token))).toBe("RefreshTokenInvalid");
      expect(await signInFailure(pool.authenticate("ana", PASSWORD))).toBe("NotAuthorizedException");
      await expect(pool.setPassword("ana", "short")).rejects.toMatchObject({ code: "BAD_INPUT" });
      await pool.setPassword("ana", PASSWORD);
      expect((await pool.authenticate("ana", PASSWORD)).username).toBe("ana");
    });

    it("locks a username and a source IP after repeated failures; unlock lifts each at once", async () => {
      const clock = fakeClock();
      const pool = await make(clock);
      await pool.create({ username: "ana", password: PASSWORD, groups: ["analyst"] });
      for (let i = 0; i < 5; i++) await signInFailure(pool.authenticate("ana", "wrong"));
      expect(await signInFailure(pool.authenticate("ana", PASSWORD))).toBe("UserLockedOut");
      expect((await pool.list())[0]?.lockedUntil).toBe("2024-05-01T09:15:00.000Z");
      expect(await pool.unlock("ana")).toBe(true);
      expect((await pool.authenticate("ana", PASSWORD)).username).toBe("ana");
      expect(await pool.unlock("ana")).toBe(false);
      const from = { sourceIp: "203.0.113.9" };
      for (let i = 0; i < 20; i++) await signInFailure(pool.authenticate(`guess-${i}`, "wrong", from));
      expect(await signInFailure(pool.authenticate("ana", PASSWORD, from))).toBe("UserLockedOut");
      expect(await pool.unlockIp("203.0.113.9")).toBe(true);
      expect((await pool.authenticate("ana", PASSWORD, from)).username).toBe("ana");
    });

    it("rotates sessions on refresh, ends them on sign-out and refuses disabled users", async () => {
      const pool = await make(fakeClock());
      const ana = await pool.create({ username: "ana", password: PASSWORD, groups: ["analyst"] });
      const first = await pool.startSession(ana);
      const { user, refreshToken: second } = await pool.refresh(first.token);
      expect([user.username, second.username]).toEqual(["ana", "ana"]);
      expect(second.token).not.toBe(first.token);
      await pool.endSession(second.token);
      expect(await refreshFailure(pool.refresh(second.token))).toBe("RefreshTokenInvalid");
      await pool.endSession("not-a-token");
      const third = await pool.startSession(ana);
      await pool.setEnabled("ana", false);
      expect(await refreshFailure(pool.refresh(third.token))).toBe("RefreshTokenInvalid");
    });
  });
}
