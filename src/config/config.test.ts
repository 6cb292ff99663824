/**
 * Pins the parts of `loadConfig` that the user pool, the aggregate views and the CLI read:
 * - `config.auth`: lock-out 5 failures of a username / 20 of a source IP within 15 min lock for
 *   15 min, minimum cell 5, by default; each variable changes its setting (minutes → ms)
 * - a value outside 1–10000 or not a whole number fails naming the variable and the value
 * - the log level: CATDATA_LOG_LEVEL when set (from .env too), otherwise the caller's default
 *   (the CLI passes warn), otherwise info; an unknown level fails naming the variable
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../testing/fixtures.js";
import { loadConfig, readEnv } from "./config.js";

const cwd = "/srv/catdata";

describe("loadConfig: auth", () => {
  it("has the documented defaults", () => {
    expect(loadConfig({}, cwd).auth).toEqual({
      minCell: 5,
      lockout: { maxFailures: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000, maxFailuresPerIp: 20 },
    });
  });

  it("takes each setting from its variable", () => {
    const config = loadConfig(
      {
        CATDATA_MIN_CELL: "10",
        CATDATA_LOCKOUT_MAX_FAILURES: "3",
        CATDATA_LOCKOUT_WINDOW_MINUTES: "30",
        CATDATA_LOCKOUT_MINUTES: "60",
        CATDATA_LOCKOUT_MAX_FAILURES_PER_IP: "50",
        CATDATA_MIN_CELL_UNRELATED: "x",
      },
      cwd,
    );
    expect(config.auth).toEqual({
      minCell: 10,
      lockout: { maxFailures: 3, windowMs: 30 * 60_000, lockMs: 60 * 60_000, maxFailuresPerIp: 50 },
    });
  });

  it("fails naming the variable and its value", () => {
    for (const [name, value] of [
      ["CATDATA_MIN_CELL", "0"],
      ["CATDATA_LOCKOUT_MINUTES", "2.5"],
      ["CATDATA_LOCKOUT_MAX_FAILURES", "many"],
      ["CATDATA_LOCKOUT_MAX_FAILURES_PER_IP", "10001"],
    ] as const) {
      expect(() => loadConfig({ [name]: value }, cwd), name).toThrow(
        expect.objectContaining({ code: "CONFIG_INVALID", message: expect.stringContaining(`${name}="${value}"`) }),
      );
    }
  });
});

describe("loadConfig: log level", () => {
  it("uses CATDATA_LOG_LEVEL, else the caller's default, else info", () => {
    expect(loadConfig({}, cwd).logLevel).toBe("info");
    expect(loadConfig({}, cwd, { defaultLogLevel: "warn" }).logLevel).toBe("warn");
    expect(loadConfig({ CATDATA_LOG_LEVEL: "debug" }, cwd, { defaultLogLevel: "warn" }).logLevel).toBe("debug");
    expect(loadConfig({ CATDATA_LOG_LEVEL: "" }, cwd, { defaultLogLevel: "warn" }).logLevel).toBe("warn");
    expect(() => loadConfig({ CATDATA_LOG_LEVEL: "loud" }, cwd)).toThrow(/CATDATA_LOG_LEVEL="loud"/);
  });

  it("reads it from .env under the real environment", () => {
    const dir = tempDir("catdata-config-");
    writeFileSync(path.join(dir, ".env"), "CATDATA_LOG_LEVEL=error\nCATDATA_MIN_CELL=7\n");
    const fromFile = loadConfig(readEnv(dir, {}), dir, { defaultLogLevel: "warn" });
    expect([fromFile.logLevel, fromFile.auth.minCell]).toEqual(["error", 7]);
    expect(loadConfig(readEnv(dir, { CATDATA_LOG_LEVEL: "trace" }), dir).logLevel).toBe("trace");
  });
});
