import { randomInt, scrypt as scryptCb, timingSafeEqual } from "node:crypto";
import { promisify } from "node:util";
import { type Algorithm, hash, parseOptions, verify } from "@node-rs/argon2";

/**
 * Password hashes: argon2id (PHC string `$argon2id$v=19$m=…,t=…,p=…$salt$hash`) with OWASP's
 * parameters. Hashes of the first release (`scrypt$N$r$p$salt$hash`) still verify, and
 * `needsRehash` tells the pool to replace them with argon2id at the next successful sign-in.
 */
export interface HashParams {
  /** Memory in KiB (`m`). */
  memoryCost: number;
  /** Passes (`t`). */
  timeCost: number;
  /** Lanes (`p`). */
  parallelism: number;
}

/** OWASP Password Storage Cheat Sheet: argon2id, m=19 MiB, t=2, p=1. */
export const OWASP_ARGON2ID: HashParams = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

// `Algorithm` is an ambient const enum (not importable as a value under isolatedModules); 2 is Argon2id.
const ARGON2ID = 2 as Algorithm;

export function hashPassword(password: string, params: HashParams = OWASP_ARGON2ID): Promise<string> {
  return hash(password, { ...params, algorithm: ARGON2ID });
}

/** True when `password` matches `stored` (argon2id or the legacy scrypt form); false for anything malformed. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  if (stored.startsWith("$argon2id$")) return verify(stored, password).catch(() => false);
  if (stored.startsWith("scrypt$")) return verifyLegacyScrypt(password, stored);
  return false;
}

/** True when `stored` is not argon2id with exactly `params` (legacy scrypt, or older parameters). */
export function needsRehash(stored: string, params: HashParams = OWASP_ARGON2ID): boolean {
  if (!stored.startsWith("$argon2id$")) return true;
  try {
    const o = parseOptions(stored);
    return o.memoryCost !== params.memoryCost || o.timeCost !== params.timeCost || o.parallelism !== params.parallelism;
  } catch {
    return true;
  }
}

const scrypt = promisify(scryptCb) as (pw: string, salt: Buffer, len: number, opts: object) => Promise<Buffer>;

async function verifyLegacyScrypt(password: string, stored: string): Promise<boolean> {
  const [, n, r, p, salt, expectedHash] = stored.split("$");
  const [N, R, P] = [Number(n), Number(r), Number(p)];
  const sane = Number.isInteger(Math.log2(N)) && N <= 2 ** 20 && R >= 1 && R <= 32 && P >= 1 && P <= 16;
  if (!sane || !salt || !expectedHash) return false;
  const expected = Buffer.from(expectedHash, "base64");
  try {
    const actual = await scrypt(password, Buffer.from(salt, "base64"), expected.length, {
      N,
      r: R,
      p: P,
      maxmem: 256 * 1024 * 1024,
    });
    return timingSafeEqual(actual, expected);
  } catch {
    return false;
  }
}

/** Cognito's default password policy: 8–256 characters with a lower-case, an upper-case, a digit and a symbol. */
export function passwordPolicyProblems(password: string): string[] {
  const problems: string[] = [];
  if (password.length < 8) problems.push("at least 8 characters");
  if (password.length > 256) problems.push("at most 256 characters");
  if (password.trim() !== password) problems.push("no leading or trailing space");
  if (!/[a-z]/.test(password)) problems.push("a lower-case letter");
  if (!/[A-Z]/.test(password)) problems.push("an upper-case letter");
  if (!/[0-9]/.test(password)) problems.push("a digit");
  if (!/[\^$*.[\]{}()?"!@#%&/\\,><':;|_~`=+-]/.test(password)) problems.push("a symbol");
  return problems;
}

/** A random password that meets the policy (for the demo admin, printed once). */
export function generatePassword(length = 20): string {
  const sets = ["abcdefghijkmnopqrstuvwxyz", "ABCDEFGHJKLMNPQRSTUVWXYZ", "23456789", "!#%+-=_~"];
  const all = sets.join("");
  const chars = sets.map((s) => s[randomInt(s.length)] as string);
  while (chars.length < length) chars.push(all[randomInt(all.length)] as string);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j] as string, chars[i] as string];
  }
  return chars.join("");
}
