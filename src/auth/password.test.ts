/**
 * Pins password hashing:
 * - new hashes are argon2id with OWASP's parameters by default (m=19456, t=2, p=1), or the ones passed
 * - the right password verifies, a wrong one and malformed hashes do not
 * - hashes of the first release (scrypt$N$r$p$salt$hash) still verify, and need a rehash
 * - argon2id hashes with other parameters need a rehash; current ones do not
 * - Cognito's default password policy names each missing requirement
 */
import { randomBytes, scryptSync } from "node:crypto";
import { parseOptions } from "@node-rs/argon2";
import { describe, expect, it } from "vitest";
import { FAST_TEST_HASH } from "../testing/auth.js";
import { hashPassword, needsRehash, OWASP_ARGON2ID, passwordPolicyProblems, verifyPassword } from "./password.js";

const legacyScrypt = (password: string) => {
  const salt = randomBytes(16);
  const hash = scryptSync(password, salt, 32, { N: 1024, r: 8, p: 1 });
  return `scrypt$1024$8$1$${salt.toString("base64")}$${hash.toString("base64")}`;
};

describe("password hashes", () => {
  it("hashes with argon2id and OWASP's parameters by default", async () => {
    const stored = await hashPassword("Correct-Horse-9");
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(parseOptions(stored)).toMatchObject(OWASP_ARGON2ID);
    expect(needsRehash(stored)).toBe(false);
  });

  it("verifies the right password only", async () => {
    const stored = await hashPassword("Correct-Horse-9", FAST_TEST_HASH);
    expect(await verifyPassword("Correct-Horse-9", stored)).toBe(true);
    expect(await verifyPassword("correct-horse-9", stored)).toBe(false);
    expect(await verifyPassword("Correct-Horse-9", "$argon2id$v=19$m=1024,t=1,p=1$broken")).toBe(false);
    expect(await verifyPassword("Correct-Horse-9", "plain:Correct-Horse-9")).toBe(false);
  });

  it("still verifies legacy scrypt hashes and asks for their replacement", async () => {
    const stored = legacyScrypt("Old-Secret-1");
    expect(await verifyPassword("Old-Secret-1", stored)).toBe(true);
    expect(await verifyPassword("Old-Secret-2", stored)).toBe(false);
    expect(needsRehash(stored)).toBe(true);
    expect(await verifyPassword("Old-Secret-1", "scrypt$3$8$1$c2FsdA==$aGFzaA==")).toBe(false);
  });

  it("asks for a rehash when the argon2id parameters changed", async () => {
    const fast = await hashPassword("Correct-Horse-9", FAST_TEST_HASH);
    expect(needsRehash(fast, FAST_TEST_HASH)).toBe(false);
    expect(needsRehash(fast, OWASP_ARGON2ID)).toBe(true);
  });
});

describe("Cognito's default password policy", () => {
  it("names each missing requirement", () => {
    expect(passwordPolicyProblems("Correct-Horse-9")).toEqual([]);
    expect(passwordPolicyProblems("short")).toEqual([
      "at least 8 characters",
      "an upper-case letter",
      "a digit",
      "a symbol",
    ]);
    expect(passwordPolicyProblems(" Correct-Horse-9")).toEqual(["no leading or trailing space"]);
    expect(passwordPolicyProblems(`Aa1-${"x".repeat(260)}`)).toEqual(["at most 256 characters"]);
  });
});
