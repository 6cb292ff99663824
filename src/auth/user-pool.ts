import type { Group } from "./groups.js";
import type { IssuedRefreshToken } from "./refresh-tokens.js";

export { GROUPS, type Group } from "./groups.js";

/**
 * The user pool port (the Cognito `cat-data-users` role): username (case-insensitive) + password,
 * groups, a municipality attribute, lock-out after failed sign-ins, and refresh-token sessions. What
 * the API routes, the CLI (`catdata users`) and the demo seed use. Implementations: `LocalUserPool`
 * (`local-user-pool.ts`, files in the data directory); Cognito itself is the other one, to come.
 */
export interface User {
  username: string;
  /** Cognito's `sub`. */
  sub: string;
  groups: Group[];
  municipality: string | null;
  enabled: boolean;
  createdAt: string;
}

export interface NewUser {
  username: string;
  password: string;
  groups: Group[];
  municipality?: string | null;
}

/** Where a sign-in comes from: the source IP counts failures across usernames. */
export interface SignInContext {
  sourceIp?: string | undefined;
}

export interface UserPool {
  /** Every user, with the time its lock-out ends when it is locked now. */
  list(): Promise<(User & { lockedUntil: string | null })[]>;
  /** NOT_FOUND when there is no such user. */
  get(username: string): Promise<User>;
  /** BAD_INPUT for a bad name, password, group or municipality; CONFLICT when the name (any case) exists. */
  create(input: NewUser): Promise<User>;
  /** Checks a username and password; every failure is the same generic `SignInError` (its auditCode says which). */
  authenticate(username: string, password: string, context?: SignInContext): Promise<User>;
  /** Changes one's own password: the current one must be right (and counts towards lock-out). */
  changePassword(username: string, current: string, next: string, context?: SignInContext): Promise<void>;
  /** Sets a password (admin reset or own change): ends every session and any lock-out of the user. */
  setPassword(username: string, password: string): Promise<void>;
  /** Enables or disables a user; disabling also ends its sessions. */
  setEnabled(username: string, enabled: boolean): Promise<User>;
  /** Lifts a lock-out of a username now (true when it had failures or a lock). */
  unlock(username: string): Promise<boolean>;
  /** Lifts a lock-out of a source IP now (true when it had failures or a lock). */
  unlockIp(sourceIp: string): Promise<boolean>;
  /** A new session (refresh-token family) for a user who just signed in. */
  startSession(user: User): Promise<IssuedRefreshToken>;
  /** Rotates a refresh token and returns its user, refusing users disabled or deleted since. */
  refresh(token: string): Promise<{ user: User; refreshToken: IssuedRefreshToken }>;
  /** Ends the session of a refresh token (sign-out); unknown tokens are ignored. */
  endSession(token: string): Promise<void>;
}
