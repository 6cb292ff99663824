import type { Lake } from "../lake/lake.js";
import type { Logger } from "../log/logger.js";
import type { RebuildSummary, Warehouse } from "./warehouse.js";

/**
 * Rebuilds the marts after loads without piling up work: at most one rebuild runs and at most one
 * waits. A request while one runs joins the waiting rebuild (which starts after the running one and
 * so sees every file committed before the request); many loads in a row cost two rebuilds, not many.
 * Failures are logged and resolve to null, so callers can fire and forget.
 */
export interface RebuildScheduler {
  /** Resolves with the summary of a rebuild that started after this call, or null if it failed. */
  request(): Promise<RebuildSummary | null>;
  /** Resolves when nothing is running or waiting. */
  idle(): Promise<void>;
}

export function createRebuildScheduler(warehouse: Warehouse, lake: Lake, logger: Logger): RebuildScheduler {
  let running: Promise<RebuildSummary | null> | undefined;
  let waiting: Promise<RebuildSummary | null> | undefined;

  const start = (): Promise<RebuildSummary | null> => {
    const run = warehouse.rebuild(lake).catch((error: unknown) => {
      logger.error({ err: error instanceof Error ? error.message : String(error) }, "warehouse rebuild failed");
      return null;
    });
    running = run;
    void run.finally(() => {
      if (running === run) running = undefined;
    });
    return run;
  };

  return {
    request() {
      if (waiting) return waiting;
      if (!running) return start();
      const next = running.then(() => {
        waiting = undefined;
        return start();
      });
      waiting = next;
      return next;
    },
    async idle() {
      while (running || waiting) await (waiting ?? running);
    },
  };
}
