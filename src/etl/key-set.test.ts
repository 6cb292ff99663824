/**
 * Pins KeySet: add() is true exactly once per distinct key, across growth, for a million keys,
 * and keys that differ in one character (or only by Japanese text) are distinct.
 */
import { describe, expect, it } from "vitest";
import { KeySet } from "./key-set.js";

describe("KeySet", () => {
  it("reports each distinct key once across growth", () => {
    const set = new KeySet(16);
    let added = 0;
    for (let i = 0; i < 1_000_000; i++) if (set.add(`A${i}|2019-01-0${i % 9}`)) added++;
    expect(added).toBe(1_000_000);
    expect(set.size).toBe(1_000_000);
    for (let i = 0; i < 1_000_000; i += 997) expect(set.add(`A${i}|2019-01-0${i % 9}`)).toBe(false);
  });

  it("tells near-identical keys apart", () => {
    const set = new KeySet();
    expect(set.add("131041|猫-1|2024-04-01")).toBe(true);
    expect(set.add("131041|猫-2|2024-04-01")).toBe(true);
    expect(set.add("131041|猫-1|2024-04-02")).toBe(true);
    expect(set.add("131041|猫-1|2024-04-01")).toBe(false);
    expect(set.add("")).toBe(true);
    expect(set.add("")).toBe(false);
  });
});
