import type { LockoutSettings } from "../config/config.js";
import type { KeyedQueue } from "../local/key-queue.js";
import type { Clock } from "./clock.js";
import { JsonFile } from "./json-file.js";

/**
 * Lock-out after repeated sign-in failures, kept in one file (`sign-in-failures.json` of the data directory) so that the CLI
 * (`catdata users unlock`) and every server process see the same state. Failures are counted per
 * username (known or not, so locking reveals nothing about which names exist) and per source IP
 * (all usernames, so spraying one password over many names is slowed too).
 */
interface Entry {
  /** Epoch ms of the failures inside the window. */
  failures: number[];
  lockedUntil: number | null;
}
type Failures = Record<string, Entry>;

/** More keys than this and the oldest are forgotten, so a flood of made-up names cannot grow the file. */
const MAX_KEYS = 10_000;

export const userKey = (username: string) => `user:${username.toLowerCase()}`;
export const ipKey = (sourceIp: string) => `ip:${sourceIp}`;

export class Lockout {
  private readonly store: JsonFile<Failures>;

  constructor(
    file: string,
    readonly settings: LockoutSettings,
    private readonly clock: Clock,
    queue?: KeyedQueue,
  ) {
    this.store = new JsonFile<Failures>(file, () => ({}), queue);
  }

  /** The latest time any of `keys` stays locked until, or null when none is locked now. */
  async lockedUntil(keys: string[]): Promise<Date | null> {
    const all = await this.store.read();
    const until = Math.max(0, ...keys.map((k) => all[k]?.lockedUntil ?? 0));
    return until > this.clock().getTime() ? new Date(until) : null;
  }

  /** Counts one failure against the username and the source IP; reaching a limit locks that key. */
  async recordFailure(username: string, sourceIp: string | undefined): Promise<void> {
    const now = this.clock().getTime();
    const { maxFailures, maxFailuresPerIp, windowMs, lockMs } = this.settings;
    await this.store.update((all) => {
      prune(all, now, windowMs);
      const bump = (key: string, max: number) => {
        const entry = all[key] ?? { failures: [], lockedUntil: null };
        entry.failures = [...entry.failures.filter((t) => t > now - windowMs), now];
        if (entry.failures.length >= max) {
          entry.lockedUntil = now + lockMs;
          entry.failures = [];
        }
        all[key] = entry;
      };
      bump(userKey(username), maxFailures);
      if (sourceIp) bump(ipKey(sourceIp), maxFailuresPerIp);
    });
  }

  /** Forgets the failures and any lock of one key; true when there was something to forget. */
  async clear(key: string): Promise<boolean> {
    if (!(key in (await this.store.read()))) return false;
    return this.store.update((all) => {
      const had = key in all;
      delete all[key];
      return had;
    });
  }

  /** Keys locked now, with the time each lock ends. */
  async locked(): Promise<{ key: string; until: Date }[]> {
    const now = this.clock().getTime();
    return Object.entries(await this.store.read())
      .filter(([, e]) => (e.lockedUntil ?? 0) > now)
      .map(([key, e]) => ({ key, until: new Date(e.lockedUntil ?? 0) }));
  }
}

function prune(all: Failures, now: number, windowMs: number): void {
  for (const [key, e] of Object.entries(all)) {
    e.failures = e.failures.filter((t) => t > now - windowMs);
    if (e.failures.length === 0 && (e.lockedUntil ?? 0) <= now) delete all[key];
  }
  const keys = Object.keys(all);
  if (keys.length < MAX_KEYS) return;
  const last = (e: Entry | undefined) => Math.max(e?.lockedUntil ?? 0, ...(e?.failures ?? []));
  keys.sort((a, b) => last(all[a]) - last(all[b]));
  for (const key of keys.slice(0, keys.length - MAX_KEYS + 1)) delete all[key];
}
