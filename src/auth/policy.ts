import { CatdataError } from "../errors.js";
import { GROUPS, type Group } from "./groups.js";
import type { Claims } from "./tokens.js";

/**
 * Who may do what. Every route declares a `Rule` (through `authorize(deps, rule)`): the groups it
 * allows and the scope of data it serves. A user acts as their strongest group (admin > analyst >
 * staff > viewer). These functions are pure; the middleware and the routes call them.
 */
export type Scope =
  /** Anyone, no token: sign-in, token refresh, the JWKS. */
  | "public"
  /** Any signed-in user, about their own account only (password change). */
  | "self"
  /** Non-sensitive reference data (the list of municipalities). */
  | "reference"
  /** Record-level rows: staff only of their own municipality, viewers never. */
  | "own-municipality-records"
  /** Counts; cells of municipalities the caller may not read record by record are suppressed when small. */
  | "aggregates"
  /** Record-level rows of every municipality (read-only SQL). */
  | "all-records"
  /** User administration, the CloudTrail security views. */
  | "admin-only";

export interface Rule {
  allow: readonly Group[];
  scope: Scope;
}

export const RULES = {
  public: { allow: GROUPS, scope: "public" },
  self: { allow: GROUPS, scope: "self" },
  reference: { allow: GROUPS, scope: "reference" },
  records: { allow: ["admin", "analyst", "staff"], scope: "own-municipality-records" },
  aggregates: { allow: GROUPS, scope: "aggregates" },
  analystSql: { allow: ["admin", "analyst"], scope: "all-records" },
  adminOnly: { allow: ["admin"], scope: "admin-only" },
} as const satisfies Record<string, Rule>;

/** The most a scope may ever allow: a rule beyond it is a programming error, refused when the app is built. */
const MAY_ALLOW: Record<Scope, readonly Group[]> = {
  public: GROUPS,
  self: GROUPS,
  reference: GROUPS,
  aggregates: GROUPS,
  "own-municipality-records": ["admin", "analyst", "staff"],
  "all-records": ["admin", "analyst"],
  "admin-only": ["admin"],
};

export function assertRule(rule: Rule): void {
  const beyond = rule.allow.filter((g) => !MAY_ALLOW[rule.scope].includes(g));
  if (beyond.length > 0) throw new Error(`a "${rule.scope}" route may not allow ${beyond.join(", ")}`);
}

/** The strongest group of a principal, or null when it has none we know. */
export function roleOf(principal: Claims): Group | null {
  return GROUPS.find((g) => principal.groups.includes(g)) ?? null;
}

/** Throws 401 without a principal (unless public), 403 when the principal's role is not allowed. */
export function checkAccess(rule: Rule, principal: Claims | undefined): void {
  if (rule.scope === "public") return;
  if (!principal) {
    throw new CatdataError("UNAUTHENTICATED", "sign-in required", {
      hint: "send Authorization: Bearer <token> from POST /auth/login",
    });
  }
  const role = roleOf(principal);
  if (!role || !rule.allow.includes(role)) {
    throw new CatdataError("FORBIDDEN", `the ${role ?? "(no group)"} group may not use this route`, {
      hint: `it needs one of: ${rule.allow.join(", ")}`,
    });
  }
}

/**
 * The municipality a record-level read is limited to (undefined: all). Staff get their own, and asking
 * for another is 403; viewers (and staff without a municipality) may not read records at all.
 */
export function recordMunicipality(principal: Claims, asked: string | undefined): string | undefined {
  const role = roleOf(principal);
  if (role === "admin" || role === "analyst") return asked;
  if (role === "staff" && principal.municipality) {
    if (asked !== undefined && asked !== principal.municipality) {
      throw new CatdataError("FORBIDDEN", `staff of ${principal.municipality} may not read records of ${asked}`, {
        hint: "leave the municipality out or ask for your own; other municipalities are visible as aggregates",
      });
    }
    return principal.municipality;
  }
  throw new CatdataError("FORBIDDEN", "record-level data needs the admin, analyst or staff group", {
    hint: "aggregates are at /cats/stats",
  });
}

/**
 * Whether the caller may see an upload — its job record, counts and quarantined raw rows — whose data
 * belongs to `municipality` (null: not known, e.g. an admin's upload that named none). Admins see every
 * upload; staff only their own municipality's, never one without a municipality; nobody else any.
 */
export function mayReadUpload(principal: Claims, municipality: string | null): boolean {
  const role = roleOf(principal);
  if (role === "admin") return true;
  return role === "staff" && Boolean(principal.municipality) && municipality === principal.municipality;
}

/** Where the caller sees exact counts: everywhere (admins, analysts), one municipality (staff), or nowhere. */
export function exactCountsScope(principal: Claims): "all" | { municipality: string } | null {
  const role = roleOf(principal);
  if (role === "admin" || role === "analyst") return "all";
  return role === "staff" && principal.municipality ? { municipality: principal.municipality } : null;
}

/** Whether the caller sees exact counts of `municipality` (they may read its records anyway). */
export function seesExactCounts(principal: Claims, municipality: string): boolean {
  const scope = exactCountsScope(principal);
  return scope === "all" || scope?.municipality === municipality;
}
