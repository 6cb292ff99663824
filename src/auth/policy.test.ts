/**
 * Pins the policy's pure decisions:
 * - a rule beyond what its scope may allow (viewers on records, staff on all-records, anyone but admin on admin-only) is refused when declared
 * - a user acts as their strongest group; unknown or no groups are refused (403), no principal is 401
 * - record scoping: admin/analyst as asked; staff their own (another is 403); viewers and staff without a municipality 403
 * - exact counts: admin/analyst everywhere, staff for their own municipality, viewers nowhere
 */
import { describe, expect, it } from "vitest";
import {
  assertRule,
  checkAccess,
  exactCountsScope,
  RULES,
  recordMunicipality,
  roleOf,
  seesExactCounts,
} from "./policy.js";
import type { Claims } from "./tokens.js";

const who = (groups: Claims["groups"], municipality: string | null = null): Claims => ({
  sub: "s",
  username: "u",
  groups,
  municipality,
  tokenUse: "access",
});

describe("policy", () => {
  it("refuses rules that allow more than their scope may", () => {
    expect(() => assertRule({ allow: ["viewer"], scope: "own-municipality-records" })).toThrow(/may not allow viewer/);
    expect(() => assertRule({ allow: ["staff"], scope: "all-records" })).toThrow(/may not allow staff/);
    expect(() => assertRule({ allow: ["analyst"], scope: "admin-only" })).toThrow(/may not allow analyst/);
    for (const rule of Object.values(RULES)) expect(() => assertRule(rule)).not.toThrow();
  });

  it("uses the strongest group and refuses the rest", () => {
    expect(roleOf(who(["viewer", "analyst"]))).toBe("analyst");
    expect(() => checkAccess(RULES.adminOnly, undefined)).toThrow(expect.objectContaining({ status: 401 }));
    expect(() => checkAccess(RULES.adminOnly, who(["analyst"]))).toThrow(expect.objectContaining({ status: 403 }));
    expect(() => checkAccess(RULES.aggregates, who([]))).toThrow(expect.objectContaining({ status: 403 }));
    expect(() => checkAccess(RULES.public, undefined)).not.toThrow();
  });

  it("scopes record-level reads", () => {
    expect(recordMunicipality(who(["analyst"]), "131041")).toBe("131041");
    expect(recordMunicipality(who(["admin"]), undefined)).toBeUndefined();
    expect(recordMunicipality(who(["staff"], "131041"), undefined)).toBe("131041");
    expect(() => recordMunicipality(who(["staff"], "131041"), "us-tx-austin")).toThrow(
      /may not read records of us-tx-austin/,
    );
    expect(() => recordMunicipality(who(["staff"]), undefined)).toThrow(expect.objectContaining({ status: 403 }));
    expect(() => recordMunicipality(who(["viewer"]), undefined)).toThrow(expect.objectContaining({ status: 403 }));
  });

  it("decides who sees exact counts", () => {
    expect(seesExactCounts(who(["analyst"]), "x")).toBe(true);
    expect(seesExactCounts(who(["staff"], "x"), "x")).toBe(true);
    expect(seesExactCounts(who(["staff"], "x"), "y")).toBe(false);
    expect(seesExactCounts(who(["viewer"]), "x")).toBe(false);
    expect([
      exactCountsScope(who(["admin"])),
      exactCountsScope(who(["staff"], "x")),
      exactCountsScope(who(["viewer"])),
    ]).toEqual(["all", { municipality: "x" }, null]);
  });
});
