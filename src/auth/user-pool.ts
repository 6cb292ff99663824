import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { badInput, CatdataError, notFound } from "../errors.js";
import { hashPassword, passwordPolicyProblems, verifyPassword } from "./password.js";

/** The groups of `cat-data-users`. Staff are bound to one municipality. */
export const GROUPS = ["admin", "analyst", "staff", "viewer"] as const;
export type Group = (typeof GROUPS)[number];

export interface User {
  username: string;
  /** Cognito's `sub`. */
  sub: string;
  groups: Group[];
  municipality: string | null;
  enabled: boolean;
  createdAt: string;
}

interface StoredUser extends User {
  passwordHash: string;
}

/**
 * The local user pool (the Cognito `cat-data-users` role): username + password, groups, a
 * municipality attribute. Users live in `<home>/users.json`, written atomically.
 */
export class LocalUserPool {
  private readonly file: string;
  constructor(home: string) {
    this.file = path.join(home, "users.json");
  }

  private async load(): Promise<StoredUser[]> {
    try {
      return JSON.parse(await readFile(this.file, "utf8")) as StoredUser[];
    } catch {
      return [];
    }
  }

  private async save(users: StoredUser[]): Promise<void> {
    await mkdir(path.dirname(this.file), { recursive: true });
    await writeFile(`${this.file}.tmp`, JSON.stringify(users, null, 2), { mode: 0o600 });
    await rename(`${this.file}.tmp`, this.file);
  }

  async list(): Promise<User[]> {
    return (await this.load()).map(({ passwordHash: _, ...u }) => u);
  }

  async create(input: {
    username: string;
    password: string;
    groups: Group[];
    municipality?: string | null;
  }): Promise<User> {
    if (!/^[a-zA-Z0-9._@-]{3,64}$/.test(input.username)) {
      throw badInput(`invalid username ${JSON.stringify(input.username)}`, "use 3–64 letters, digits, . _ @ -");
    }
    const problems = passwordPolicyProblems(input.password);
    if (problems.length > 0) throw badInput(`the password needs ${problems.join(", ")}`);
    if (input.groups.includes("staff") && !input.municipality) {
      throw badInput("a staff user needs a municipality", "pass --municipality <code>");
    }
    const users = await this.load();
    if (users.some((u) => u.username === input.username)) {
      throw new CatdataError("CONFLICT", `user ${input.username} already exists`);
    }
    const user: StoredUser = {
      username: input.username,
      sub: crypto.randomUUID(),
      groups: input.groups,
      municipality: input.municipality ?? null,
      enabled: true,
      createdAt: new Date().toISOString(),
      passwordHash: await hashPassword(input.password),
    };
    await this.save([...users, user]);
    const { passwordHash: _, ...out } = user;
    return out;
  }

  /** Checks a username and password; one error message for both wrong cases (no user enumeration). */
  async authenticate(username: string, password: string): Promise<User> {
    const user = (await this.load()).find((u) => u.username === username);
    const ok = user ? await verifyPassword(password, user.passwordHash) : false;
    if (!user || !ok || !user.enabled) {
      throw new CatdataError("UNAUTHENTICATED", "incorrect username or password");
    }
    const { passwordHash: _, ...out } = user;
    return out;
  }

  async setPassword(username: string, password: string): Promise<void> {
    const problems = passwordPolicyProblems(password);
    if (problems.length > 0) throw badInput(`the password needs ${problems.join(", ")}`);
    const users = await this.load();
    const user = users.find((u) => u.username === username);
    if (!user) throw notFound(`no user ${username}`);
    user.passwordHash = await hashPassword(password);
    await this.save(users);
  }

  async setEnabled(username: string, enabled: boolean): Promise<void> {
    const users = await this.load();
    const user = users.find((u) => u.username === username);
    if (!user) throw notFound(`no user ${username}`);
    user.enabled = enabled;
    await this.save(users);
  }

  async get(username: string): Promise<User> {
    const user = (await this.list()).find((u) => u.username === username);
    if (!user) throw notFound(`no user ${username}`);
    return user;
  }
}
