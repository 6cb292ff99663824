import type { LockoutSettings } from "../config/config.js";
import { badInput, CatdataError, notFound } from "../errors.js";
import type { DataDir } from "../local/data-dir.js";
import { KeyedQueue } from "../local/key-queue.js";
import { refreshFailed, SignInError } from "./auth-error.js";
import { type Clock, systemClock } from "./clock.js";
import { JsonFile } from "./json-file.js";
import { ipKey, Lockout, userKey } from "./lockout.js";
import { type HashParams, hashPassword, needsRehash, OWASP_ARGON2ID, verifyPassword } from "./password.js";
import { type IssuedRefreshToken, RefreshTokenStore } from "./refresh-tokens.js";
import { assertPasswordPolicy, validateNewUser } from "./user-input.js";
import type { NewUser, SignInContext, User, UserPool } from "./user-pool.js";

interface StoredUser extends User {
  passwordHash: string;
}

export interface LocalUserPoolOptions {
  /** Lock-out limits (`config.auth.lockout`). */
  lockout: LockoutSettings;
  clock?: Clock;
  /** argon2id parameters for new hashes (tests pass cheap ones; production keeps OWASP's). */
  hashParams?: HashParams;
}

const strip = ({ passwordHash: _, ...user }: StoredUser): User => user;
const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/**
 * The user pool on local disk: the three files of `DataDir.users` (`users.json`,
 * `sign-in-failures.json`, `refresh-tokens.json`; all mode 0600, written atomically, updates
 * serialised by the pool's own queue and a lock file, so the CLI and the server can share them).
 */
export class LocalUserPool implements UserPool {
  readonly lockout: Lockout;
  readonly refreshTokens: RefreshTokenStore;
  private readonly users: JsonFile<StoredUser[]>;
  private readonly hashParams: HashParams;
  private readonly clock: Clock;
  private dummyHash: Promise<string> | undefined;

  constructor(dataDir: DataDir, options: LocalUserPoolOptions) {
    const clock = options.clock ?? systemClock;
    const files = dataDir.users;
    const queue = new KeyedQueue();
    this.clock = clock;
    this.users = new JsonFile<StoredUser[]>(files.users, () => [], queue);
    this.hashParams = options.hashParams ?? OWASP_ARGON2ID;
    this.lockout = new Lockout(files.signInFailures, options.lockout, clock, queue);
    this.refreshTokens = new RefreshTokenStore(files.refreshTokens, clock, queue);
  }

  /** Every user, with the time its lock-out ends when it is locked now. */
  async list(): Promise<(User & { lockedUntil: string | null })[]> {
    const locks = new Map((await this.lockout.locked()).map((l) => [l.key, l.until.toISOString()]));
    return (await this.users.read()).map((u) => ({ ...strip(u), lockedUntil: locks.get(userKey(u.username)) ?? null }));
  }

  async get(username: string): Promise<User> {
    const user = (await this.users.read()).find((u) => same(u.username, username));
    if (!user) throw notFound(`no user ${username}`, "list the users with `catdata users list`");
    return strip(user);
  }

  async create(input: NewUser): Promise<User> {
    validateNewUser(input);
    const passwordHash = await hashPassword(input.password, this.hashParams);
    return this.users.update((users) => {
      if (users.some((u) => same(u.username, input.username))) {
        throw new CatdataError("CONFLICT", `user ${input.username} already exists`);
      }
      const user: StoredUser = {
        username: input.username,
        sub: crypto.randomUUID(),
        groups: [...new Set(input.groups)],
        municipality: input.municipality ?? null,
        enabled: true,
        createdAt: this.clock().toISOString(),
        passwordHash,
      };
      users.push(user);
      return strip(user);
    });
  }

  /**
   * Checks a username and password. Every failure is the same generic error (its `auditCode` says
   * which); unknown usernames and locked ones still cost one hash, so timing tells nothing either.
   * A correct legacy (scrypt) or outdated hash is replaced by an argon2id one.
   */
  async authenticate(username: string, password: string, context: SignInContext = {}): Promise<User> {
    const keys = [userKey(username), ...(context.sourceIp ? [ipKey(context.sourceIp)] : [])];
    const locked = await this.lockout.lockedUntil(keys);
    const user = (await this.users.read()).find((u) => same(u.username, username));
    const ok = await verifyPassword(password, locked || !user ? await this.dummy() : user.passwordHash);
    if (locked) throw new SignInError("UserLockedOut");
    if (!user || !ok) {
      await this.lockout.recordFailure(username, context.sourceIp);
      throw new SignInError(user ? "NotAuthorizedException" : "UserNotFoundException");
    }
    if (!user.enabled) throw new SignInError("UserDisabled");
    await this.lockout.clear(userKey(username));
    if (needsRehash(user.passwordHash, this.hashParams)) await this.storeHash(user.username, password);
    return strip(user);
  }

  /** Changes one's own password: the current one must be right (and counts towards lock-out). */
  async changePassword(username: string, current: string, next: string, context: SignInContext = {}) {
    assertPasswordPolicy(next);
    await this.authenticate(username, current, context);
    await this.setPassword(username, next);
  }

  /** Sets a password (admin reset or own change): ends every session and any lock-out of the user. */
  async setPassword(username: string, password: string): Promise<void> {
    assertPasswordPolicy(password);
    const name = (await this.get(username)).username;
    await this.storeHash(name, password);
    await this.refreshTokens.revokeUser(name);
    await this.lockout.clear(userKey(name));
  }

  /** Enables or disables a user; disabling also revokes its refresh tokens (its access tokens expire within 1 h). */
  async setEnabled(username: string, enabled: boolean): Promise<User> {
    const user = await this.users.update((users) => {
      const found = users.find((u) => same(u.username, username));
      if (!found) throw notFound(`no user ${username}`, "list the users with `catdata users list`");
      found.enabled = enabled;
      return strip(found);
    });
    if (!enabled) await this.refreshTokens.revokeUser(user.username);
    return user;
  }

  /** Lifts a lock-out of a username now (true when it had failures or a lock). */
  unlock(username: string): Promise<boolean> {
    return this.lockout.clear(userKey(username));
  }

  unlockIp(sourceIp: string): Promise<boolean> {
    return this.lockout.clear(ipKey(sourceIp));
  }

  /** A new session (refresh-token family) for a user who just signed in. */
  startSession(user: User): Promise<IssuedRefreshToken> {
    return this.refreshTokens.issue(user.username);
  }

  /** Rotates a refresh token and returns its user, refusing users disabled or deleted since. */
  async refresh(token: string): Promise<{ user: User; refreshToken: IssuedRefreshToken }> {
    const refreshToken = await this.refreshTokens.rotate(token);
    const user = (await this.users.read()).find((u) => u.username === refreshToken.username);
    if (!user?.enabled) {
      await this.refreshTokens.revoke(refreshToken.token);
      throw refreshFailed("UserDisabled");
    }
    return { user: strip(user), refreshToken };
  }

  endSession(token: string): Promise<void> {
    return this.refreshTokens.revoke(token);
  }

  private async storeHash(username: string, password: string): Promise<void> {
    const passwordHash = await hashPassword(password, this.hashParams);
    await this.users.update((users) => {
      const found = users.find((u) => u.username === username);
      if (!found) throw badInput(`no user ${username}`);
      found.passwordHash = passwordHash;
    });
  }

  /** A hash of a random password with the pool's parameters, verified against when there is no real one. */
  private dummy(): Promise<string> {
    this.dummyHash ??= hashPassword(crypto.randomUUID(), this.hashParams);
    return this.dummyHash;
  }
}
