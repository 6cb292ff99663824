import { defineConfig } from "vitest/config";
import base from "./vitest.config.js";

/**
 * Tests that measure responsiveness in wall-clock time (`*.timing.test.ts`): run by `npm test` after
 * the parallel suite, one file at a time, so other test files do not compete for the CPU they measure.
 */
export default defineConfig({
  test: {
    ...base.test,
    include: ["src/**/*.timing.test.ts"],
    exclude: ["**/node_modules/**"],
    fileParallelism: false,
  },
});
