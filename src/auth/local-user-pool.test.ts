/**
 * Pins the local user pool (and runs the UserPool contract against it):
 * - a user whose hash is the first release's scrypt signs in, and the stored hash becomes argon2id
 *   (a wrong password changes nothing)
 * - an unknown username costs a password hash as a known one does (timing tells nothing)
 * - a disabled user is refused with the generic error (audit code UserDisabled)
 * - creation checks the name, the policy, the groups and the staff municipality, and names are unique
 *   regardless of case: pinned by the contract, which runs here against the local pool
 * - users.json never holds a password in clear and is mode 0600; its files are those of DataDir.users
 * - concurrent creations all land (the pool's own queue serialises its writes)
 */
import { randomBytes, scryptSync } from "node:crypto";
import { readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DataDir } from "../local/data-dir.js";
import { TEST_LOCKOUT, testUserPool } from "../testing/auth.js";
import { describeUserPoolContract } from "../testing/contracts/user-pool.contract.js";
import { tempDir } from "../testing/fixtures.js";
import { SignInError } from "./auth-error.js";
import { LocalUserPool } from "./local-user-pool.js";
import { OWASP_ARGON2ID } from "./password.js";

const PASSWORD = "Correct-Horse-9";
const newDir = () => new DataDir(tempDir("catdata-pool-"));
const pool = (dir = newDir()) => testUserPool(dir);
const stored = (dir: DataDir) =>
  JSON.parse(readFileSync(dir.users.users, "utf8")) as { username: string; passwordHash: string }[];

describeUserPoolContract("local", async (clock) => testUserPool(newDir(), { clock }));

describe("LocalUserPool", () => {
  it("migrates a legacy scrypt hash to argon2id on a successful sign-in", async () => {
    const dir = newDir();
    const salt = randomBytes(16);
    const hash = scryptSync(PASSWORD, salt, 32, { N: 1024, r: 8, p: 1 });
    const legacy = `scrypt$1024$8$1$${salt.toString("base64")}$${hash.toString("base64")}`;
    const user = { username: "old", sub: "s-1", groups: ["viewer"], municipality: null, enabled: true };
    writeFileSync(
      dir.users.users,
      JSON.stringify([{ ...user, createdAt: "2024-01-01T00:00:00Z", passwordHash: legacy }]),
    );
    const users = pool(dir);
    await expect(users.authenticate("old", "Wrong-Horse-9")).rejects.toBeInstanceOf(SignInError);
    expect(stored(dir)[0]?.passwordHash).toBe(legacy);
    expect(await users.authenticate("old", PASSWORD)).toMatchObject({ username: "old", sub: "s-1" });
    expect(stored(dir)[0]?.passwordHash).toMatch(/^\$argon2id\$v=19\$m=1024,t=1,p=1\$/);
    expect(await users.authenticate("old", PASSWORD)).toMatchObject({ username: "old" });
  });

  it("spends a hash on unknown usernames as on known ones", async () => {
    const users = new LocalUserPool(newDir(), {
      hashParams: OWASP_ARGON2ID,
      lockout: { ...TEST_LOCKOUT, maxFailures: 100 },
    });
    await users.create({ username: "ana", password: PASSWORD, groups: ["analyst"] });
    const time = async (username: string) => {
      const started = performance.now();
      await users.authenticate(username, "Wrong-Horse-9").catch(() => undefined);
      return performance.now() - started;
    };
    await time("nobody"); // computes the dummy hash once
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[1] ?? 0;
    const known = median([await time("ana"), await time("ana"), await time("ana")]);
    const unknown = median([await time("nobody"), await time("nobody"), await time("nobody")]);
    // Without the dummy hash an unknown name would answer ~50× faster; the bound leaves room for a busy machine.
    expect(unknown / known).toBeGreaterThan(0.3);
  });

  it("refuses a disabled user with the generic error", async () => {
    const users = pool();
    await users.create({ username: "ana", password: PASSWORD, groups: ["analyst"] });
    await users.setEnabled("ana", false);
    const error = (await users.authenticate("ana", PASSWORD).catch((e: unknown) => e)) as SignInError;
    expect([error.message, error.auditCode]).toEqual(["incorrect username or password", "UserDisabled"]);
    await users.setEnabled("ana", true);
    expect((await users.authenticate("ana", PASSWORD)).enabled).toBe(true);
  });

  it("stores hashes only, in a file only the owner can read", async () => {
    const dir = newDir();
    await pool(dir).create({ username: "ana", password: PASSWORD, groups: ["analyst"] });
    expect(readFileSync(dir.users.users, "utf8")).not.toContain(PASSWORD);
    expect(statSync(dir.users.users).mode & 0o777).toBe(0o600);
    expect(dir.users.users).toBe(path.join(dir.root, "users.json"));
  });

  it("keeps every one of concurrent creations", async () => {
    const dir = newDir();
    const users = pool(dir);
    const names = ["ana", "bob", "cho", "dev", "eve"];
    await Promise.all(names.map((username) => users.create({ username, password: PASSWORD, groups: ["viewer"] })));
    expect(
      stored(dir)
        .map((u) => u.username)
        .sort(),
    ).toEqual(names);
  });
});
