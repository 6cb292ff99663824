/**
 * Pins the lake's shared part checks: verifyParts checks every listed part once, at most
 * VERIFY_CONCURRENCY at a time, and reports parts without a recorded checksum as "unrecorded".
 */
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { emptyCatalog } from "./catalog-state.js";
import { VERIFY_CONCURRENCY, verifyParts } from "./part-integrity.js";

describe("verifyParts", () => {
  it(`checks at most VERIFY_CONCURRENCY (${VERIFY_CONCURRENCY}) parts at a time, every part once`, async () => {
    const state = emptyCatalog();
    const entry = (i: number) => ({
      path: `intakes/municipality=1/fiscal_year=2024/p${i}.parquet`,
      jobId: "j",
      municipality: "1",
      fiscalYear: 2024,
      sha256: "a".repeat(64),
      size: 1,
    });
    state.tables.intakes = { files: Array.from({ length: 20 }, (_, i) => entry(i)), updatedAt: "" };
    let inside = 0;
    let most = 0;
    const seen: string[] = [];
    const problems = await verifyParts(state, ["intakes"], async (_d, e) => {
      inside += 1;
      most = Math.max(most, inside);
      await sleep(2);
      inside -= 1;
      seen.push(e.path);
      return undefined;
    });
    expect(problems).toEqual([]);
    expect(most).toBe(VERIFY_CONCURRENCY);
    expect(seen.sort()).toEqual(state.tables.intakes.files.map((f) => f.path).sort());
  });

  it("reports a part listed without a checksum as unrecorded, without checking it", async () => {
    const state = emptyCatalog();
    const legacy = {
      path: "intakes/municipality=1/fiscal_year=2024/old.parquet",
      jobId: "old",
      municipality: "1",
      fiscalYear: 2024,
    };
    state.tables.intakes = { files: [legacy], updatedAt: "" };
    const problems = await verifyParts(state, ["intakes"], async () => {
      throw new Error("not checked");
    });
    expect(problems).toEqual([
      { dataset: "intakes", path: legacy.path, jobId: "old", problem: "unrecorded", detail: "no checksum recorded" },
    ]);
  });
});
