import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "infra/**/*.test.ts"],
    // Wall-clock responsiveness tests run alone afterwards (vitest.timing.config.ts, `npm run test:timing`).
    exclude: ["**/node_modules/**", "src/**/*.timing.test.ts"],
    environment: "node",
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Tests pin their own time zone where it matters; pin a default so none depends on the machine.
    env: { TZ: "UTC" },
    pool: "forks",
  },
});
