import { randomBytes } from "node:crypto";

let lastMs = 0;
let counter = 0;

/**
 * A version id that sorts by creation time (lexicographically), unique across processes:
 * 12 hex digits of milliseconds, 4 of a per-process counter, 8 random.
 */
export function newVersionId(now: () => number = Date.now): string {
  const ms = now();
  if (ms === lastMs) counter += 1;
  else {
    lastMs = ms;
    counter = 0;
  }
  return `${ms.toString(16).padStart(12, "0")}${(counter & 0xffff).toString(16).padStart(4, "0")}${randomBytes(4).toString("hex")}`;
}
