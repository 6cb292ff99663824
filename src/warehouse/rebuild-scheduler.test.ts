/**
 * Pins the rebuild-after-load scheduler: requests during a running rebuild share ONE follow-up
 * rebuild that starts after the running one ends, each given the lake; a failed rebuild is logged
 * and resolves to null.
 */
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import type { Lake } from "../lake/lake.js";
import { createRebuildScheduler } from "./rebuild-scheduler.js";
import type { RebuildSummary, Warehouse } from "./warehouse.js";

const lake = { location: "/lake" } as Lake;

function fakeWarehouse(fail = false) {
  const calls: { finish: () => void; lake: Lake }[] = [];
  const warehouse = {
    rebuild: (from: Lake) =>
      new Promise<RebuildSummary>((resolve, reject) => {
        const finish = () =>
          fail ? reject(new Error("lake unreadable")) : resolve({ builtAt: `#${calls.length}` } as RebuildSummary);
        calls.push({ finish, lake: from });
      }),
  } as unknown as Warehouse;
  return { warehouse, calls };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe("rebuild scheduler", () => {
  it("coalesces requests made while a rebuild runs into one more rebuild", async () => {
    const { warehouse, calls } = fakeWarehouse();
    const scheduler = createRebuildScheduler(warehouse, lake, pino({ level: "silent" }));
    const first = scheduler.request();
    const later = [scheduler.request(), scheduler.request(), scheduler.request()];
    await tick();
    expect(calls).toHaveLength(1);
    calls[0]!.finish();
    expect(await first).toMatchObject({ builtAt: "#1" });
    await tick();
    expect(calls).toHaveLength(2);
    calls[1]!.finish();
    expect((await Promise.all(later)).map((s) => s?.builtAt)).toEqual(["#2", "#2", "#2"]);
    await scheduler.idle();
    expect(calls).toHaveLength(2);
    expect(calls.map((c) => c.lake)).toEqual([lake, lake]);
  });

  it("logs a failed rebuild and resolves to null", async () => {
    const { warehouse, calls } = fakeWarehouse(true);
    let logged = "";
    const logger = pino(
      { level: "error" },
      {
        write: (s: string) => {
          logged += s;
        },
      },
    );
    const pending = createRebuildScheduler(warehouse, lake, logger).request();
    calls[0]!.finish();
    expect(await pending).toBeNull();
    expect(logged).toContain("lake unreadable");
  });
});
