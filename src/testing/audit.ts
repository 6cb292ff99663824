import { generateKeyPairSync, randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Timers } from "../audit/timers.js";
import { type SigningKey, toSigningKey } from "../keys/trail-signing-key.js";
import { DataDir } from "../local/data-dir.js";
import { LocalObjectStore } from "../store/local-store.js";

/**
 * Test helpers for the audit trail (not shipped behaviour): a manual clock whose timers fire as it
 * advances, an encrypted local store on that clock, and one RSA signing key per test process.
 */
export interface ManualClock {
  now: () => Date;
  timers: Timers;
  /** Moves time forward, firing every timer whose period elapses, in time order; awaits their work. */
  advance(ms: number): Promise<void>;
}

export function manualClock(start = "2024-05-01T10:00:00Z"): ManualClock {
  let t = Date.parse(start);
  const timers: { every: number; next: number; fn: () => unknown; stopped: boolean }[] = [];
  return {
    now: () => new Date(t),
    timers: {
      every(ms, fn) {
        const timer = { every: ms, next: t + ms, fn, stopped: false };
        timers.push(timer);
        return () => {
          timer.stopped = true;
        };
      },
    },
    async advance(ms) {
      const end = t + ms;
      for (;;) {
        const due = timers.filter((x) => !x.stopped && x.next <= end).sort((a, b) => a.next - b.next)[0];
        if (!due) break;
        t = due.next;
        due.next += due.every;
        await due.fn();
      }
      t = end;
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
}

const masterKey = randomBytes(32);

/** An encrypted local store in the data directory `dir`, on the clock; one master key for every dir, so copies open. */
export const storeOnClock = (clock: { now: () => Date }, dir = mkdtempSync(path.join(os.tmpdir(), "catdata-audit-"))) =>
  new LocalObjectStore(new DataDir(dir).store, "cat-data-bucket", masterKey, clock.now);

let key: SigningKey | undefined;
export function testSigningKey(): SigningKey {
  key ??= toSigningKey(generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey);
  return key;
}
